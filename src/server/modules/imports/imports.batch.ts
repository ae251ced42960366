import { CreateCompanySchema } from "../../../shared/schemas/company.ts";
import type { DuplicatePolicy, ImportMapping, ImportResource } from "../../../shared/schemas/import.ts";
import type { Transaction } from "../../db/client.ts";
import { translateDatabaseError } from "../../db/constraints.ts";
import { lockRecord } from "../../db/records.ts";
import { assertAllowed, assertAllowedOn, assertOwnerAssignable } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { companyType } from "../companies/index.ts";
import { createRecordIn, updateLockedRecord } from "../records/index.ts";
import { importKinds } from "./imports.kinds.ts";
import {
  duplicateKeysOf,
  findCompanies,
  findContactsByEmail,
  findDuplicates,
  looksLikeDomain,
  type RunLookups,
} from "./imports.lookups.ts";
import { convertRow, headersByField, issuesAsErrors, type ConvertedRow, type RowError } from "./imports.rows.ts";
import type { FileRow } from "./imports.parse.ts";

export type Counts = { created: number; updated: number; skipped: number; failed: number };
export type WrittenRecord = {
  resource: ImportResource;
  recordId: string;
  action: "created" | "updated";
  before: Record<string, unknown> | null;
  line: number;
};
export type FailedRow = { line: number; errors: RowError[]; raw: Record<string, string> };
export type BatchResult = { counts: Counts; written: WrittenRecord[]; failures: FailedRow[] };

export type BatchSettings = {
  resource: ImportResource;
  columns: string[];
  mapping: ImportMapping;
  onDuplicate: DuplicatePolicy;
  lookups: RunLookups;
};

/**
 * Thrown by a batch written without savepoints when a write failed: the caller rolls the batch
 * back and writes it again with a savepoint per row, which reports the row and keeps the others.
 */
export class IsolateRows extends Error {
  constructor() {
    super("a row of the batch failed: write it again row by row");
  }
}

/**
 * Whether a write failed on a row's values (a unique value taken, a check, a missing related
 * record, a malformed value: what translateDatabaseError names), so writing the batch again row
 * by row names the row. Anything else (the connection lost, a write conflict, a bug) is not a
 * row's: it fails the batch and its job, which is retried.
 */
export function isRowRefusal(error: unknown): boolean {
  const refusal = translateDatabaseError(error);
  return refusal !== null && refusal.type !== "conflict";
}

/** Each write of a row in a savepoint (isolated), or straight in the batch's transaction (fast). */
export type Writer = <T>(tx: Transaction, work: (t: Transaction) => Promise<T>) => Promise<T>;
export const writerOf = (isolated: boolean): Writer =>
  isolated ? (tx, work) => tx.transaction(work) : (tx, work) => work(tx);

/** What a batch learnt of the database, updated as its rows create records (later rows see them). */
export type BatchState = {
  companies: Map<string, string>;
  contacts: Map<string, string>;
  duplicates: Map<string, string>;
};

export const companyKey = (key: string) =>
  looksLikeDomain(key) ? `domain:${key.toLowerCase()}` : `name:${key.toLowerCase()}`;

export async function loadBatchState(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  rows: ConvertedRow[],
): Promise<BatchState> {
  const companyKeys = rows.flatMap((row) => (row.keys.company ? [row.keys.company.trim()] : []));
  const domains = companyKeys.filter(looksLikeDomain).map((k) => k.toLowerCase());
  const names = companyKeys.map((k) => k.toLowerCase());
  const found = await findCompanies(tx, ctx.workspaceId, domains, names);
  const companies = new Map<string, string>();
  for (const [domain, id] of found.byDomain) companies.set(`domain:${domain}`, id);
  for (const [name, id] of found.byName) companies.set(`name:${name}`, id);
  // A company named by its domain may exist under that name (created by an earlier import).
  for (const domain of domains)
    if (!companies.has(`domain:${domain}`) && found.byName.has(domain))
      companies.set(`domain:${domain}`, found.byName.get(domain)!);
  const emails = rows.flatMap((row) => (row.keys.contactEmail ? [row.keys.contactEmail.toLowerCase()] : []));
  const contacts = await findContactsByEmail(tx, ctx.workspaceId, [...new Set(emails)]);
  const duplicateKeys = rows.flatMap((row) => duplicateKeysOf(settings.resource, row.input));
  const duplicates = await findDuplicates(tx, ctx.workspaceId, settings.resource, duplicateKeys);
  return { companies, contacts, duplicates };
}

/**
 * The company a row names: found, or created in the row's transaction (or savepoint). A company
 * created is not yet the batch's: the caller keeps it (keepCompany) once the row is written.
 */
async function companyFor(
  tx: Transaction,
  ctx: RequestContext,
  state: BatchState,
  key: string,
): Promise<{ id: string; isNew: boolean }> {
  const known = state.companies.get(companyKey(key.trim()));
  if (known) return { id: known, isNew: false };
  const parsed = companyInputOf(key);
  // checkRow refused such a name already; a refusal here still only fails the row.
  if (!parsed.success) throw new AppError("validation", companyRefusal(key, parsed.error));
  const company = await createRecordIn(tx, ctx, companyType, parsed.data);
  return { id: company.id, isNew: true };
}

