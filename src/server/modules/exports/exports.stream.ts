import { parseListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { recordFact } from "../audit/index.ts";
import { includesOf, resolveColumns, type ExportColumn } from "./exports.columns.ts";
import type { ExportTarget } from "./exports.resources.ts";

/** Rows read per page: each page is one short transaction and one query per included relation. */
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
  /** The list query each page runs, without its cursor. */
  listQuery: Record<string, unknown>;
  /** Rows written so far. */
  rows: number;
};

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
  parseListRequest(target.listSpec, listQuery, ctx.actor.userId);
  const parameters = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
  return { ctx, target, columns, format: options.format, parameters, listQuery, rows: 0 };
}

/**
 * The whole list, page after page: a keyset walk with the list's own cursor (never OFFSET), each
 * page read by the list use case in its own short workspace transaction, so an export holds one
 * page in memory and no transaction open while the client downloads. Rows changed during the
 * walk appear as the cursor finds them (no snapshot across pages).
 */
export async function* exportPages(prepared: PreparedExport): AsyncGenerator<Item[]> {
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

/**
 * The pages of an export that writes its audit entry when the stream ends: one entry
 * (`<type>.exported`) with the format, list parameters, columns and rows written; `complete`
 * false when the download stopped early (the client left, or a read failed), since those rows left
 * Keel too. An export changes nothing, so it emits no event.
 */
export async function* auditedPages(prepared: PreparedExport): AsyncGenerator<Item[]> {
  let complete = false;
  try {
    yield* exportPages(prepared);
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
      },
    }),
  );
}
