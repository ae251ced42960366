import { Link, useMatch, useNavigate, useRouter } from "@tanstack/react-router";
import type { RowSelectionState } from "@tanstack/react-table";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { resourceOf, useRecordPages, type Collection, type ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { ColumnChooser } from "../../components/data-table/ColumnChooser.tsx";
import { DataTable } from "../../components/data-table/DataTable.tsx";
import { FilterBuilder } from "../../components/data-table/FilterBuilder.tsx";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { inputClass } from "../../components/Field.tsx";
import { useCreateAction } from "../../lib/page-actions.ts";
import { useCan } from "../auth/session.ts";
import { RecordPicker } from "../records/RecordPicker.tsx";
import { BulkBar } from "./BulkBar.tsx";
import { ExportMenu } from "./ExportMenu.tsx";
import { inSentence } from "./in-sentence.ts";
import type { RecordNoun } from "./list-count.ts";
import { ListCount } from "./ListCount.tsx";
import { ListPresets } from "./ListPresets.tsx";
import { RecordFilterValue } from "./RecordFilterValue.tsx";
import type { ListSearch } from "./list-search.ts";
import { SavedViews } from "./SavedViews.tsx";
import { isTrash } from "./list-presets.ts";
import { useCellSave } from "./useCellSave.ts";
import { useColumnWidths } from "./useColumnWidths.ts";

export type ListPageProps<T extends ListRow> = {
  title: string;
  /** What the list holds, for its count ("1,234 contacts"). */
  noun: RecordNoun;
  collection: Collection;
  search: ListSearch;
  columns: DataColumn<T>[];
  filterFields: FilterField[];
  defaultSort: string;
  include?: string;
  /** The record page of a row (its first cell links there); null: the row has no page. */
  recordPath?: (row: T) => string | null;
  onCreate?: () => void;
  createLabel?: string;
  /** The field bulk assign sets ("ownerId", or "assigneeId" for tasks); absent: no bulk assign. */
  assignLabel?: string;
  /** Extra buttons in the header (e.g. the table/kanban switch). */
  actions?: ReactNode;
  /** Replaces the table (e.g. a kanban board) while filters, search and views stay. */
  board?: (params: { filters: ListFilter[]; q: string }) => ReactNode;
  /** The layout (`mode` in the URL) that shows the board: `kanban` unless said otherwise. */
  boardMode?: "kanban" | "calendar";
  /**
   * Whose records "My records" means: `ownerId` (the default), `assigneeId` (tasks) or `createdBy`
   * (activities, which have no owner and so no "Unassigned").
   */
  ownerField?: "ownerId" | "assigneeId" | "createdBy";
};

/** What a list row has at least: its id, and the version its inline edits are based on. */
type ListRow = { id: string; version: number };

/** A row's name, for labels: its name, title or first and last name. */
function nameOfRow(row: object): string | undefined {
  const r = row as Record<string, unknown>;
  const name = r.name ?? r.title ?? r.subject ?? [r.firstName, r.lastName].filter(Boolean).join(" ");
  return typeof name === "string" && name ? name : undefined;
}

function storedHidden(collection: Collection, columns: readonly DataColumn<unknown>[]): string[] {
  const stored = localStorage.getItem(`keel-columns-${collection}`);
  if (stored) {
    try {
      return (JSON.parse(stored) as string[]).filter((k) => columns.some((c) => c.key === k));
    } catch {
      // A damaged entry falls back to the defaults.
    }
  }
  return columns.filter((c) => c.isHiddenByDefault).map((c) => c.key);
}

/**
 * A list of records: search, presets, filter builder (record pickers for relations), sort (column
 * headers), column chooser and resizable columns, saved views, the count of matches, cells edited
 * in place, and multi-select with bulk actions (BulkBar: undoable, any size), over server-side
 * keyset pages.
 */
export function ListPage<T extends ListRow>(props: ListPageProps<T>) {
  const { collection, search, columns } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const router = useRouter();
  // This list's own address (its route match), which stays put while the router loads the next page.
  const listPath = useMatch({ strict: false, select: (match) => match.pathname });
  const can = useCan();
  const resource = resourceOf[collection];
  const filters = useMemo(() => search.filters ?? [], [search.filters]);
  const sort = search.sort ?? props.defaultSort;
  const q = search.q ?? "";
  const [searchText, setSearchText] = useState(q);
  const [hidden, setHidden] = useState<string[]>(() => storedHidden(collection, columns as DataColumn<unknown>[]));
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [columnWidths, setColumnWidths] = useColumnWidths(
    collection,
    columns.map((c) => c.key),
  );
  const ownerField = props.ownerField ?? "ownerId";
  const saveCell = useCellSave(collection, props.noun.one);
  const isBoard = props.board !== undefined && search.mode === (props.boardMode ?? "kanban");

  const setSearch = useCallback(
    (change: Partial<ListSearch>, replace = false) => {
      setSelection({});
      void navigate({ to: ".", search: (previous: ListSearch) => ({ ...previous, ...change }), replace } as never);
    },
    [navigate],
  );

  // The box follows the URL when it changes elsewhere (a view opened, back button).
  const [shownQ, setShownQ] = useState(q);
  if (shownQ !== q) {
    setShownQ(q);
    setSearchText(q);
  }
  // Typing searches after a short pause, without a history entry per key. A row clicked
  // within that pause starts a navigation while this page is still shown (the record page
  // loads first); the late search must not pull the user back to the list.
  useEffect(() => {
    if (searchText === q) return;
    const timer = setTimeout(() => {
      if (router.latestLocation.pathname !== listPath) return;
      setSearch({ q: searchText || undefined }, true);
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText, q, setSearch, router, listPath]);

  const changeHidden = (next: string[]) => {
    setHidden(next);
    localStorage.setItem(`keel-columns-${collection}`, JSON.stringify(next));
  };

  // 100 rows a page: a screen needs ~20, and fewer, larger pages keep fast scrolling fed.
  const params = { sort, q, filters, include: props.include, limit: 100 };
  // A new search or filter keeps the rows on screen until its own arrive: a row clicked just as
  // the search starts still opens, and the list does not flash to placeholders at every pause.
  const pages = useRecordPages<T>(collection, params, { enabled: !isBoard, keepPrevious: true });
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.data) ?? [], [pages.data]);
  const isRefreshing = pages.isPlaceholderData;
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const canDelete = can("delete", resource);
  // The `c` shortcut and the palette's create command: only for roles that may create here.
  useCreateAction(props.onCreate && can("create", resource) ? props.onCreate : null);
  const canAssign = Boolean(props.assignLabel) && can("update", resource);
  const loadMore = useCallback(() => void pages.fetchNextPage(), [pages]);

  const nameOf = (id: string) => {
    const row = rows.find((r) => r.id === id);
    return row ? nameOfRow(row) : undefined;
  };
  // Agents edit only their own records (owner, assignee, or who logged an activity).
  const canEditRow = (row: T) => {
    const owner = (row as Record<string, unknown>)[ownerField];
    return can("update", resource, { ownerId: typeof owner === "string" ? owner : null });
  };
  const setFilters = (next: ListFilter[]) => setSearch({ filters: next.length ? next : undefined });

  return (
    <div className="flex h-[calc(100vh-3.25rem)] min-w-0 flex-col">
      <PageHeader
        title={props.title}
        actions={
          <>
            {props.actions}
            {can("create", "export") && (
              <ExportMenu
                collection={collection}
                sort={sort}
                q={q}
                filters={filters}
                shownColumns={columns.filter((c) => !hidden.includes(c.key)).map((c) => c.key)}
              />
            )}
            {props.onCreate && can("create", resource) && (
              <Button variant="primary" onClick={props.onCreate} aria-keyshortcuts="c">
                {props.createLabel ?? t("common.new")}
              </Button>
            )}
          </>
        }
      />
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <input
          type="search"
          aria-label={t("lists.page.searchLabel", { title: inSentence(props.title) })}
          placeholder={t("lists.page.searchPlaceholder")}
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          className={`${inputClass} max-w-xs`}
        />
        <FilterBuilder
          fields={props.filterFields}
          value={filters}
          renderUserValue={({ label, value, onChange }) => (
            <RecordPicker
              isBare
              collection="users"
              label={label}
              value={value}
              extraOptions={[{ value: "me", label: t("common.me") }]}
              onChange={onChange}
            />
          )}
          renderRecordValue={(input) => <RecordFilterValue {...input} />}
          onChange={setFilters}
        />
        <ListPresets
          filters={filters}
          ownerField={ownerField}
          canBeUnassigned={ownerField !== "createdBy"}
          canSeeDeleted={can("restore", resource)}
          onChange={setFilters}
        />
        {!isBoard && <ColumnChooser columns={columns} hidden={hidden} onChange={changeHidden} />}
        <SavedViews
          collection={collection}
          activeId={search.view}
          state={{ filters, sort, q, hidden, columnWidths }}
          columnKeys={columns.map((c) => c.key)}
          onColumnWidthsChange={setColumnWidths}
          onOpen={(view) => {
            if (view) {
              changeHidden(columns.filter((c) => !view.columns.includes(c.key)).map((c) => c.key));
              setSearch({
                view: view.id,
                filters: view.filters.length ? view.filters : undefined,
                sort: view.sort ?? undefined,
                q: view.q ?? undefined,
              });
            } else {
              setSearch({ view: undefined, filters: undefined, sort: undefined, q: undefined });
            }
          }}
        />
        <ListCount collection={collection} q={q} filters={filters} noun={props.noun} />
      </div>
      {isTrash(filters) && (
        // Whoever opened it (a preset, a shared view, a link), the trash says what it shows.
        <p
          role="status"
          className="flex flex-wrap items-center gap-2 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          {t("lists.page.trashNotice")}
          <Button size="sm" variant="ghost" onClick={() => setFilters(filters.filter((f) => f.field !== "deleted"))}>
            {t("lists.page.leaveTrash")}
          </Button>
        </p>
      )}
      <BulkBar
        collection={collection}
        resource={resource}
        selectedIds={selectedIds}
        q={q}
        filters={filters}
        assignLabel={canAssign ? props.assignLabel : undefined}
        nameOf={nameOf}
        onClear={() => setSelection({})}
      />
      {/* A new search loading over the previous rows: a line above them (dimmed rows would fall below AA contrast). */}
      <div
        aria-hidden="true"
        className={`h-0.5 shrink-0 ${isRefreshing ? "animate-pulse bg-accent-600 motion-reduce:animate-none" : ""}`}
      />
      {isBoard && props.board ? (
        props.board({ filters, q })
      ) : pages.isPending || (isRefreshing && rows.length === 0) ? (
        <SkeletonRows />
      ) : pages.isError ? (
        <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={
            q || filters.length ? t("lists.page.noMatches") : t("lists.page.empty", { title: inSentence(props.title) })
          }
        >
          {props.onCreate && can("create", resource) && (
            <Button variant="primary" onClick={props.onCreate}>
              {props.createLabel ?? t("common.new")}
            </Button>
          )}
        </EmptyState>
      ) : (
        <DataTable
          label={props.title}
          rows={rows}
          columns={columns}
          getRowId={(row) => row.id}
          sort={sort}
          onSortChange={(next) => setSearch({ sort: next || undefined })}
          hiddenColumns={hidden}
          selection={selection}
          onSelectionChange={canDelete || canAssign ? setSelection : undefined}
          columnWidths={columnWidths}
          onColumnWidthsChange={setColumnWidths}
          onCellSave={saveCell}
          canEditRow={canEditRow}
          rowLabel={(row) => nameOfRow(row) ?? props.noun.one}
          isRefreshing={isRefreshing}
          scrollResetKey={JSON.stringify([sort, q, filters])}
          hasMore={pages.hasNextPage && !isRefreshing}
          isLoadingMore={pages.isFetchingNextPage}
          onLoadMore={loadMore}
          rowLink={(row, children) => {
            const path = props.recordPath?.(row);
            if (!path) return children;
            return (
              <Link to={path} className="font-medium text-accent-700 hover:underline dark:text-sky-300">
                {children}
              </Link>
            );
          }}
        />
      )}
    </div>
  );
}
