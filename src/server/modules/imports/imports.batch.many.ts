import type { Transaction } from "../../db/client.ts";
import { assertAllowed, assertOwnerAssignable } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { companyType } from "../companies/index.ts";
import { createRecordsIn } from "../records/records.create-many.ts";
import {
  checkRow,
  companyInputOf,
  companyKey,
  companyRefusal,
  IsolateRows,
  isRowRefusal,
  loadBatchState,
  refusalAsErrors,
  resolveKnownKeys,
  updateDuplicate,
  writerOf,
  type BatchResult,
  type BatchSettings,
  type BatchState,
} from "./imports.batch.ts";
import { importKinds } from "./imports.kinds.ts";
import { duplicateKeysOf } from "./imports.lookups.ts";
import type { FileRow } from "./imports.parse.ts";
import { convertRow, headersByField, issuesAsErrors, type ConvertedRow } from "./imports.rows.ts";

/** A row waiting to be created with the others of its batch. */
type PendingRow = { row: ConvertedRow; line: number; input: Record<string, unknown> };

/**
 * Writes one batch set-based, in the caller's transaction, with the rules of the row-by-row path
 * (imports.batch.ts writeBatch): every row is checked with the API's schemas in JS, its natural
 * keys resolved from one query per kind (loadBatchState), the companies that the rows passing
 * their checks name and that do not exist are created with one statement, then the batch's new
 * records with one statement (and one for their audit entries and events: createRecordsIn).
 * Updates (onDuplicate "update") stay row by row. A refusal of the database fails the whole
 * statement: this throws IsolateRows, and the caller writes the batch again row by row, which
 * names the refused rows. So does a row refused after its company was created (a phone that is
 * not a number, an update its role may not make): row by row, the company goes with its row. Any
 * other failure is thrown as it is.
 */
export async function writeBatchSetBased(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  fileRows: FileRow[],
): Promise<BatchResult> {
  try {
    return await writeSetBased(tx, ctx, settings, fileRows);
  } catch (error) {
    // Only a refusal of a row's values is worth writing the batch again row by row; any other
    // failure (the connection lost, a bug) fails the batch visibly, and its job is retried.
    throw isRowRefusal(error) ? new IsolateRows() : error;
  }
}

async function writeSetBased(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  fileRows: FileRow[],
): Promise<BatchResult> {
  const kind = importKinds[settings.resource];
  const scope = assertAllowed(ctx, "create", kind.resource);
  const headers = headersByField(settings.mapping);
  const rows = fileRows.map((row) => convertRow(settings.resource, settings.columns, settings.mapping, row.cells));
  const state = await loadBatchState(tx, ctx, settings, rows);
  const result: BatchResult = { counts: { created: 0, updated: 0, skipped: 0, failed: 0 }, written: [], failures: [] };
  for (const row of rows) resolveKnownKeys(settings, state, row);
  const skipped = checkRows(ctx, settings, state, scope, rows);
  const created = await createCompanies(
    tx,
    ctx,
    state,
    result,
    rows,
    skipped,
    fileRows,
    headers.get("company") ?? null,
  );
  let pending: PendingRow[] = [];
  const flush = async () => {
    await createPending(tx, ctx, settings, state, result, pending);
    pending = [];
  };
  // Keys of the rows waiting to be created: a later row of the batch duplicating one is its duplicate too.
  const pendingKeys = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const line = fileRows[index]!.line;
    if (row.errors.length > 0) continue;
    const keys = duplicateKeysOf(settings.resource, row.input).map((k) => `${k.by}:${k.value}`);
    const duplicateOf = () => keys.map((key) => state.duplicates.get(key)).find(Boolean);
    const isPendingDuplicate = keys.some((key) => pendingKeys.has(key));
    if (skipped.has(row)) {
      result.counts.skipped++;
      continue;
    }
    // The record to update may be one this batch has yet to create: those are created first.
    if (!duplicateOf() && isPendingDuplicate && settings.onDuplicate === "update") await flush();
    const updated = duplicateOf();
    if (updated && settings.onDuplicate === "update") {
      try {
        await updateDuplicate(tx, ctx, settings, row, line, scope, result, writerOf(false), updated);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        row.errors.push(...refusalAsErrors(error, headers));
      }
      continue;
    }
    const parsed = kind.create.safeParse(row.input);
    if (!parsed.success) {
      row.errors.push(...issuesAsErrors(parsed.error, headers));
      continue;
    }
    const input = parsed.data as Record<string, unknown>;
    if (kind.ownerField) {
      try {
        assertOwnerAssignable(ctx, scope, input[kind.ownerField] as string | null | undefined);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        row.errors.push(...refusalAsErrors(error, headers));
        continue;
      }
    }
    for (const key of keys) pendingKeys.add(key);
    pending.push({ row, line, input });
  }
  await flush();
  // A company created for a row refused afterwards: row by row, it is written with its row or not at all.
  if (rows.some((row) => row.errors.length > 0 && created.has(row.input.companyId as string))) {
    throw new IsolateRows();
  }
  for (const [index, row] of rows.entries()) {
    if (row.errors.length === 0) continue;
    result.counts.failed++;
    result.failures.push({ line: fileRows[index]!.line, errors: row.errors, raw: row.raw });
  }
  return result;
}

