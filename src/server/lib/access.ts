import { eq, sql, type SQL } from "drizzle-orm";
import {
  grantsScope,
  scopeOf,
  type Action,
  type ApiAccess,
  type ApiResource,
  type Resource,
} from "../../shared/permissions.ts";
import type { Database } from "../db/client.ts";
import type { ListRequest } from "../db/listing.ts";
import { workspaceSettings } from "../modules/workspaces/workspaces.table.ts";
import type { RequestContext } from "./context.ts";
import { AppError, notFound } from "./errors.ts";

/** Who a record belongs to, for "own" permissions: owner, assignee or creator. */
export type Ownership = { ownerId?: string | null; assigneeId?: string | null; createdBy?: string | null };

/** Throws 403 unless the actor's role allows the action at all. Returns the scope for later checks. */
export function assertAllowed(ctx: RequestContext, action: Action, resource: Resource): "all" | "own" {
  const scope = scopeOf(ctx.actor.role, action, resource);
  if (scope === "none") {
    throw new AppError("forbidden", `Your role (${ctx.actor.role}) cannot ${action} ${resource} records.`);
  }
  return scope;
}

/** Throws 403 unless the actor may do the action on this particular record. */
export function assertAllowedOn(ctx: RequestContext, action: Action, resource: Resource, record: Ownership): void {
  const scope = assertAllowed(ctx, action, resource);
  if (scope === "own" && !isOwnedBy(record, ctx.actor.userId)) {
    throw new AppError("forbidden", `You can only ${action} ${resource} records you own or are assigned to.`);
  }
}

export function isOwnedBy(record: Ownership, userId: string): boolean {
  return record.ownerId === userId || record.assigneeId === userId || record.createdBy === userId;
}

/** Agents may only give records to themselves; throws 403 when they name another owner. */
export function assertOwnerAssignable(
  ctx: RequestContext,
  scope: "all" | "own",
  ownerId: string | null | undefined,
): void {
  if (scope === "own" && ownerId && ownerId !== ctx.actor.userId) {
    throw new AppError("forbidden", "Your role can only assign records to yourself.", [
      { path: "ownerId", message: "Must be yourself" },
    ]);
  }
}

/**
 * Throws 403 when an API key lacks the scope for a resource that only the record it names tells
 * (a bulk operation's or a merge's collection): the routes of those let keys through to here
 * (src/server/http/api-key-scopes.ts). People are held to their role, checked elsewhere.
 */
export function assertKeyScope(ctx: RequestContext, resource: ApiResource, access: ApiAccess): void {
  if (ctx.actor.kind !== "apiKey" || grantsScope(ctx.actor.scopes, resource, access)) return;
  throw new AppError("forbidden", `This API key lacks the scope ${resource}:${access}.`);
}

/** The collections of `resources` an actor may read: all for a person (their role decides), a key's by its scopes. */
export function readableByKey<T extends ApiResource>(ctx: RequestContext, resources: readonly T[]): T[] {
  const { actor } = ctx;
  if (actor.kind !== "apiKey") return [...resources];
  return resources.filter((resource) => grantsScope(actor.scopes, resource, "read"));
}

/** The record types a workspace can make agents read only their own of. */
export type OwnedResource = "contact" | "company" | "lead" | "deal" | "task" | "activity";

/**
 * What makes a record a reader's own when the workspace limits agents to their own records: the
 * owner of contacts, companies, leads and deals; the assignee or the creator of a task (the
 * "assigned" of PRODUCT.md §2: a task someone gave them, or one they made); the creator of an
 * activity (who logged it: activities have no owner). Each field with its column, so raw SQL and
 * rows already read (the live stream's events) apply the same rule.
 */
const ownRecordRules: Record<OwnedResource, { table: string; fields: readonly (keyof Ownership)[] }> = {
  contact: { table: "contacts", fields: ["ownerId"] },
  company: { table: "companies", fields: ["ownerId"] },
  lead: { table: "leads", fields: ["ownerId"] },
  deal: { table: "deals", fields: ["ownerId"] },
  task: { table: "tasks", fields: ["assigneeId", "createdBy"] },
  activity: { table: "activities", fields: ["createdBy"] },
};
const columnOf: Record<keyof Ownership, string> = {
  ownerId: "owner_id",
  assigneeId: "assignee_id",
  createdBy: "created_by",
};

/** Whether a resource is a record type a workspace can limit agents to their own records of. */
export function isOwnedResource(resource: string): resource is OwnedResource {
  return Object.hasOwn(ownRecordRules, resource);
}

/** Whether a record already read is `userId`'s own by the rule above. */
export function isOwnRecord(resource: OwnedResource, record: Ownership, userId: string): boolean {
  return ownRecordRules[resource].fields.some((field) => record[field] === userId);
}

/**
 * Throws 404, as a read would, when `reader` may not see the record: a write must not tell an
 * agent limited to their own records that someone else's exists (a 403 would).
 */
export function assertVisibleTo(reader: Reader, resource: string, record: Ownership): void {
  if (reader !== null && isOwnedResource(resource) && !isOwnRecord(resource, record, reader)) {
    throw notFound(resource);
  }
}

/**
 * Whose records a request reads: null when it reads every record of the workspace, else the user
 * whose own records alone it sees (an agent, while the workspace's `agentsSeeOwnRecordsOnly` is on).
 */
export type Reader = string | null;

/**
 * The request's reader, in its workspace transaction (or outside one, by the workspace's id). Only
 * an agent costs a lookup, one per request: the setting is kept on the context. Admins, managers,
 * viewers and API keys read everything.
 */
export async function readerOf(tx: Database, ctx: RequestContext): Promise<Reader> {
  const { actor } = ctx;
  if (actor.kind !== "user" || actor.role !== "agent") return null;
  if (ctx.agentsSeeOwnRecordsOnly === undefined) {
    const [row] = await tx
      .select({ value: workspaceSettings.agentsSeeOwnRecordsOnly })
      .from(workspaceSettings)
      .where(eq(workspaceSettings.workspaceId, ctx.workspaceId));
    ctx.agentsSeeOwnRecordsOnly = row?.value ?? false;
  }
  return ctx.agentsSeeOwnRecordsOnly ? actor.userId : null;
}

/**
 * The conditions that limit a read of `resource` to what `reader` may see: none for a reader of
 * everything. `from` names the table or its alias in the query (the table's name by default). Every
 * read of records goes through this: lists, counts, reads by id, includes, the dashboard, duplicates.
 */
export function visibleRows(resource: OwnedResource, reader: Reader, from?: string): SQL[] {
  if (reader === null) return [];
  const rule = ownRecordRules[resource];
  const table = sql.identifier(from ?? rule.table);
  const matches = rule.fields.map((field) => sql`${table}.${sql.identifier(columnOf[field])} = ${reader}::uuid`);
  return [sql`(${sql.join(matches, sql` or `)})`];
}

/** visibleRows for raw SQL: ` and (…)` to append to a where clause, or nothing for a reader of everything. */
export function andVisible(resource: OwnedResource, reader: Reader, from?: string): SQL {
  const [condition] = visibleRows(resource, reader, from);
  return condition ? sql` and ${condition}` : sql``;
}

/** A list (or count) request limited to the rows `reader` may see (its filters, search, sort and cursor kept). */
export function visibleRequest(request: ListRequest, resource: OwnedResource, reader: Reader): ListRequest {
  if (reader === null) return request;
  return { ...request, conditions: [...request.conditions, ...visibleRows(resource, reader)] };
}
