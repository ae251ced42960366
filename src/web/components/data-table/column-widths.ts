import { maxColumnWidth, minColumnWidth } from "../../../shared/schemas/saved-view.ts";
import type { DataColumn } from "./types.ts";

// The bounds live with the saved views' schema, which keeps a view's widths within them too.
export { maxColumnWidth, minColumnWidth };

/** Column widths in pixels, by column key: what the user set by dragging a header's edge. */
export type ColumnWidths = Record<string, number>;

const defaultColumnWidth = 160;
const remPixels = 16;

/** A column's width in pixels: the user's, else the column's own (rem or px), else the default. */
export function widthOf(column: Pick<DataColumn<unknown>, "key" | "width">, widths: ColumnWidths): number {
  const chosen = widths[column.key];
  if (chosen !== undefined) return chosen;
  const match = /^(\d+(?:\.\d+)?)(rem|px)$/.exec(column.width ?? "");
  if (!match) return defaultColumnWidth;
  return Math.round(Number(match[1]) * (match[2] === "rem" ? remPixels : 1));
}

export const clampWidth = (width: number) => Math.min(maxColumnWidth, Math.max(minColumnWidth, Math.round(width)));

/** Widths read back from storage: only known keys with sensible numbers; anything else is dropped. */
export function parseColumnWidths(text: string | null, keys: readonly string[]): ColumnWidths {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed)
        .filter(
          (entry): entry is [string, number] =>
            keys.includes(entry[0]) && typeof entry[1] === "number" && Number.isFinite(entry[1]),
        )
        .map(([key, width]) => [key, clampWidth(width)]),
    );
  } catch {
    return {};
  }
}
