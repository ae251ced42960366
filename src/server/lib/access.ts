import {
  grantsScope,
  scopeOf,
  type Action,
  type ApiAccess,
  type ApiResource,
  type Resource,
} from "../../shared/permissions.ts";
import type { RequestContext } from "./context.ts";
import { AppError } from "./errors.ts";

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
