export { leadsRoutes } from "./leads.routes.ts";
export { computeLeadScore } from "./leads.score.ts";
export { leadsListSpec, toLead } from "./leads.repository.ts";
export { leadContacts, leadStatusChanges, leads } from "./leads.table.ts";
