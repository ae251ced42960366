/** Roles a user can hold in a workspace. */
export const roles = ["admin", "manager", "agent", "viewer"] as const;
export type Role = (typeof roles)[number];

export type Resource =
  | "company"
  | "contact"
  | "lead"
  | "deal"
  | "pipeline"
  | "activity"
  | "task"
  | "user"
  | "view"
  | "sharedView"
  | "apiKey"
  | "signIn"
  | "invitation"
  | "sso"
  | "outbox"
  | "auditLog"
  | "history"
  | "export"
  | "job"
  | "webhook"
  | "notification"
  | "workspace";
export type Action = "read" | "create" | "update" | "delete" | "restore";

/** How far a permission reaches: every record, only the actor's own (or assigned) ones, or none. */
export type Scope = "all" | "own" | "none";

const recordRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "all", agent: "all", viewer: "all" },
  create: { admin: "all", manager: "all", agent: "own", viewer: "none" },
  update: { admin: "all", manager: "all", agent: "own", viewer: "none" },
  delete: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  restore: { admin: "all", manager: "all", agent: "none", viewer: "none" },
};

const adminOnly: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "all", agent: "all", viewer: "all" },
  create: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  update: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  delete: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  restore: { admin: "all", manager: "none", agent: "none", viewer: "none" },
};

/** A user's private saved views: everyone keeps their own, and nobody else sees them. */
const privateViewRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "own", manager: "own", agent: "own", viewer: "own" },
  create: { admin: "own", manager: "own", agent: "own", viewer: "own" },
  update: { admin: "own", manager: "own", agent: "own", viewer: "own" },
  delete: { admin: "own", manager: "own", agent: "own", viewer: "own" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/** Views shared with the whole workspace: everyone reads them; admins and managers share and edit them. */
const sharedViewRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "all", agent: "all", viewer: "all" },
  create: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  update: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  delete: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/** The sign-in history of a workspace's members: admins read it; nobody writes it through the API. */
const signInRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  create: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  update: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  delete: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/** Invitations: admins invite any role, managers agents and viewers (the service checks the role invited). */
const invitationRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  create: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  update: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  delete: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/** Admin-only settings (API keys, single sign-on) and the mail outbox: admins see and change them, nobody else sees them. A key acts with its creator's admin rights. */
const adminSettingRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  create: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  update: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  delete: { admin: "all", manager: "none", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/** A record's change history: managers and admins read every record's; agents and viewers none (PRODUCT.md §2). */
const historyRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  create: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  update: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  delete: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/**
 * Exports of a list (streamed or as a job; "create" starts one, "read" follows and downloads it):
 * admins and managers only, whatever an agent or a viewer may read on screen (PRODUCT.md §2).
 */
const exportRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  create: { admin: "all", manager: "all", agent: "none", viewer: "none" },
  update: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  delete: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/** The audit log: admins read it; nobody, not even an admin, changes it. */
const auditLogRules: Record<Action, Record<Role, Scope>> = { ...signInRules };

/** Notifications: everyone reads and marks read their own, and nobody else's. */
const notificationRules: Record<Action, Record<Role, Scope>> = {
  read: { admin: "own", manager: "own", agent: "own", viewer: "own" },
  create: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  update: { admin: "own", manager: "own", agent: "own", viewer: "own" },
  delete: { admin: "none", manager: "none", agent: "none", viewer: "none" },
  restore: { admin: "none", manager: "none", agent: "none", viewer: "none" },
};

/**
 * The role × action table of PRODUCT.md §2, shared by the server (which enforces it) and the web
 * app (which hides what a role cannot do). "own" means the record's owner (or a task's assignee
 * or creator) is the actor. Saved views are hard-deleted, so they have nothing to restore.
 */
export const permissions: Record<Resource, Record<Action, Record<Role, Scope>>> = {
  company: recordRules,
  contact: recordRules,
  lead: recordRules,
  deal: recordRules,
  activity: recordRules,
  task: recordRules,
  pipeline: adminOnly,
  user: adminOnly,
  view: privateViewRules,
  sharedView: sharedViewRules,
  apiKey: adminSettingRules,
  signIn: signInRules,
  invitation: invitationRules,
  sso: adminSettingRules,
  outbox: adminSettingRules,
  auditLog: auditLogRules,
  history: historyRules,
  export: exportRules,
  job: adminSettingRules,
  webhook: adminSettingRules,
  notification: notificationRules,
  // The workspace's own settings: everyone reads what formats and checks their work; admins change them.
  workspace: adminOnly,
};

/** The scope a role has for an action on a resource. */
export function scopeOf(role: Role, action: Action, resource: Resource): Scope {
  return permissions[resource][action][role];
}

/** True when the role may do the action on at least some records (for showing buttons). */
export function canAct(role: Role, action: Action, resource: Resource): boolean {
  return scopeOf(role, action, resource) !== "none";
}

/**
 * What API key scopes name (`contacts:read`, `contacts:write`): the API's resources, each the
 * first path segment of its routes under /api/v1. `views` covers private and shared views;
 * `dashboard` serves figures about all the others; `webhooks` are the endpoints and their delivery
 * log, and `webhook-deliveries` sending a delivery again; `workspace` is the workspace's settings
 * (its activity types and lost reasons, for integrations that log activities). Nothing else is open to keys: account routes
 * and API keys themselves are for people only.
 */
export const apiResources = [
  "contacts",
  "companies",
  "leads",
  "deals",
  "pipelines",
  "activities",
  "tasks",
  "views",
  "dashboard",
  "users",
  "audit-logs",
  "webhooks",
  "webhook-deliveries",
  "imports",
  "workspace",
] as const;
export type ApiResource = (typeof apiResources)[number];

/** Reads (GET) need `read`; every other method needs `write`. */
export type ApiAccess = "read" | "write";

/** `<resource>:read`, `<resource>:write`, or `*:read` / `*:write` for every resource. */
export type ApiKeyScope = `${ApiResource | "*"}:${ApiAccess}`;

/**
 * Whether API key scopes grant an access to a resource. `write` implies `read` (an integration
 * that may change records must see what it changes), and `*` stands for every resource.
 */
export function grantsScope(scopes: readonly string[], resource: ApiResource, access: ApiAccess): boolean {
  const granting: ApiAccess[] = access === "read" ? ["read", "write"] : ["write"];
  return granting.some((level) => scopes.includes(`${resource}:${level}`) || scopes.includes(`*:${level}`));
}
