import { sql } from "drizzle-orm";
import type { EventResource } from "../../../shared/events.ts";
import type { Transaction } from "../../db/client.ts";
import { assertVersion, lockRecord, updateRecord } from "../../db/records.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, assertOwnerAssignable, assertVisibleTo, readerOf } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { fieldChanges } from "../audit/audit.changes.ts";
import { recordFact } from "../audit/audit.service.ts";
import type { DomainEvent } from "../outbox/index.ts";
import { withPhonesInE164 } from "./records.phones.ts";

type RecordTable = Parameters<typeof lockRecord>[1];
type Ownership = { ownerId?: string | null; assigneeId?: string | null; createdBy?: string | null };
type Presented = { id: string };

/**
 * A record type as the one write path sees it: its table, how a row is presented, and the hooks
 * holding its own rules. Create, update, delete and restore of every record type run the same
 * steps (permission, lock, If-Match, rules, write, audit entry and events in one transaction), so
 * a rule, an audit field or an event is never missing from one of them.
 */
export type RecordType<TTable extends RecordTable, TRecord extends Presented, TCreate, TUpdate> = {
  resource: EventResource;
  table: TTable;
  /** The input field agents may only set to themselves (null: the type has no owner to assign). */
  ownerField: "ownerId" | null;
  /** Input fields holding phone numbers: stored in E.164 whatever way they were written. */
  phoneFields?: readonly string[];
  present: (tx: Transaction, row: TTable["$inferSelect"]) => TRecord | Promise<TRecord>;
  /** Checks the input, fills the defaults and inserts the record (and its links). */
  insert: (tx: Transaction, ctx: RequestContext, input: TCreate) => Promise<TTable["$inferSelect"]>;
  /**
   * The column values an update writes, after checking the rules against the locked record; it
   * may also write the record's links. `null`: nothing to change (the record is answered as is).
   */
  changes: (
    tx: Transaction,
    ctx: RequestContext,
    current: TTable["$inferSelect"],
    input: TUpdate,
  ) => Promise<Record<string, unknown> | null>;
  /** Who owns a row, for agents' "own" permission (default: owner, assignee or creator). */
  ownershipOf?: (row: TTable["$inferSelect"]) => Ownership;
  /** Locks taken before the record's own (a task's dependency graph). */
  beforeLock?: (tx: Transaction, ctx: RequestContext, input: TUpdate) => Promise<void>;
  /** Work after a create or update that needs the written row (a lead's status history). */
  afterWrite?: (
    tx: Transaction,
    ctx: RequestContext,
    before: TTable["$inferSelect"] | null,
    after: TTable["$inferSelect"],
  ) => Promise<void>;
  /** Rules a delete must pass besides permission and version (the default pipeline stays). */
  beforeDelete?: (tx: Transaction, ctx: RequestContext, current: TTable["$inferSelect"]) => Promise<void>;
  /** Events beyond `<resource>.created|updated` that a change implies (stage moves, completion). */
  events?: (before: TRecord | null, after: TRecord) => DomainEvent[];
};

/** Creates a record: permission, owner rule, the type's checks and defaults, audit entry and events. */
export async function createRecord<TTable extends RecordTable, T extends Presented, C, U>(
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  input: C,
): Promise<T> {
  const scope = assertAllowed(ctx, "create", type.resource);
  if (type.ownerField) assertOwnerAssignable(ctx, scope, (input as Ownership)[type.ownerField]);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => createRecordIn(tx, ctx, type, input));
}

/**
 * The create use case inside the caller's transaction, after the caller's permission checks
 * (lead conversion creates a company, contacts and a deal in its own).
 */
export async function createRecordIn<TTable extends RecordTable, T extends Presented, C, U>(
  tx: Transaction,
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  input: C,
): Promise<T> {
  const row = await type.insert(tx, ctx, await withPhonesInE164(tx, ctx, type.phoneFields, input));
  await type.afterWrite?.(tx, ctx, null, row);
  const record = await type.present(tx, row);
  await recordChange(tx, ctx, type, "created", null, record);
  return record;
}

