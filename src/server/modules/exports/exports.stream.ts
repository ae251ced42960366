import { parseListRequest, type ListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { canAct, type Action } from "../../../shared/permissions.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { recordFact } from "../audit/index.ts";
import { cellOf, includesOf, resolveColumns, type Cell, type ExportColumn } from "./exports.columns.ts";
import { fastSelectsOf, readFastCsvPages, readFastPages, type CsvText, type ReadMode } from "./exports.read.ts";
import type { ExportTarget } from "./exports.resources.ts";
import type { ColumnSelect } from "./exports.selects.ts";

/** Rows per page when the list use case reads them (searches, vCards, columns the fast read lacks). */
export const exportPageSize = 1000;

/** List parameters an export does not take: it pages by itself and picks relations from its columns. */
const pagingOnly = ["limit", "cursor", "include"];

type Item = Record<string, unknown>;

/** An export checked and ready to stream: every error it can have in advance has been thrown. */
export type PreparedExport = {
  ctx: RequestContext;
  target: ExportTarget;
  columns: ExportColumn[];
  format: string;
  /** The list parameters as given (filters, q, sort): what the audit entry records. */
  parameters: Record<string, string>;
  /** The list query each page of the list use case runs, without its cursor. */
  listQuery: Record<string, unknown>;
  /**
   * Set when the fast read (exports.read.ts) can answer: the SQL of each column. Not for a search
   * (`q`, whose exact-then-similar phases belong to the list) nor for a column it has no SQL for.
   */
  fast: { request: ListRequest; selects: ColumnSelect[] } | null;
  /**
   * How the fast read reads CSV: page by page for a download (no connection held while the client
   * reads), in one snapshot by COPY for an export job (exports.read.ts).
   */
  readMode: ReadMode;
  /** Rows written so far. */
  rows: number;
  /** More for the audit entry (an export run as a job: its id). */
  auditDetails?: Record<string, unknown>;
};

/**
 * Throws 403 unless the caller's role may export (PRODUCT.md §2: admins and managers): `create`
 * to export, `read` to follow or download an export asked for earlier, so an agent demoted since
 * gets nothing more.
 */
export function assertMayExport(ctx: RequestContext, action: Action = "create"): void {
  if (!canAct(ctx.actor.role, action, "export")) {
    throw new AppError("forbidden", "Only admins and managers can export lists.");
  }
}

/**
 * Checks an export before any byte is sent, so every mistake is a 400/403 problem: the role may
 * read the list, the list parameters are valid (exactly as the list validates them), the columns
 * exist. `extraIncludes`: relations the format needs whatever the columns (vCard: company).
 */
export function prepareExport(
  ctx: RequestContext,
  target: ExportTarget,
  query: Record<string, unknown>,
  options: { columns: string | undefined; format: string; extraIncludes?: string[] },
): PreparedExport {
  assertMayExport(ctx);
  assertAllowed(ctx, "read", target.noun);
  const misplaced = pagingOnly.filter((name) => Object.hasOwn(query, name));
  if (misplaced.length > 0) {
    throw new AppError(
      "validation",
      "Some query parameters are invalid.",
      misplaced.map((name) => ({ path: name, message: "An export reads the whole list: not an export parameter" })),
    );
  }
  const columns = resolveColumns(target.resource, options.columns);
  const include = [...new Set([...includesOf(columns), ...(options.extraIncludes ?? [])])];
  const listQuery = { ...query, limit: exportPageSize, ...(include.length ? { include: include.join(",") } : {}) };
  const request = parseListRequest(target.listSpec, listQuery, ctx.actor.userId);
  const parameters = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
  const selects = options.format === "vcf" || request.search ? null : fastSelectsOf(target.resource, columns);
  const fast = selects ? { request, selects } : null;
  return { ctx, target, columns, format: options.format, parameters, listQuery, fast, readMode: "pages", rows: 0 };
}

/**
 * The whole list as the list use case answers it, page after page: a keyset walk with the list's
 * own cursor (never OFFSET), each page in its own short workspace transaction, so an export holds
 * one page in memory and no transaction open while the client downloads. Rows changed during the
 * walk appear as the cursor finds them (no snapshot across pages).
 */
export async function* listItemPages(prepared: PreparedExport): AsyncGenerator<Item[]> {
  const { ctx, target, listQuery } = prepared;
  let cursor: string | null = null;
  do {
    const query: Record<string, unknown> = cursor ? { ...listQuery, cursor } : listQuery;
    const page = await target.list(ctx, parseListRequest(target.listSpec, query, ctx.actor.userId));
    prepared.rows += page.data.length;
    yield page.data;
    cursor = page.nextCursor;
  } while (cursor);
}

/** The export's rows as cells: by the fast read when it can, else from the list's items. */
export async function* exportPages(prepared: PreparedExport): AsyncGenerator<Cell[][]> {
  if (prepared.fast) {
    const { request, selects } = prepared.fast;
    for await (const page of readFastPages(prepared.ctx, prepared.target, request, selects)) {
      prepared.rows += page.length;
      yield page;
    }
    return;
  }
  const { columns } = prepared;
  for await (const items of listItemPages(prepared)) {
    const page: Cell[][] = [];
    for (const item of items) page.push(columns.map((column) => cellOf(column, item)));
    yield page;
  }
}

/** CSV pages: by the fast read, each page CSV text written by the database; else cells. */
export async function* exportCsvPages(prepared: PreparedExport): AsyncGenerator<Cell[][] | CsvText> {
  if (!prepared.fast) {
    yield* exportPages(prepared);
    return;
  }
  const { request, selects } = prepared.fast;
  const { ctx, target, columns } = prepared;
  for await (const page of readFastCsvPages(ctx, target, request, selects, columns, prepared.readMode)) {
    prepared.rows += page.rows;
    yield page;
  }
}

/**
 * Pages (of cells, or of items for a vCard) that write the export's audit entry when they end: one
 * entry (`<type>.exported`) with the format, list parameters, columns and rows written; `complete`
 * false when the download stopped early (the client left, or a read failed), since those rows left
 * Keel too. An export changes nothing, so it emits no event.
 */
export async function* audited<T>(prepared: PreparedExport, pages: AsyncIterable<T>): AsyncGenerator<T> {
  let complete = false;
  try {
    yield* pages;
    complete = true;
  } finally {
    await auditExport(prepared, complete);
  }
}

async function auditExport(prepared: PreparedExport, complete: boolean): Promise<void> {
  const { ctx, target } = prepared;
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    recordFact(tx, ctx, {
      action: `${target.noun}.exported`,
      resourceType: target.noun,
      details: {
        format: prepared.format,
        parameters: prepared.parameters,
        columns: prepared.columns.map((column) => column.name),
        rowCount: prepared.rows,
        complete,
        ...prepared.auditDetails,
      },
    }),
  );
}
