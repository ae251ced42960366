import { and, eq, sql } from "drizzle-orm";
import type { Import, ImportResource, UpdateImport, UploadedImport } from "../../../shared/schemas/import.ts";
import type { Database } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { newestFirstAfter, newestFirstPage } from "../../lib/cursor.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { writeAudit } from "../audit/index.ts";
import { CsvRecordCounter } from "./imports.count.ts";
import { decodeHead, detectDelimiter, isXlsx, looksBinary, Utf8Check } from "./imports.detect.ts";
import { importKinds } from "./imports.kinds.ts";
import { checkMapping, checkRequiredMapped, suggestMapping } from "./imports.mapping.ts";
import { countOf, fileRows, headersOf } from "./imports.parse.ts";
import { noDryRunCounts } from "./imports.dry-run.ts";
import {
  deleteRowErrors,
  findImport,
  listImportRows,
  savedMappings,
  toImport,
  updateImport,
  type ImportRow,
} from "./imports.repository.ts";
import { deleteFile, readChunks, storeChunks } from "./imports.storage.ts";
import { imports } from "./imports.table.ts";

/** The largest file an upload takes (documented in docs/import-export.md); tests lower it. */
export const importLimits = { maxFileBytes: 200 * 1024 * 1024 };

/** Runs `work` in a transaction of the actor's workspace. */
export const inWorkspace = <T>(ctx: RequestContext, work: Parameters<typeof withWorkspaceTransaction<T>>[2]) =>
  withWorkspaceTransaction(ctx.db, ctx.workspaceId, work);

/**
 * Who may see and work an import: whoever may create the records it imports; an agent ("own")
 * only the imports they started.
 */
function assertMayWork(ctx: RequestContext, row: ImportRow): void {
  const scope = assertAllowed(ctx, "create", importKinds[row.resource as ImportResource].resource);
  if (scope === "own" && row.createdBy !== ctx.actor.userId) throw new AppError("not-found", "No such import.");
}

/** An import the actor may see and work (404 otherwise). */
export async function readImport(ctx: RequestContext, id: string, options: { lock?: boolean } = {}) {
  const row = await inWorkspace(ctx, (tx) => findImport(tx, ctx.workspaceId, id, options));
  assertMayWork(ctx, row);
  return row;
}

/** The header and the first five rows of the stored file. */
async function firstRows(db: Database, row: ImportRow) {
  const source = readChunks(db, row.workspaceId, row.id);
  let header: string[] | null = null;
  const samples: string[][] = [];
  try {
    for await (const fileRow of fileRows(source, row)) {
      if (!header) header = headersOf(fileRow.cells);
      else samples.push(fileRow.cells);
      if (samples.length === 5) break;
    }
  } finally {
    source.destroy();
  }
  if (!header) throw new AppError("validation", "The file has no header row.", [{ path: "file", message: "No rows" }]);
  return { header, samples };
}

/**
 * The number of data rows in the stored file. A CSV file's are counted from its bytes, which
 * does not build the cells of every row a second time (the import parses them when it runs);
 * a workbook's need its XML parsed.
 */
async function countRows(db: Database, row: ImportRow): Promise<number> {
  const source = readChunks(db, row.workspaceId, row.id);
  try {
    const records =
      row.format === "csv" ? await countCsvRecords(source, row.delimiter) : await countOf(fileRows(source, row));
    return Math.max(records - 1, 0); // the header is not a data row
  } finally {
    source.destroy();
  }
}

async function countCsvRecords(bytes: AsyncIterable<Buffer>, delimiter: string | null): Promise<number> {
  const counter = new CsvRecordCounter(delimiter ?? ",");
  for await (const slice of bytes) counter.feed(slice);
  return counter.finish();
}

/** A file part of the upload: its name and its bytes as they arrive. */
export type Upload = { resource: ImportResource; fileName: string; bytes: AsyncIterable<Buffer> };

/**
 * Stores an uploaded file in slices, detects its format, encoding and delimiter, reads its header
 * and first rows, and suggests a mapping. A file that fails any step leaves nothing behind.
 */
