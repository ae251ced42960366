import { and, eq, isNull, sql } from "drizzle-orm";
import type { AuditPage, FieldChanges } from "../../../shared/schemas/audit.ts";
import { prepared, type Database, type Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { Actor, RequestContext } from "../../lib/context.ts";
import { newId } from "../../lib/ids.ts";
import { eventActorId, eventRow, type DomainEvent } from "../outbox/index.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { memberships } from "../users/users.table.ts";
import { maskSecrets } from "./audit.changes.ts";
import { listAuditEntries, type AuditFilters } from "./audit.repository.ts";
import { auditLogs } from "./audit.table.ts";

/** What happened, as the audit log keeps it; who and from where come from the request. */
export type AuditFact = {
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  changes?: FieldChanges | null;
  details?: Record<string, unknown> | null;
};

/** Who acted and from where, for entries written outside a workspace request (sign-ins). */
export type AuditSource = {
  /** `account`: a person acting outside any workspace (signing in, changing their password). */
  actor: Actor | { kind: "account"; userId: string } | { kind: "system" } | { kind: "anonymous" };
  requestId: string | null;
  client?: RequestContext["client"];
};

function actorColumns(actor: AuditSource["actor"]) {
  switch (actor.kind) {
    case "user":
    case "account":
      return { actorType: "user" as const, actorId: actor.userId, onBehalfOf: null };
    case "apiKey":
      return { actorType: "apiKey" as const, actorId: actor.keyId, onBehalfOf: actor.userId };
    case "system":
    case "anonymous":
      return {
        actorType: actor.kind === "system" ? ("system" as const) : ("user" as const),
        actorId: null,
        onBehalfOf: null,
      };
  }
}

function rowOf(workspaceId: string, source: AuditSource, fact: AuditFact) {
  return {
    workspaceId,
    id: newId(),
    ...actorColumns(source.actor),
    action: fact.action,
    resourceType: fact.resourceType ?? null,
    resourceId: fact.resourceId ?? null,
    changes: fact.changes && Object.keys(fact.changes).length > 0 ? fact.changes : null,
    details: fact.details ? maskSecrets(fact.details) : null,
    ipAddress: source.client?.ipAddress ?? null,
    userAgent: source.client?.userAgent ?? null,
    requestId: source.requestId,
  };
}

/** Appends an entry for the request's workspace, in the caller's transaction: it exists exactly when the change does. */
export async function writeAudit(tx: Transaction, ctx: RequestContext, fact: AuditFact): Promise<void> {
  await tx.insert(auditLogs).values(rowOf(ctx.workspaceId, ctx, fact));
}

/**
 * Appends the same entry to several workspaces (an account's sign-in is shown to the admins of
 * every workspace the person belongs to). `db` is the owner connection or a transaction of it.
 */
export async function writeAuditTo(
  db: Database | Transaction,
  workspaceIds: readonly string[],
  source: AuditSource,
  fact: AuditFact,
): Promise<void> {
  if (workspaceIds.length === 0) return;
  await db.insert(auditLogs).values(workspaceIds.map((workspaceId) => rowOf(workspaceId, source, fact)));
}

/**
 * Appends an entry about a person's account to every workspace they belong to (not removed
 * from): their admins see their sign-ins and security changes. Runs as the owner connection.
 */
export async function writeAccountAudit(
  db: Database | Transaction,
  userId: string,
  source: AuditSource,
  fact: AuditFact,
): Promise<void> {
  const rows = await db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.removedAt)));
  await writeAuditTo(
    db,
    rows.map((row) => row.workspaceId),
    source,
    { resourceType: "user", resourceId: userId, ...fact },
  );
}

/**
 * Writes down a change that is not a record's (memberships, invitations, settings): its audit
 * entry and its events, in the caller's transaction. Record changes go through records/ instead.
 */