/** The company a row's company cell would create: its name, and its domain when it looks like one. */
export function companyInputOf(key: string) {
  const name = key.trim();
  const domain = looksLikeDomain(name) ? name.toLowerCase() : undefined;
  return CreateCompanySchema.safeParse({ name, ...(domain ? { domain } : {}) });
}

/** Why a row's company cannot be created, as its row error says it. */
export function companyRefusal(key: string, error: { issues: readonly { message: string }[] } | string): string {
  const reason = typeof error === "string" ? error : (error.issues[0]?.message ?? "Not a company name");
  return `The company ${key.trim()} cannot be created: ${reason}`;
}

/** A company created for a row that was written: later rows naming it link to it; written down for undo. */
function keepCompany(state: BatchState, result: BatchResult, key: string, id: string, line: number): void {
  state.companies.set(companyKey(key.trim()), id);
  result.written.push({ resource: "companies", recordId: id, action: "created", before: null, line });
}

/** Stands for the company a row names while the row's own fields are checked, before it exists. */
const namedCompanyId = "00000000-0000-4000-8000-000000000000";

/**
 * Checks a row's own fields before anything is written for it, so that a row that fails creates
 * no company: the API's create schema (its update schema for a row that updates its duplicate),
 * with the company the row names standing in as found, and the owner rule. Its refusals become
 * the row's errors; answers whether it passed.
 */
export function checkRow(
  ctx: RequestContext,
  settings: BatchSettings,
  scope: "all" | "own",
  row: ConvertedRow,
  updatesDuplicate: boolean,
): boolean {
  const kind = importKinds[settings.resource];
  const headers = headersByField(settings.mapping);
  // A company the row would create must be one the API takes, or the row writes nothing.
  const company = row.keys.company?.trim() ? companyInputOf(row.keys.company) : null;
  if (company && !company.success) {
    row.errors.push({
      column: headers.get("company") ?? null,
      message: companyRefusal(row.keys.company!, company.error),
    });
    return false;
  }
  const input = row.keys.company ? { ...row.input, companyId: namedCompanyId } : row.input;
  const parsed = (updatesDuplicate ? kind.update : kind.create).safeParse(input);
  if (!parsed.success) {
    row.errors.push(...issuesAsErrors(parsed.error, headers));
    return false;
  }
  if (!kind.ownerField) return true;
  try {
    assertOwnerAssignable(ctx, scope, row.input[kind.ownerField] as string | null | undefined);
    return true;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    row.errors.push(...refusalAsErrors(error, headers));
    return false;
  }
}

/** The natural keys that name what exists already (members, contacts, pipelines, stages): no writes. */
export function resolveKnownKeys(settings: BatchSettings, state: BatchState, row: ConvertedRow): void {
  const headers = headersByField(settings.mapping);
  const fail = (field: string, message: string) => row.errors.push({ column: headers.get(field) ?? null, message });
  const { keys, input } = row;
  for (const [field, target] of [
    ["ownerEmail", "ownerId"],
    ["assigneeEmail", "assigneeId"],
  ] as const) {
    const email = keys[field];
    if (!email) continue;
    const userId = settings.lookups.members.get(email.toLowerCase());
    if (userId) input[target] = userId;
    else fail(field, `No member of this workspace has the e-mail ${email}`);
  }
  if (keys.contactEmail) {
    const contactId = state.contacts.get(keys.contactEmail.toLowerCase());
    if (contactId) input.contactId = contactId;
    else fail("contactEmail", `No contact has the e-mail ${keys.contactEmail}`);
  }
  if (keys.pipelineName || keys.stageName) resolveStage(settings.lookups, keys, input, fail);
}

function resolveStage(
  lookups: RunLookups,
  keys: ConvertedRow["keys"],
  input: Record<string, unknown>,
  fail: (field: string, message: string) => void,
): void {
  const named = keys.pipelineName ? lookups.pipelines.get(keys.pipelineName.trim().toLowerCase()) : undefined;
  if (keys.pipelineName && !named) return fail("pipelineName", `No pipeline is named ${keys.pipelineName}`);
  const pipeline = named ?? [...lookups.pipelines.values()].find((p) => p.id === lookups.defaultPipeline);
  if (!pipeline) return fail("stageName", "The workspace has no default pipeline");
  input.pipelineId = pipeline.id;
  if (!keys.stageName) return;
  const stageId = pipeline.stages.get(keys.stageName.trim().toLowerCase());
  if (stageId) input.stageId = stageId;
  else fail("stageName", `The pipeline has no stage named ${keys.stageName}`);
}

/** A refusal of the write path as row errors, each on the column of the field it names. */
export function refusalAsErrors(error: unknown, headers: Map<string, string>): RowError[] {
  const refusal = error instanceof AppError ? error : translateDatabaseError(error);
  if (!refusal) throw error;
  const named = (refusal.errors ?? []).map((e) => ({ column: headers.get(e.path) ?? null, message: e.message }));
  return named.length > 0 ? named : [{ column: null, message: refusal.message }];
}

