import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { fieldChanges } from "../audit/audit.changes.ts";
import { recordFactsOfMany, type RecordSubject } from "../audit/audit.service.ts";
import type { DomainEvent } from "../outbox/index.ts";
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
  const subjects: RecordSubject[] = [];
  const events: DomainEvent[] = [];
  for (const { before, after } of changes) {
    const diff = action === "updated" ? fieldChanges(before, after) : null;
    subjects.push({ resourceId: after.id, changes: diff });
    const payload = action === "updated" ? { record: after, changes: diff ?? {} } : { record: after };
    events.push({ type: `${resource}.${action}`, resourceId: after.id, payload } as DomainEvent);
    if (action === "updated") events.push(...(type.events?.(before, after) ?? []));
  }
  const fact = { action: `${resource}.${action}`, resourceType: resource, details: { bulkOperationId: operationId } };
  await recordFactsOfMany(tx, ctx, fact, subjects, events);
}
