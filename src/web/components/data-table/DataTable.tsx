import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type VisibilityState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, type ReactNode } from "react";
import type { DataColumn } from "./types.ts";

const rowHeight = 41;
/** How many rows before the end the next page is asked for: two pages ahead, so fast scrolling rarely waits. */
const rowsAhead = 150;

export type DataTableProps<T> = {
  label: string;
  rows: T[];
  columns: DataColumn<T>[];
  getRowId: (row: T) => string;
  /** The API sort string: `field` or `-field`, comma-separated; the header of the first field shows it. */
  sort: string;
  onSortChange: (sort: string) => void;
  hiddenColumns?: readonly string[];
  selection?: RowSelectionState;
  onSelectionChange?: (selection: RowSelectionState) => void;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  /** The first cell's content links to the record. */
  rowLink?: (row: T, children: ReactNode) => ReactNode;
};

type Direction = "ascending" | "descending";

/** The field a sort orders by first, and how: "-value,name" → value, descending. */
function primaryOf(sort: string): { field: string; direction: Direction } {
  const first = sort.split(",")[0]?.trim() ?? "";
  return first.startsWith("-")
    ? { field: first.slice(1), direction: "descending" }
    : { field: first, direction: "ascending" };
}

/** A header's click: ascending, then descending, then back to the list's own order (""). */
function nextSort(current: string, field: string): string {
  const primary = primaryOf(current);
  if (primary.field !== field) return field;
  return primary.direction === "ascending" ? `-${field}` : "";
}

/**
 * A table of server-paged rows: only the visible rows are in the DOM, the next page loads as the
 * end comes into view, headers sort on the server, and rows can be selected for bulk actions.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, columns, sort, selection, onSelectionChange, hasMore, isLoadingMore, onLoadMore } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const isSelectable = Boolean(onSelectionChange);

  const columnDefs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((column) => ({
        id: column.key,
        header: column.header,
        cell: (info) => column.cell(info.row.original),
      })),
    [columns],
  );
  const columnVisibility = useMemo<VisibilityState>(
    () => Object.fromEntries((props.hiddenColumns ?? []).map((key) => [key, false])),
    [props.hiddenColumns],
  );
  // TanStack Table hands out new functions each render, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns: columnDefs,
    getRowId: props.getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableRowSelection: isSelectable,
    state: { rowSelection: selection ?? {}, columnVisibility },
    onRowSelectionChange: (updater) => {
      const next = typeof updater === "function" ? updater(selection ?? {}) : updater;
      onSelectionChange?.(next);
    },
  });
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Render a screenful before the first measurement (also what a DOM without layout sees).
    initialRect: { width: 1280, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  // Load the next page well before the last rows come into view.
  useEffect(() => {
    if (hasMore && !isLoadingMore && lastIndex >= tableRows.length - rowsAhead) onLoadMore();
  }, [hasMore, isLoadingMore, lastIndex, tableRows.length, onLoadMore]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const visibleColumns = columns.filter((c) => !props.hiddenColumns?.includes(c.key));
  const columnCount = visibleColumns.length + (isSelectable ? 1 : 0);

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto" data-testid="data-table-scroll">
      <table
        className="w-full min-w-max border-separate border-spacing-0 text-sm"
        aria-label={props.label}
        aria-rowcount={hasMore ? -1 : rows.length + 1}
      >
        <thead className="sticky top-0 z-10 bg-slate-50 dark:bg-slate-900">
          <tr>
            {isSelectable && (
              <th scope="col" className="w-10 border-b border-slate-200 px-3 py-2 text-left dark:border-slate-700">
                <input
                  type="checkbox"
                  aria-label="Select all loaded rows"
                  checked={table.getIsAllRowsSelected()}
                  ref={(input) => {
                    if (input) input.indeterminate = table.getIsSomeRowsSelected();
                  }}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                />
              </th>
            )}
            {visibleColumns.map((column) => {
              const primary = primaryOf(sort);
              const direction = column.sortField === primary.field ? primary.direction : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={column.sortField ? (direction ?? "none") : undefined}
                  style={column.width ? { width: column.width } : undefined}
                  className="border-b border-slate-200 px-3 py-2 text-left font-semibold whitespace-nowrap text-slate-700 dark:border-slate-700 dark:text-slate-200"
                >
                  {column.sortField ? (
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 hover:underline"
                      onClick={() => props.onSortChange(nextSort(sort, column.sortField ?? ""))}
                    >
                      {column.header}
                      <span aria-hidden="true">
                        {direction === "ascending" ? "▲" : direction === "descending" ? "▼" : "↕"}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = tableRows[item.index];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={isSelectable ? row.getIsSelected() : undefined}
                className="hover:bg-slate-50 aria-selected:bg-accent-50 dark:hover:bg-slate-900 dark:aria-selected:bg-slate-800"
                style={{ height: rowHeight }}
              >
                {isSelectable && (
                  <td className="border-b border-slate-100 px-3 dark:border-slate-800">
                    <input
                      type="checkbox"
                      aria-label={`Select row ${item.index + 1}`}
                      checked={row.getIsSelected()}
                      onChange={row.getToggleSelectedHandler()}
                    />
                  </td>
                )}
                {row.getVisibleCells().map((cell, cellIndex) => {
                  const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                  return (
                    <td
                      key={cell.id}
                      className="max-w-80 truncate border-b border-slate-100 px-3 dark:border-slate-800"
                    >
                      {cellIndex === 0 && props.rowLink ? props.rowLink(row.original, content) : content}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columnCount} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {isLoadingMore && (
        <p role="status" className="p-3 text-center text-sm text-slate-600 dark:text-slate-300">
          Loading more…
        </p>
      )}
    </div>
  );
}
