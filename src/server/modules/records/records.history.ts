import type { AuditPage } from "../../../shared/schemas/audit.ts";
import { getRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, isOwnedResource, readerOf, visibleRows } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { listAuditEntries } from "../audit/index.ts";
import type { RecordType } from "./records.write.ts";

type Ownership = { ownerId?: string | null; assigneeId?: string | null; createdBy?: string | null };

/**
 * A record's change history, newest first, from the audit log (also a deleted record's): as the
 * permissions table says, managers and admins for every record, agents and viewers never.
 */
export async function recordHistory<TTable extends Parameters<typeof getRecord>[1], T extends { id: string }, C, U>(
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  id: string,
  page: { limit: number; cursor?: string },
): Promise<AuditPage> {
  assertAllowed(ctx, "read", "history");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    // A record the caller may not read (an agent limited to their own records) is not found.
    const visible = isOwnedResource(type.resource) ? visibleRows(type.resource, await readerOf(tx, ctx)) : [];
    const row = await getRecord(tx, type.table, type.resource, ctx.workspaceId, id, { includeDeleted: true, visible });
    assertAllowedOn(ctx, "read", "history", type.ownershipOf?.(row) ?? (row as Ownership));
    return listAuditEntries(tx, ctx.workspaceId, { resourceType: type.resource, resourceId: id }, page);
  });
}
