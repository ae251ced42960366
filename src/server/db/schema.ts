// Every table, for drizzle-kit and the relational query API. Tables live in their modules.
export * from "../modules/workspaces/workspaces.table.ts";
export * from "../modules/users/users.table.ts";
export * from "../modules/auth/auth.table.ts";
export * from "../modules/auth/sign-ins.table.ts";
export * from "../modules/companies/companies.table.ts";
export * from "../modules/contacts/contacts.table.ts";
export * from "../modules/leads/leads.table.ts";
export * from "../modules/pipelines/pipelines.table.ts";
export * from "../modules/deals/deals.table.ts";
export * from "../modules/activities/activities.table.ts";
export * from "../modules/tasks/tasks.table.ts";
export * from "../modules/idempotency/idempotency.table.ts";
export * from "../modules/outbox/outbox.table.ts";
export * from "../modules/saved-views/saved-views.table.ts";
export * from "../modules/api-keys/api-keys.table.ts";
export * from "../modules/auth/account-tokens.table.ts";
export * from "../modules/mail/mail.table.ts";
