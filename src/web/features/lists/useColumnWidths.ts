import { useCallback, useEffect, useRef, useState } from "react";
import type { Collection } from "../../api/records.ts";
import { parseColumnWidths, type ColumnWidths } from "../../components/data-table/column-widths.ts";

const storageKey = (collection: Collection) => `keel-column-widths-${collection}`;

/**
 * The widths the user gave a list's columns, remembered per list in this browser; opening a saved
 * view that has widths sets them here too. The live width is state (every pointer move redraws the
 * column); storage is written once the change ends: at pointer-up after a drag, at once for a key
 * press, and when the list or the page closes with a change unsaved.
 */
export function useColumnWidths(collection: Collection, columnKeys: readonly string[]) {
  const [widths, setShownWidths] = useState<ColumnWidths>(() =>
    parseColumnWidths(localStorage.getItem(storageKey(collection)), columnKeys),
  );
  const unsaved = useRef<ColumnWidths | null>(null);
  const isPointerDown = useRef(false);

  const save = useCallback(() => {
    if (!unsaved.current) return;
    localStorage.setItem(storageKey(collection), JSON.stringify(unsaved.current));
    unsaved.current = null;
  }, [collection]);

  // A drag holds a pointer down from start to end: its widths are saved when it is let go.
  useEffect(() => {
    const press = () => {
      isPointerDown.current = true;
    };
    const release = () => {
      isPointerDown.current = false;
      save();
    };
    document.addEventListener("pointerdown", press, true);
    document.addEventListener("pointerup", release, true);
    document.addEventListener("pointercancel", release, true);
    window.addEventListener("pagehide", save);
    return () => {
      document.removeEventListener("pointerdown", press, true);
      document.removeEventListener("pointerup", release, true);
      document.removeEventListener("pointercancel", release, true);
      window.removeEventListener("pagehide", save);
      save();
    };
  }, [save]);

  const setWidths = useCallback(
    (next: ColumnWidths) => {
      setShownWidths(next);
      unsaved.current = next;
      if (!isPointerDown.current) save();
    },
    [save],
  );
  return [widths, setWidths] as const;
}