export async function uploadImport(ctx: RequestContext, upload: Upload): Promise<UploadedImport> {
  assertAllowed(ctx, "create", importKinds[upload.resource].resource);
  const id = newId();
  const base = { workspaceId: ctx.workspaceId, id, resource: upload.resource, createdBy: ctx.actor.userId };
  await inWorkspace(ctx, (tx) =>
    tx.insert(imports).values({ ...base, fileName: upload.fileName.slice(0, 255), format: "csv" }),
  );
  try {
    const utf8 = new Utf8Check();
    const stored = await storeChunks(ctx.db, ctx.workspaceId, id, upload.bytes, (bytes) => utf8.feed(bytes));
    const xlsx = isXlsx(upload.fileName, stored.head);
    if (!xlsx && looksBinary(stored.head)) {
      throw new AppError("validation", "The file is neither CSV nor XLSX.", [
        { path: "file", message: "Not CSV or XLSX" },
      ]);
    }
    const encoding = xlsx ? null : utf8.finish() ? ("utf-8" as const) : ("windows-1252" as const);
    const delimiter = encoding ? detectDelimiter(decodeHead(stored.head, encoding)) : null;
    const detected = {
      format: xlsx ? ("xlsx" as const) : ("csv" as const),
      encoding,
      delimiter,
      sizeBytes: stored.sizeBytes,
    };
    const staged = await inWorkspace(ctx, (tx) => updateImport(tx, ctx.workspaceId, id, detected));
    const { header, samples } = await firstRows(ctx.db, staged);
    const count = await countRows(ctx.db, staged);
    const saved = await inWorkspace(ctx, (tx) => savedMappings(tx, ctx.workspaceId, upload.resource));
    const remembered = Object.assign({}, ...saved.reverse());
    const mapping = suggestMapping(upload.resource, header, remembered);
    const row = await inWorkspace(ctx, (tx) =>
      updateImport(tx, ctx.workspaceId, id, { columns: header, mapping, rowsTotal: count }),
    );
    const sampleRows = samples.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])));
    return { ...toImport(row), sampleRows };
  } catch (error) {
    await inWorkspace(ctx, (tx) =>
      tx.delete(imports).where(and(eq(imports.workspaceId, ctx.workspaceId), eq(imports.id, id))),
    );
    throw error;
  }
}

/**
 * Which statuses each step takes. `validating` (a dry run at work) only a new dry run (it starts
 * over) and a cancel (which ends the dry run): the mapping it checks may not change under it, and
 * an import starts after its dry run, not during it.
 */
const stepStatuses = {
  changed: ["uploaded"],
  validated: ["uploaded", "validating"],
  started: ["uploaded"],
  cancelled: ["uploaded", "validating", "running"],
} satisfies Record<string, ImportRow["status"][]>;

function assertStatus(row: ImportRow, doing: keyof typeof stepStatuses): void {
  const allowed: ImportRow["status"][] = stepStatuses[doing];
  if (allowed.includes(row.status)) return;
  const errors = [{ path: "status", message: `Must be ${allowed.join(" or ")}` }];
  if (row.status === "validating") {
    throw new AppError(
      "conflict",
      "A dry run is checking the import's rows: wait for it to end, or cancel it.",
      errors,
    );
  }
  throw new AppError("conflict", `The import is ${row.status}: it cannot be ${doing}.`, errors);
}

/** Changes the mapping, the duplicate policy or the options of an import not started yet. */
export async function updateImportSettings(ctx: RequestContext, id: string, input: UpdateImport): Promise<Import> {
  return inWorkspace(ctx, async (tx) => {
    const row = await findImport(tx, ctx.workspaceId, id, { lock: true });
    assertMayWork(ctx, row);
    assertStatus(row, "changed");
    const resource = row.resource as ImportResource;
    const mapping = input.mapping ? { ...row.mapping, ...input.mapping } : row.mapping;
    if (input.mapping) checkMapping(resource, row.columns, mapping, Object.keys(input.mapping));
    await deleteRowErrors(tx, ctx.workspaceId, id);
    return toImport(
      await updateImport(tx, ctx.workspaceId, id, {
        mapping,
        ...(input.onDuplicate ? { onDuplicate: input.onDuplicate } : {}),
        ...(input.options ? { options: input.options } : {}),
        dryRun: null,
        errorSummary: null,
      }),
    );
  });
}

