import { sql } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { fieldChanges } from "../audit/audit.changes.ts";
import { auditEntryColumns, eventColumns } from "../audit/audit.service.ts";
import { auditLogs } from "../audit/audit.table.ts";
import type { DomainEvent } from "../outbox/index.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import type { RecordType } from "./records.write.ts";

type Presented = { id: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any record type
type AnyRecordType = RecordType<any, any, any, any>;
export type ChangeAction = "updated" | "deleted" | "restored";
export type Change = { before: Presented | null; after: Presented };

/**
 * recordChange (records.write.ts) for many records at once: each record gets its own audit entry
 * (with its field changes, and the bulk operation it belongs to) and its own events, exactly
 * those a single change writes, but in one statement for the whole chunk.
 */
export async function recordChanges(
  tx: Transaction,
  ctx: RequestContext,
  type: Pick<AnyRecordType, "resource" | "events">,
  action: ChangeAction,
  changes: readonly Change[],
  operationId: string,
): Promise<void> {
  if (changes.length === 0) return;
  const { resource } = type;
  const entries = [];
  const events: DomainEvent[] = [];
  for (const { before, after } of changes) {
    const diff = action === "updated" ? fieldChanges(before, after) : null;
    entries.push(
      auditEntryColumns(ctx, {
        action: `${resource}.${action}`,
        resourceType: resource,
        resourceId: after.id,
        changes: diff,
        details: { bulkOperationId: operationId },
      }),
    );
    const payload = action === "updated" ? { record: after, changes: diff ?? {} } : { record: after };
    events.push({ type: `${resource}.${action}`, resourceId: after.id, payload } as DomainEvent);
    if (action === "updated") events.push(...(type.events?.(before, after) ?? []));
  }
  const rows = events.map((event) => eventColumns(ctx, event));
  // One statement for both, as recordFact does (a data-modifying WITH runs whatever the outer reads),
  // each table's rows as one JSON parameter: a thousand records would otherwise be tens of thousands
  // of parameters, which cost more to bind than the insert itself.
  await tx.execute(sql`with entries as (
      insert into ${auditLogs} (workspace_id, id, actor_type, actor_id, on_behalf_of, action, resource_type,
        resource_id, changes, details, ip_address, user_agent, request_id)
      select * from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as e(workspace_id uuid, id uuid,
        actor_type text, actor_id uuid, on_behalf_of uuid, action text, resource_type text, resource_id uuid,
        changes jsonb, details jsonb, ip_address text, user_agent text, request_id text))
    insert into ${outboxEvents} (workspace_id, id, type, version, resource_type, resource_id, actor_id, payload)
    select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(workspace_id uuid, id uuid,
      type text, version smallint, resource_type text, resource_id uuid, actor_id uuid, payload jsonb)`);
}
