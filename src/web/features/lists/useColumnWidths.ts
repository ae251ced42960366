import { useEffect, useState } from "react";
import type { Collection } from "../../api/records.ts";
import { parseColumnWidths, type ColumnWidths } from "../../components/data-table/column-widths.ts";

const storageKey = (collection: Collection) => `keel-column-widths-${collection}`;

/** The widths the user gave a list's columns, remembered per list in this browser. */
export function useColumnWidths(collection: Collection, columnKeys: readonly string[]) {
  const [widths, setWidths] = useState<ColumnWidths>(() =>
    parseColumnWidths(localStorage.getItem(storageKey(collection)), columnKeys),
  );
  // Written at once (a small entry), so a width set just before leaving the page is kept.
  useEffect(() => {
    if (Object.keys(widths).length > 0) localStorage.setItem(storageKey(collection), JSON.stringify(widths));
  }, [collection, widths]);
  return [widths, setWidths] as const;
}