/** Updates a record: permission on it, If-Match, the type's rules, audit entry with field changes, events. */
export async function updateRecordById<TTable extends RecordTable, T extends Presented, C, U>(
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  id: string,
  input: U,
  expectedVersion?: number,
): Promise<T> {
  const scope = assertAllowed(ctx, "update", type.resource);
  if (type.ownerField) assertOwnerAssignable(ctx, scope, (input as Ownership)[type.ownerField]);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await type.beforeLock?.(tx, ctx, input);
    const current = await lockRecord(tx, type.table, type.resource, ctx.workspaceId, id);
    const ownership = type.ownershipOf?.(current) ?? (current as Ownership);
    // What the caller may not even see is not found, before its version or their role is judged.
    assertVisibleTo(await readerOf(tx, ctx), type.resource, ownership);
    assertVersion(type.resource, current as { version: number }, expectedVersion);
    assertAllowedOn(ctx, "update", type.resource, ownership);
    return updateLockedRecord(tx, ctx, type, current, input);
  });
}

/** The update use case on a record the caller has locked and checked (lead conversion marks its lead). */
export async function updateLockedRecord<TTable extends RecordTable, T extends Presented, C, U>(
  tx: Transaction,
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  current: TTable["$inferSelect"],
  input: U,
): Promise<T> {
  // Presented first: the type's rules may rewrite the record's links (a lead's contacts).
  const before = await type.present(tx, current);
  const values = await type.changes(tx, ctx, current, await withPhonesInE164(tx, ctx, type.phoneFields, input));
  if (values === null) return before;
  const row = await updateRecord(tx, type.table, ctx.workspaceId, before.id, values);
  await type.afterWrite?.(tx, ctx, current, row);
  const after = await type.present(tx, row);
  await recordChange(tx, ctx, type, "updated", before, after);
  return after;
}

/**
 * Writes down an update made outside updateLockedRecord, by a set-based statement that changed
 * many records at once (deals re-derived when their stage's won/lost flag changes): the type's
 * afterWrite work, its audit entry and its events, as for an update of its own.
 */
export async function recordUpdate<TTable extends RecordTable, T extends Presented, C, U>(
  tx: Transaction,
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  before: TTable["$inferSelect"],
  after: TTable["$inferSelect"],
): Promise<void> {
  await type.afterWrite?.(tx, ctx, before, after);
  await recordChange(tx, ctx, type, "updated", await type.present(tx, before), await type.present(tx, after));
}

/** Soft-deletes a record (admins and managers), checking If-Match; `<resource>.deleted`. */
export async function deleteRecord<TTable extends RecordTable, T extends Presented, C, U>(
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  id: string,
  expectedVersion?: number,
): Promise<void> {
  assertAllowed(ctx, "delete", type.resource);
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await lockRecord(tx, type.table, type.resource, ctx.workspaceId, id, { expectedVersion });
    await type.beforeDelete?.(tx, ctx, current);
    const row = await updateRecord(tx, type.table, ctx.workspaceId, id, { deletedAt: sql`now()` });
    await recordChange(tx, ctx, type, "deleted", null, await type.present(tx, row));
  });
}

/** Restores a soft-deleted record; a unique value taken meanwhile answers 409. `<resource>.restored`. */
export async function restoreRecord<TTable extends RecordTable, T extends Presented, C, U>(
  ctx: RequestContext,
  type: RecordType<TTable, T, C, U>,
  id: string,
  expectedVersion?: number,
): Promise<T> {
  assertAllowed(ctx, "restore", type.resource);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await lockRecord(tx, type.table, type.resource, ctx.workspaceId, id, { expectedVersion, deleted: true });
    const row = await updateRecord(tx, type.table, ctx.workspaceId, id, { deletedAt: null });
    const record = await type.present(tx, row);
    await recordChange(tx, ctx, type, "restored", null, record);
    return record;
  });
}

/**
 * The one place a record change is written down: its audit entry (with field-level changes) and
 * its events, in the transaction of the change, so both exist exactly when the change does.
 */
async function recordChange<T extends Presented>(
  tx: Transaction,
  ctx: RequestContext,
  type: Pick<RecordType<RecordTable, T, unknown, unknown>, "resource" | "events">,
  action: "created" | "updated" | "deleted" | "restored",
  before: T | null,
  after: T,
): Promise<void> {
  const { resource } = type;
  const changes = action === "created" || action === "updated" ? fieldChanges(before, after) : null;
  const payload = action === "updated" ? { record: after, changes: changes ?? {} } : { record: after };
  const event = { type: `${resource}.${action}`, resourceId: after.id, payload } as DomainEvent;
  const more = action === "created" || action === "updated" ? (type.events?.(before, after) ?? []) : [];
  await recordFact(
    tx,
    ctx,
    { action: `${resource}.${action}`, resourceType: resource, resourceId: after.id, changes },
    [event, ...more],
  );
}
