import type { RowSelectionState } from "@tanstack/react-table";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../Button.tsx";
import type { DataColumn } from "./types.ts";
import { useScrollReset } from "./use-scroll-reset.ts";

export type DataCardsProps<T> = {
  label: string;
  rows: T[];
  /** The shown columns: the first is the card's title, the others its labelled values. */
  columns: DataColumn<T>[];
  getRowId: (row: T) => string;
  selection?: RowSelectionState | undefined;
  onSelectionChange?: ((selection: RowSelectionState) => void) | undefined;
  isRefreshing?: boolean | undefined;
  scrollResetKey?: string | undefined;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  rowLink?: ((row: T, children: ReactNode) => ReactNode) | undefined;
};

/**
 * A list as cards, for phones: one card per record, its values under their column names, wrapping
 * instead of panning sideways. The next page loads as the end of the list comes into view (or with
 * "Show more", where the browser does not say).
 */
export function DataCards<T>(props: DataCardsProps<T>) {
  const { t } = useTranslation();
  const { rows, columns, selection = {}, onSelectionChange, hasMore, isLoadingMore, onLoadMore } = props;
  const end = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [title, ...details] = columns;
  useScrollReset(scrollRef, props.scrollResetKey);

  useEffect(() => {
    const target = end.current;
    if (!target || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isLoadingMore) onLoadMore();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasMore, isLoadingMore, onLoadMore]);

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-x-hidden overflow-y-auto" data-testid="data-table-scroll">
      <ul aria-label={props.label} aria-busy={props.isRefreshing || undefined} className="flex flex-col gap-2 p-3">
        {rows.map((row, index) => {
          const id = props.getRowId(row);
          const heading = title ? title.cell(row) : null;
          return (
            <li key={id} className="min-w-0 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
              <div className="mb-1.5 flex items-start gap-2">
                {onSelectionChange && (
                  <input
                    type="checkbox"
                    className="mt-1"
                    aria-label={t("components.table.selectRow", { number: index + 1 })}
                    checked={Boolean(selection[id])}
                    onChange={(e) => onSelectionChange({ ...selection, [id]: e.target.checked })}
                    disabled={props.isRefreshing}
                  />
                )}
                <p className="min-w-0 flex-1 font-medium break-words">
                  {props.rowLink ? props.rowLink(row, heading) : heading}
                </p>
              </div>
              <dl className="grid grid-cols-[minmax(0,7rem)_minmax(0,1fr)] gap-x-3 gap-y-1">
                {details.map((column) => (
                  <div key={column.key} className="contents">
                    <dt className="text-slate-600 dark:text-slate-400">{column.header}</dt>
                    <dd className="min-w-0 break-words">{column.cell(row)}</dd>
                  </div>
                ))}
              </dl>
            </li>
          );
        })}
      </ul>
      <div ref={end} className="flex justify-center p-3">
        {isLoadingMore ? (
          <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
            {t("components.table.loadingMore")}
          </p>
        ) : (
          hasMore && (
            <Button size="sm" onClick={onLoadMore}>
              {t("components.table.showMore")}
            </Button>
          )
        )}
      </div>
    </div>
  );
}