/**
 * Starts a dry run (over, when one is at work): the import is `validating` from its first row,
 * with no errors or counts yet; the `imports.dry-run` job then checks its rows (imports.dry-run.ts).
 * Not audited: nothing but the import's own report changes.
 */
export async function startDryRun(ctx: RequestContext, id: string): Promise<Import> {
  return inWorkspace(ctx, async (tx) => {
    const current = await findImport(tx, ctx.workspaceId, id, { lock: true });
    assertMayWork(ctx, current);
    assertStatus(current, "validated");
    checkRequiredMapped(current.resource as ImportResource, current.mapping);
    await deleteRowErrors(tx, ctx.workspaceId, id);
    const validating = await updateImport(tx, ctx.workspaceId, id, {
      status: "validating",
      dryRunStartedAt: sql`now()` as never,
      rowsDone: 0,
      dryRun: noDryRunCounts,
      errorSummary: null,
    });
    return toImport(validating);
  });
}

/** Starts an import: its mapping is saved for the next files with the same headers; the job runs it. */
export async function startImport(ctx: RequestContext, id: string): Promise<Import> {
  return inWorkspace(ctx, async (tx) => {
    const row = await findImport(tx, ctx.workspaceId, id, { lock: true });
    assertMayWork(ctx, row);
    assertStatus(row, "started");
    checkRequiredMapped(row.resource as ImportResource, row.mapping);
    await deleteRowErrors(tx, ctx.workspaceId, id);
    const started = await updateImport(tx, ctx.workspaceId, id, {
      status: "running",
      startedAt: sql`now()` as never,
      rowsDone: 0,
    });
    await writeAudit(tx, ctx, {
      action: "import.started",
      resourceType: "import",
      resourceId: id,
      details: { resource: row.resource, rows: row.rowsTotal, onDuplicate: row.onDuplicate },
    });
    return toImport(started);
  });
}

export async function getImport(ctx: RequestContext, id: string): Promise<Import> {
  return toImport(await readImport(ctx, id));
}

/** The workspace's imports, newest first; agents see their own. */
export async function listImports(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
  const scope = assertAllowed(ctx, "create", "contact") === "own" ? ctx.actor.userId : null;
  const after = newestFirstAfter(query.cursor);
  const rows = await inWorkspace(ctx, (tx) =>
    listImportRows(tx, ctx.workspaceId, { after, limit: query.limit, createdBy: scope }),
  );
  const page = newestFirstPage(rows, query.limit);
  return { data: page.data.map(toImport), nextCursor: page.nextCursor };
}

/**
 * Stops an import at its next batch; what it committed stays and can be undone. A validating import
 * is not cancelled: its dry run stops at its next batch and it is `uploaded` again, without the
 * dry run's counts or errors (not audited, as the dry run is not).
 */
export async function cancelImport(ctx: RequestContext, id: string): Promise<Import> {
  return inWorkspace(ctx, async (tx) => {
    const row = await findImport(tx, ctx.workspaceId, id, { lock: true });
    assertMayWork(ctx, row);
    assertStatus(row, "cancelled");
    if (row.status === "validating") {
      await deleteRowErrors(tx, ctx.workspaceId, id);
      return toImport(await updateImport(tx, ctx.workspaceId, id, { status: "uploaded", rowsDone: 0, dryRun: null }));
    }
    const cancelled = await updateImport(tx, ctx.workspaceId, id, {
      status: "cancelled",
      finishedAt: sql`now()` as never,
    });
    // A running job reads no further slice: its next batch sees the import cancelled and stops.
    await deleteFile(tx, ctx.workspaceId, id);
    await writeAudit(tx, ctx, {
      action: "import.cancelled",
      resourceType: "import",
      resourceId: id,
      details: { resource: row.resource, rowsDone: row.rowsDone },
    });
    return toImport(cancelled);
  });
}