/**
 * Writes one batch of rows in the caller's transaction: each row through the API's create (or
 * update) schema and the record type's hooks on the one write path (audit entry and events per
 * record), row by row. `isolated`: each row in a savepoint (the company it names with it), so a
 * refused row is reported, leaves nothing, and the others still commit (the way a batch is written
 * again after the set-based write of imports.batch.many.ts was refused); without, it throws
 * IsolateRows when a write is refused (and rethrows any other failure, isRowRefusal). Checks that
 * fail before any write (the schemas, unknown related records) are reported either way.
 */
export async function writeBatch(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  fileRows: FileRow[],
  isolated = true,
): Promise<BatchResult> {
  const write = writerOf(isolated);
  const kind = importKinds[settings.resource];
  const scope = assertAllowed(ctx, "create", kind.resource);
  const headers = headersByField(settings.mapping);
  const rows = fileRows.map((row) => convertRow(settings.resource, settings.columns, settings.mapping, row.cells));
  const state = await loadBatchState(tx, ctx, settings, rows);
  const result: BatchResult = { counts: { created: 0, updated: 0, skipped: 0, failed: 0 }, written: [], failures: [] };
  for (const [index, row] of rows.entries()) {
    const line = fileRows[index]!.line;
    try {
      resolveKnownKeys(settings, state, row);
      if (row.errors.length === 0) await writeRow(tx, ctx, settings, state, row, line, scope, result, write);
    } catch (error) {
      if (!isolated) throw error instanceof AppError || isRowRefusal(error) ? new IsolateRows() : error;
      row.errors.push(...refusalAsErrors(error, headers));
    }
    if (row.errors.length > 0) {
      result.counts.failed++;
      result.failures.push({ line, errors: row.errors, raw: row.raw });
    }
  }
  return result;
}

async function writeRow(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  state: BatchState,
  row: ConvertedRow,
  line: number,
  scope: "all" | "own",
  result: BatchResult,
  write: Writer,
): Promise<void> {
  const kind = importKinds[settings.resource];
  const duplicateKeys = duplicateKeysOf(settings.resource, row.input);
  const duplicateOf = duplicateKeys.map((k) => state.duplicates.get(`${k.by}:${k.value}`)).find(Boolean);
  const updatesDuplicate = duplicateOf !== undefined && settings.onDuplicate === "update";
  if (duplicateOf && settings.onDuplicate === "skip") {
    result.counts.skipped++;
    return;
  }
  if (!checkRow(ctx, settings, scope, row, updatesDuplicate)) return;
  const companyKeyOf = row.keys.company;
  // The row's company and its record in one savepoint: a row the write refuses leaves neither.
  const rowResult: BatchResult = {
    counts: { created: 0, updated: 0, skipped: 0, failed: 0 },
    written: [],
    failures: [],
  };
  const company = await write(tx, async (sp) => {
    const named = companyKeyOf ? await companyFor(sp, ctx, state, companyKeyOf) : null;
    if (named) row.input.companyId = named.id;
    if (duplicateOf && updatesDuplicate) {
      await updateDuplicate(sp, ctx, settings, row, line, scope, rowResult, writerOf(false), duplicateOf);
      return named;
    }
    const record = await createRecordIn(sp, ctx, kind.type, kind.create.parse(row.input));
    for (const key of duplicateKeys) state.duplicates.set(`${key.by}:${key.value}`, record.id);
    rowResult.counts.created++;
    rowResult.written.push({ resource: settings.resource, recordId: record.id, action: "created", before: null, line });
    return named;
  });
  if (companyKeyOf && company?.isNew) keepCompany(state, result, companyKeyOf, company.id, line);
  result.counts.created += rowResult.counts.created;
  result.counts.updated += rowResult.counts.updated;
  result.written.push(...rowResult.written);
}

/** Updates the record a row duplicates with the row's values (onDuplicate "update"), keeping what it was for undo. */
export async function updateDuplicate(
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  row: ConvertedRow,
  line: number,
  scope: "all" | "own",
  result: BatchResult,
  write: Writer,
  duplicateOf: string,
): Promise<void> {
  const kind = importKinds[settings.resource];
  const parsed = kind.update.safeParse(row.input);
  if (!parsed.success) return void row.errors.push(...issuesAsErrors(parsed.error, headersByField(settings.mapping)));
  const before = await write(tx, async (sp) => {
    const current = await lockRecord(sp, kind.type.table, kind.resource, ctx.workspaceId, duplicateOf);
    assertAllowedOn(ctx, "update", kind.resource, kind.type.ownershipOf?.(current) ?? current);
    if (kind.ownerField) assertOwnerAssignable(ctx, scope, row.input[kind.ownerField] as string | undefined);
    const presented = (await kind.type.present(sp, current)) as Record<string, unknown>;
    await updateLockedRecord(sp, ctx, kind.type, current, parsed.data);
    return Object.fromEntries(Object.keys(parsed.data as object).map((field) => [field, presented[field] ?? null]));
  });
  result.counts.updated++;
  result.written.push({ resource: settings.resource, recordId: duplicateOf, action: "updated", before, line });
}
