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
import { useTranslation } from "react-i18next";
import { widthOf, type ColumnWidths } from "./column-widths.ts";
import { ColumnResizer } from "./ColumnResizer.tsx";
import { DataCards } from "./DataCards.tsx";
import { useScrollReset } from "./use-scroll-reset.ts";
import { EditableCell } from "./EditableCell.tsx";
import type { DataColumn } from "./types.ts";
import { useIsNarrowScreen } from "./use-narrow-screen.ts";

const rowHeight = 41;
/** The selection column's width in pixels (the sticky first column starts after it). */
const selectWidth = 40;
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
  /**
   * The rows shown are the previous search's while the new one loads: marked busy, with no
   * selecting or editing of rows that are about to go.
   */
  isRefreshing?: boolean;
  /** When it changes (a new search, filter or sort), the list scrolls back to its first row. */
  scrollResetKey?: string;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  /** The first cell's content links to the record. */
  rowLink?: (row: T, children: ReactNode) => ReactNode;
  /** Widths the user set (pixels by column key); with onColumnWidthsChange, header edges resize. */
  columnWidths?: ColumnWidths;
  onColumnWidthsChange?: (widths: ColumnWidths) => void;
  /** Saves a cell edited in place (columns with `edit`); without it, no cell is editable. */
  onCellSave?: (row: T, changes: Record<string, unknown>) => Promise<unknown>;
  /** Whether the user may edit this row (a viewer may not; an agent only their own). */
  canEditRow?: (row: T) => boolean;
  /** The row's name, for the labels of its edit buttons. */
  rowLabel?: (row: T) => string;
};

type Direction = "ascending" | "descending";

/** The field a sort orders by first, and how: "-value,name" → value, descending. */
function primaryOf(sort: string): { field: string; direction: Direction } {
  const first = sort.split(",")[0]?.trim() ?? "";
  return first.startsWith("-")
    ? { field: first.slice(1), direction: "descending" }
    : { field: first, direction: "ascending" };
}

/** A body cell: its own background, so the sticky first column hides what scrolls under it. */
const cellClass =
  "border-b border-slate-100 bg-white px-3 group-hover/row:bg-slate-50 group-aria-selected/row:bg-accent-50 dark:border-slate-800 dark:bg-slate-950 dark:group-hover/row:bg-slate-900 dark:group-aria-selected/row:bg-slate-800";

/** A header's click: ascending, then descending, then back to the list's own order (""). */
function nextSort(current: string, field: string): string {
  const primary = primaryOf(current);
  if (primary.field !== field) return field;
  return primary.direction === "ascending" ? `-${field}` : "";
}

/**
 * Server-paged rows: a table on wider screens, cards on phones (≤ 640 px), so no list pans
 * sideways out of its own scroll area.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const isNarrow = useIsNarrowScreen();
  if (!isNarrow) return <RecordTable {...props} />;
  return <DataCards {...props} columns={props.columns.filter((c) => !props.hiddenColumns?.includes(c.key))} />;
}

/**
 * A table of server-paged rows: only the visible rows are in the DOM, the next page loads as the
 * end comes into view, headers sort on the server, rows can be selected for bulk actions, columns
 * are resized by their header's edge, the first column stays in view when scrolling sideways, and
 * cells of editable columns are edited in place.
 */
function RecordTable<T>(props: DataTableProps<T>) {
  const { t } = useTranslation();
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
  useScrollReset(scrollRef, props.scrollResetKey);
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
  const widths = props.columnWidths ?? {};
  const tableWidth =
    visibleColumns.reduce((sum, column) => sum + widthOf(column, widths), 0) + (isSelectable ? selectWidth : 0);
  // The first data column sticks to the left edge (after the selection column) when scrolling sideways.
  const stickyLeft = isSelectable ? selectWidth : 0;
  const canResize = Boolean(props.onColumnWidthsChange);
  const resize = (key: string, width: number) => props.onColumnWidthsChange?.({ ...widths, [key]: width });

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto" data-testid="data-table-scroll">
      <table
        className="table-fixed border-separate border-spacing-0 text-sm"
        style={{ width: tableWidth }}
        aria-label={props.label}
        aria-busy={props.isRefreshing || undefined}
        aria-rowcount={hasMore ? -1 : rows.length + 1}
      >
        <thead className="sticky top-0 z-10 bg-slate-50 dark:bg-slate-900">
          <tr>
            {isSelectable && (
              <th
                scope="col"
                style={{ width: selectWidth }}
                className="sticky left-0 z-[2] border-b border-slate-200 bg-slate-50 px-3 py-2 text-left dark:border-slate-700 dark:bg-slate-900"
              >
                <input
                  type="checkbox"
                  aria-label={t("components.table.selectAll")}
                  checked={table.getIsAllRowsSelected()}
                  ref={(input) => {
                    if (input) input.indeterminate = table.getIsSomeRowsSelected();
                  }}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                  disabled={props.isRefreshing}
                />
              </th>
            )}
            {visibleColumns.map((column, columnIndex) => {
              const primary = primaryOf(sort);
              const direction = column.sortField === primary.field ? primary.direction : undefined;
              const width = widthOf(column, widths);
              const isSticky = columnIndex === 0;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={column.sortField ? (direction ?? "none") : undefined}
                  // Named by its header alone, not also by its resize handle's label.
                  aria-label={canResize ? column.header : undefined}
                  style={{ width, ...(isSticky ? { left: stickyLeft } : {}) }}
                  className={`${isSticky ? "sticky z-[2] " : "relative "}truncate border-b border-slate-200 bg-slate-50 px-3 py-2 text-left font-semibold whitespace-nowrap text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200`}
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
                  {canResize && (
                    <ColumnResizer header={column.header} width={width} onResize={(w) => resize(column.key, w)} />
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
                className="group/row"
                style={{ height: rowHeight }}
              >
                {isSelectable && (
                  <td className={`sticky left-0 z-[1] ${cellClass}`}>
                    <input
                      type="checkbox"
                      aria-label={t("components.table.selectRow", { number: item.index + 1 })}
                      checked={row.getIsSelected()}
                      onChange={row.getToggleSelectedHandler()}
                      disabled={props.isRefreshing}
                    />
                  </td>
                )}
                {row.getVisibleCells().map((cell, cellIndex) => {
                  const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                  const column = visibleColumns[cellIndex];
                  const isSticky = cellIndex === 0;
                  const canEdit =
                    column?.edit &&
                    props.onCellSave &&
                    !props.isRefreshing &&
                    (props.canEditRow?.(row.original) ?? true) &&
                    !isSticky;
                  return (
                    <td
                      key={cell.id}
                      style={isSticky ? { left: stickyLeft } : undefined}
                      // An editable cell truncates its own text: its editor opens over the cells around it.
                      className={`${isSticky ? "sticky z-[1]" : "relative"} ${canEdit ? "" : "truncate"} ${cellClass}`}
                    >
                      {canEdit && column.edit && props.onCellSave ? (
                        <EditableCell
                          row={row.original}
                          header={column.header}
                          edit={column.edit}
                          rowLabel={props.rowLabel?.(row.original) ?? `row ${item.index + 1}`}
                          onSave={props.onCellSave}
                        >
                          {content}
                        </EditableCell>
                      ) : isSticky && props.rowLink ? (
                        props.rowLink(row.original, content)
                      ) : (
                        content
                      )}
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
          {t("components.table.loadingMore")}
        </p>
      )}
    </div>
  );
}