export async function recordFact(
  tx: Transaction,
  ctx: RequestContext,
  fact: AuditFact,
  events: readonly DomainEvent[] = [],
): Promise<void> {
  // One call, one round trip, a constant statement (migration 0022): building the two inserts
  // with the query builder on every change cost more than the database spent writing them.
  const entry = JSON.stringify(auditEntryColumns(ctx, fact));
  const rows = JSON.stringify(events.map((event) => eventColumns(ctx, event)));
  await tx.execute(sql`${prepared("record_fact")}select keel_record_fact(${entry}::jsonb, ${rows}::jsonb)`);
}

/** One record's part of a fact many records share: which record, and its field changes. */
export type RecordSubject = { resourceId: string; changes: FieldChanges | null };

/**
 * recordFact for many records at once (a bulk action's chunk, an import's batch): one audit entry
 * per record and the events given, in one statement. What the entries share (who, from where,
 * the action and its details) is sent once; each entry adds its id, its record and its changes,
 * each event its own row. Each table's rows travel as one JSON parameter: a thousand records would
 * otherwise be tens of thousands of parameters, which cost more to bind than the insert itself.
 */
export async function recordFactsOfMany(
  tx: Transaction,
  ctx: RequestContext,
  fact: Omit<AuditFact, "resourceId" | "changes">,
  subjects: readonly RecordSubject[],
  events: readonly DomainEvent[],
): Promise<void> {
  if (subjects.length === 0 && events.length === 0) return;
  const shared = auditEntryColumns(ctx, fact);
  const entries = subjects.map(({ resourceId, changes }) => ({
    id: newId(),
    resource_id: resourceId,
    changes: changes && Object.keys(changes).length > 0 ? changes : null,
  }));
  const rows = events.map((event) => {
    const row = eventRow(ctx, event);
    return {
      id: row.id,
      type: row.type,
      version: row.version,
      resource_type: row.resourceType,
      resource_id: row.resourceId,
      payload: row.payload,
    };
  });
  // A data-modifying WITH runs whatever the outer query reads: both inserts, one round trip.
  await tx.execute(sql`with entries as (
      insert into ${auditLogs} (workspace_id, id, actor_type, actor_id, on_behalf_of, action, resource_type,
        resource_id, changes, details, ip_address, user_agent, request_id)
      select s.workspace_id, e.id, s.actor_type, s.actor_id, s.on_behalf_of, s.action, s.resource_type,
        e.resource_id, e.changes, s.details, s.ip_address, s.user_agent, s.request_id
      from jsonb_populate_record(null::${auditLogs}, ${JSON.stringify(shared)}::jsonb) s
      cross join jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as e(id uuid, resource_id uuid, changes jsonb))
    insert into ${outboxEvents} (workspace_id, id, type, version, resource_type, resource_id, actor_id, payload)
    select ${ctx.workspaceId}::uuid, v.id, v.type, v.version, v.resource_type, v.resource_id, ${eventActorId(ctx)}::uuid,
      v.payload
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, type text, version smallint,
      resource_type text, resource_id uuid, payload jsonb)`);
}

/** A workspace request's audit entry by column name, for statements that insert it from JSON. */
function auditEntryColumns(ctx: RequestContext, fact: AuditFact): Record<string, unknown> {
  return columnsOf(rowOf(ctx.workspaceId, ctx, fact));
}

/** An event's outbox row by column name, for statements that insert it from JSON. */
function eventColumns(ctx: RequestContext, event: DomainEvent): Record<string, unknown> {
  return columnsOf(eventRow(ctx, event));
}

/** A row's values by column name (`workspaceId` → `workspace_id`), as jsonb_populate_record reads them. */
function columnsOf(row: Record<string, unknown>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const key in row) columns[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = row[key];
  return columns;
}

/** A page of the workspace's audit log (admins). */
export async function listAuditLog(
  ctx: RequestContext,
  filters: AuditFilters,
  page: { limit: number; cursor?: string },
): Promise<AuditPage> {
  assertAllowed(ctx, "read", "auditLog");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    listAuditEntries(tx, ctx.workspaceId, filters, page),
  );
}