/**
 * The rows' own checks (imports.batch.ts checkRow) before anything is written, with the schema of
 * what the write loop will do with each row: its refusals become row errors, so no company is
 * created for a failing row. Answers the rows skipped as duplicates (of a record, or of an earlier
 * row of the batch), which write nothing either.
 */
function checkRows(
  ctx: RequestContext,
  settings: BatchSettings,
  state: BatchState,
  scope: "all" | "own",
  rows: ConvertedRow[],
): Set<ConvertedRow> {
  const skipped = new Set<ConvertedRow>();
  const pendingKeys = new Set<string>();
  for (const row of rows) {
    if (row.errors.length > 0) continue;
    const keys = duplicateKeysOf(settings.resource, row.input).map((k) => `${k.by}:${k.value}`);
    const isDuplicate = keys.some((key) => state.duplicates.has(key) || pendingKeys.has(key));
    if (isDuplicate && settings.onDuplicate === "skip") {
      skipped.add(row);
      continue;
    }
    const updatesDuplicate = isDuplicate && settings.onDuplicate === "update";
    if (checkRow(ctx, settings, scope, row, updatesDuplicate) && !updatesDuplicate) {
      for (const key of keys) pendingKeys.add(key);
    }
  }
  return skipped;
}

/**
 * The companies the batch's rows name, by domain or name: found, or created with one statement
 * (once each, written down for undo on the line of the first row naming it). A name the company
 * schema refuses is an error of the rows naming it. Rows that failed their checks or are skipped
 * create none. Answers the ids of the companies created.
 */
async function createCompanies(
  tx: Transaction,
  ctx: RequestContext,
  state: BatchState,
  result: BatchResult,
  rows: ConvertedRow[],
  skipped: Set<ConvertedRow>,
  fileRows: FileRow[],
  column: string | null,
): Promise<Set<string>> {
  const created = new Set<string>();
  const missing = new Map<string, { input: Record<string, unknown>; line: number }>();
  const refused = new Map<string, string>();
  for (const [index, row] of rows.entries()) {
    const key = row.keys.company?.trim();
    if (!key || row.errors.length > 0 || skipped.has(row)) continue;
    const mapKey = companyKey(key);
    if (state.companies.has(mapKey) || missing.has(mapKey) || refused.has(mapKey)) continue;
    const parsed = companyInputOf(key);
    if (parsed.success) missing.set(mapKey, { input: parsed.data, line: fileRows[index]!.line });
    else refused.set(mapKey, parsed.error.issues[0]?.message ?? "Not a company name");
  }
  if (missing.size > 0) {
    const outcomes = await createRecordsIn(
      tx,
      ctx,
      companyType,
      [...missing.values()].map((m) => m.input as never),
    );
    for (const [index, [mapKey, { line }]] of [...missing.entries()].entries()) {
      const outcome = outcomes[index]!;
      if ("refusal" in outcome) {
        refused.set(mapKey, outcome.refusal.message);
        continue;
      }
      state.companies.set(mapKey, outcome.record.id);
      created.add(outcome.record.id);
      result.written.push({
        resource: "companies",
        recordId: outcome.record.id,
        action: "created",
        before: null,
        line,
      });
    }
  }
  for (const row of rows) {
    const key = row.keys.company?.trim();
    if (!key || row.errors.length > 0 || skipped.has(row)) continue;
    const mapKey = companyKey(key);
    const id = state.companies.get(mapKey);
    if (id) row.input.companyId = id;
    else row.errors.push({ column, message: companyRefusal(key, refused.get(mapKey) ?? "Not a company name") });
  }
  return created;
}

/** Creates the waiting rows with one statement; a phone refused is an error of its row. */
async function createPending(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  state: BatchState,
  result: BatchResult,
  pending: PendingRow[],
): Promise<void> {
  if (pending.length === 0) return;
  const kind = importKinds[settings.resource];
  const headers = headersByField(settings.mapping);
  const outcomes = await createRecordsIn(
    tx,
    ctx,
    kind.type,
    pending.map((p) => p.input),
  );
  for (const [index, { row, line }] of pending.entries()) {
    const outcome = outcomes[index]!;
    if ("refusal" in outcome) {
      row.errors.push(...refusalAsErrors(outcome.refusal, headers));
      continue;
    }
    for (const key of duplicateKeysOf(settings.resource, row.input)) {
      state.duplicates.set(`${key.by}:${key.value}`, outcome.record.id);
    }
    result.counts.created++;
    result.written.push({
      resource: settings.resource,
      recordId: outcome.record.id,
      action: "created",
      before: null,
      line,
    });
  }
}
