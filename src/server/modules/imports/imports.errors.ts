import type { RowError } from "../../../shared/schemas/import.ts";
import type { RequestContext } from "../../lib/context.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { invalidField } from "../../lib/errors.ts";
import { rowErrorsAfter, type ImportRowError, type RowErrorPosition } from "./imports.repository.ts";
import { inWorkspace, readImport } from "./imports.service.ts";

const rowErrorsSort = "line";

/** Where a page of row errors starts, from its cursor; 400 naming `cursor` for a malformed one. */
function rowErrorsAfterCursor(cursor: string | undefined): RowErrorPosition | null {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor);
  const [line, seq] = decoded?.sort === rowErrorsSort ? decoded.values : [];
  if (!/^\d{1,9}$/.test(line ?? "") || !/^\d{1,9}$/.test(seq ?? "")) {
    throw invalidField("cursor", "Not a cursor of this list");
  }
  return { line: Number(line), seq: Number(seq) };
}

/**
 * The errors the dry run or the run found, by line (and by column on a line), a page at a time:
 * what errors.csv holds, without the rows' cells. While validating, those found so far.
 */
export async function listImportErrors(
  ctx: RequestContext,
  id: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ data: RowError[]; nextCursor: string | null }> {
  const after = rowErrorsAfterCursor(query.cursor);
  await readImport(ctx, id);
  const rows = await inWorkspace(ctx, (tx) => rowErrorsAfter(tx, ctx.workspaceId, id, after, query.limit + 1));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ sort: rowErrorsSort, values: [String(last.line), String(last.seq)] })
      : null;
  return { data: page.map(({ line, column, message }) => ({ line, column, message })), nextCursor };
}

/** The failing rows, line by line, a page at a time (errors.csv streams them). */
export async function* failingRows(ctx: RequestContext, id: string) {
  const row = await readImport(ctx, id);
  yield { columns: row.columns };
  let after: RowErrorPosition | null = null;
  for (;;) {
    const position: RowErrorPosition | null = after;
    const page: ImportRowError[] = await inWorkspace(ctx, (tx) =>
      rowErrorsAfter(tx, ctx.workspaceId, id, position, 1000),
    );
    if (page.length === 0) return;
    for (const error of page) yield { error };
    const last = page.at(-1)!;
    after = { line: last.line, seq: last.seq };
  }
}
