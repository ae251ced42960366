import { and, desc, eq, gte, like, lt, sql, type SQL } from "drizzle-orm";
import type { AuditEntry, AuditLogQuery } from "../../../shared/schemas/audit.ts";
import type { Transaction } from "../../db/client.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { invalidField } from "../../lib/errors.ts";
import { isUuid } from "../../lib/ids.ts";
import { apiKeys } from "../api-keys/api-keys.table.ts";
import { users } from "../users/users.table.ts";
import { auditLogs, auditSeals } from "./audit.table.ts";

export type AuditFilters = Omit<AuditLogQuery, "limit" | "cursor">;

/**
 * Entries page newest first by (occurred_at, id). The cursor carries occurred_at as whole
 * microseconds since the epoch: a JS Date would round it to milliseconds and skip entries.
 */
const sortName = "-occurredAt,-id";
const micros = sql<string>`(extract(epoch from ${auditLogs.occurredAt}) * 1000000)::bigint::text`;

function afterCursor(cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  const [at, id] = decoded?.sort === sortName ? decoded.values : [];
  if (typeof at !== "string" || !/^\d{1,17}$/.test(at) || typeof id !== "string" || !isUuid(id)) {
    throw invalidField("cursor", "Not a cursor of this list");
  }
  return sql`(${auditLogs.occurredAt}, ${auditLogs.id}) < (timestamptz 'epoch' + ${at}::bigint * interval '1 microsecond', ${id}::uuid)`;
}

function conditionsOf(workspaceId: string, filters: AuditFilters): (SQL | undefined)[] {
  const { actorId, actorType, resourceType, resourceId, action, from, to } = filters;
  return [
    eq(auditLogs.workspaceId, workspaceId),
    actorId ? eq(auditLogs.actorId, actorId) : undefined,
    actorType ? eq(auditLogs.actorType, actorType) : undefined,
    resourceType ? eq(auditLogs.resourceType, resourceType) : undefined,
    resourceId ? eq(auditLogs.resourceId, resourceId) : undefined,
    // "contact." is every contact action; LIKE's own wildcards in the prefix are escaped.
    action?.endsWith(".")
      ? like(auditLogs.action, `${action.replace(/[\\%_]/g, "\\$&")}%`)
      : action
        ? eq(auditLogs.action, action)
        : undefined,
    from ? gte(auditLogs.occurredAt, new Date(from)) : undefined,
    to ? lt(auditLogs.occurredAt, new Date(to)) : undefined,
  ];
}

/** One page of a workspace's audit log, newest first, with each actor's name (one query). */
export async function listAuditEntries(
  tx: Transaction,
  workspaceId: string,
  filters: AuditFilters,
  page: { limit: number; cursor?: string },
): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const rows = await tx
    .select({ entry: auditLogs, micros, userName: users.name, keyName: apiKeys.name, chainSeq: auditSeals.chainSeq })
    .from(auditLogs)
    .leftJoin(users, and(eq(auditLogs.actorType, "user"), eq(users.id, auditLogs.actorId)))
    .leftJoin(
      apiKeys,
      and(
        eq(auditLogs.actorType, "apiKey"),
        eq(apiKeys.workspaceId, auditLogs.workspaceId),
        eq(apiKeys.id, auditLogs.actorId),
      ),
    )
    .leftJoin(
      auditSeals,
      and(
        eq(auditSeals.workspaceId, auditLogs.workspaceId),
        eq(auditSeals.occurredAt, auditLogs.occurredAt),
        eq(auditSeals.entryId, auditLogs.id),
      ),
    )
    .where(and(...conditionsOf(workspaceId, filters), afterCursor(page.cursor)))
    .orderBy(desc(auditLogs.occurredAt), desc(auditLogs.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit);
  const last = data.at(-1);
  const nextCursor =
    rows.length > page.limit && last ? encodeCursor({ sort: sortName, values: [last.micros, last.entry.id] }) : null;
  return {
    data: data.map((row) => toAuditEntry(row.entry, row.userName ?? row.keyName, row.chainSeq !== null)),
    nextCursor,
  };
}

function toAuditEntry(row: typeof auditLogs.$inferSelect, actorName: string | null, sealed: boolean): AuditEntry {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    actor: { type: row.actorType, id: row.actorId, name: actorName, onBehalfOf: row.onBehalfOf },
    action: row.action,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    changes: row.changes,
    details: row.details,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    requestId: row.requestId,
    sealed,
  };
}
