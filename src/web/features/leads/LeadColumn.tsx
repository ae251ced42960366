import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LeadStatus } from "../../../shared/schemas/lead.ts";
import { useRecordCount, useRecordPages, type ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatNumber } from "../../lib/format.ts";
import { KanbanColumn } from "../../components/kanban/KanbanColumn.tsx";
import type { KanbanCardData } from "../../components/kanban/KanbanBoard.tsx";
import type { PendingMove } from "../../components/kanban/useBoardMoves.ts";
import { canMoveLead, isLeadStatus, leadStatusLabel } from "./lead-status.ts";
import { leadIncludes, type LeadRow } from "./leads.api.ts";

type LeadColumnProps = {
  status: LeadStatus;
  filters: ListFilter[];
  q: string;
  moves: Record<string, PendingMove<LeadRow>>;
  renderCard: (lead: LeadRow) => ReactNode;
  isReadOnly?: boolean;
  isCollapsed?: boolean;
  onToggleCollapsed?: () => void;
};

const accepts = (to: LeadStatus) => (card: KanbanCardData) =>
  isLeadStatus(card.columnId) && canMoveLead(card.columnId, to);

/** One status of the lead board: its own keyset-paged query (highest score first) and count. */
export function LeadColumn({
  status,
  filters,
  q,
  moves,
  renderCard,
  isReadOnly = false,
  isCollapsed = false,
  onToggleCollapsed,
}: LeadColumnProps) {
  const { t } = useTranslation();
  const params = useMemo(
    () => ({
      sort: "-score",
      q,
      include: leadIncludes,
      limit: 50,
      filters: [...filters, { field: "status", op: "eq", value: status }],
    }),
    [filters, q, status],
  );
  const pages = useRecordPages<LeadRow>("leads", params, { enabled: !isCollapsed });
  const count = useRecordCount("leads", params);
  const stored = useMemo(() => pages.data?.pages.flatMap((page) => page.data) ?? [], [pages.data]);
  const storedIds = new Set(stored.map((lead) => lead.id));
  const pending = Object.values(moves);
  const movedIn = pending.filter((m) => m.to === status).map((m) => m.item);
  const shown = [...movedIn, ...stored.filter((lead) => !moves[lead.id])];
  const countShown =
    count.data === undefined
      ? undefined
      : count.data.count +
        movedIn.filter((lead) => !storedIds.has(lead.id)).length -
        pending.filter((m) => m.from === status && m.to !== status && storedIds.has(m.item.id)).length;
  const title = leadStatusLabel(status);

  return (
    <KanbanColumn
      id={status}
      title={title}
      isDropDisabled={isReadOnly}
      isCollapsed={isCollapsed}
      onToggleCollapsed={onToggleCollapsed}
      accepts={accepts(status)}
      badge={
        <span
          className="rounded-full bg-slate-200 px-2 text-xs font-medium dark:bg-slate-700"
          aria-label={
            countShown === undefined ? t("leads.column.counting") : t("leads.column.count", { number: countShown })
          }
        >
          {countShown === undefined ? "…" : formatNumber(countShown)}
        </span>
      }
      summary={
        isReadOnly ? (
          <p className="text-xs text-slate-600 dark:text-slate-300">{t("leads.column.readOnly")}</p>
        ) : undefined
      }
      footer={
        pages.hasNextPage && (
          <div className="border-t border-slate-200 p-2 dark:border-slate-800">
            <Button
              size="sm"
              className="w-full"
              disabled={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
              aria-label={t("leads.column.loadMore", { status: title.toLowerCase() })}
            >
              {pages.isFetchingNextPage ? t("common.loading") : t("common.loadMore")}
            </Button>
          </div>
        )
      }
    >
      {isCollapsed ? null : pages.isPending ? (
        <li
          role="status"
          aria-label={t("leads.column.loading", { status: title.toLowerCase() })}
          className="flex flex-col gap-2"
        >
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </li>
      ) : pages.isError ? (
        <li role="alert" className="text-sm text-red-800 dark:text-red-200">
          {t("leads.column.loadFailed")}{" "}
          <button type="button" className="underline" onClick={() => void pages.refetch()}>
            {t("common.retry")}
          </button>
        </li>
      ) : shown.length === 0 ? (
        <li className="px-1 py-4 text-center text-sm text-slate-600 dark:text-slate-400">{t("leads.column.empty")}</li>
      ) : (
        shown.map(renderCard)
      )}
    </KanbanColumn>
  );
}
