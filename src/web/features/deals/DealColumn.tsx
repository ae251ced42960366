import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useRecordCount, useRecordPages, type ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatMoney, formatNumber } from "../../lib/format.ts";
import { totalsByCurrency } from "./deal-totals.ts";
import { DealStatusBadge } from "./DealStatusBadge.tsx";
import { dealIncludes, stageOutcome, type DealRow, type Stage } from "./deals.api.ts";
import { KanbanColumn } from "../../components/kanban/KanbanColumn.tsx";
import type { PendingMove } from "../../components/kanban/useBoardMoves.ts";

/** Cards per page of a column: the board never loads a whole pipeline at once. */
export const columnPageSize = 50;

type DealColumnProps = {
  pipelineId: string;
  stage: Stage;
  filters: ListFilter[];
  q: string;
  moves: Record<string, PendingMove<DealRow>>;
  renderCard: (deal: DealRow) => ReactNode;
  /** An archived stage: shown only while it holds deals, which can be moved out but not in. */
  isArchived?: boolean;
};

/**
 * One stage of the deal board: its own keyset-paged query (pipeline and stage filters on top of the
 * list's), the matching count, and totals. Cards the user moved show where they were moved to.
 */
export function DealColumn({ pipelineId, stage, filters, q, moves, renderCard, isArchived = false }: DealColumnProps) {
  const { t } = useTranslation();
  const params = useMemo(
    () => ({
      sort: "-updatedAt",
      q,
      include: dealIncludes,
      limit: columnPageSize,
      filters: [
        ...filters,
        { field: "pipelineId", op: "eq", value: pipelineId },
        { field: "stageId", op: "eq", value: stage.id },
      ],
    }),
    [filters, q, pipelineId, stage.id],
  );
  const pages = useRecordPages<DealRow>("deals", params);
  const count = useRecordCount("deals", params);
  const stored = useMemo(() => pages.data?.pages.flatMap((page) => page.data) ?? [], [pages.data]);
  const storedIds = new Set(stored.map((deal) => deal.id));
  const pending = Object.values(moves);
  const movedIn = pending.filter((m) => m.to === stage.id).map((m) => m.item);
  const shown = [...movedIn, ...stored.filter((deal) => !moves[deal.id])];
  // Until the server confirms a move, the stored count is adjusted by the cards moved in and out.
  const countShown =
    count.data === undefined
      ? undefined
      : count.data.count +
        movedIn.filter((deal) => !storedIds.has(deal.id)).length -
        pending.filter((m) => m.from === stage.id && m.to !== stage.id && storedIds.has(m.item.id)).length;
  const totals = totalsByCurrency(
    shown.map((deal) => (moves[deal.id] ? { ...deal, probability: stage.probability } : deal)),
  );
  const isPartial = pages.hasNextPage;
  const outcome = stageOutcome(stage);
  if (isArchived && !countShown) return null;

  return (
    <KanbanColumn
      id={stage.id}
      title={isArchived ? t("deals.stages.archived", { name: stage.name }) : stage.name}
      isDropDisabled={isArchived}
      badge={
        <>
          {outcome && <DealStatusBadge status={outcome} />}
          <span
            className="rounded-full bg-slate-200 px-2 text-xs font-medium dark:bg-slate-700"
            aria-label={
              countShown === undefined ? t("deals.column.counting") : t("deals.column.count", { count: countShown })
            }
          >
            {countShown === undefined ? "…" : formatNumber(countShown)}
          </span>
        </>
      }
      summary={
        <div className="text-xs text-slate-600 dark:text-slate-300">
          {pages.isPending ? (
            <p>{t("deals.column.addingUp")}</p>
          ) : totals.length === 0 ? (
            <p>{t("common.noValue")}</p>
          ) : (
            <ul aria-label={t("deals.column.totalsOf", { stage: stage.name })}>
              {totals.map((total) => (
                <li key={total.currency}>
                  {t("deals.column.total", {
                    value: formatMoney(total.value, total.currency),
                    weighted: formatMoney(total.weightedValue, total.currency),
                  })}
                </li>
              ))}
            </ul>
          )}
          {isPartial && <p>{t("deals.column.partial", { number: formatNumber(shown.length) })}</p>}
        </div>
      }
      footer={
        pages.hasNextPage && (
          <div className="border-t border-slate-200 p-2 dark:border-slate-800">
            <Button
              size="sm"
              className="w-full"
              disabled={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
              aria-label={t("deals.column.loadMoreIn", { stage: stage.name })}
            >
              {pages.isFetchingNextPage ? t("common.loading") : t("common.loadMore")}
            </Button>
          </div>
        )
      }
    >
      {pages.isPending ? (
        <li role="status" aria-label={t("deals.column.loading", { stage: stage.name })} className="flex flex-col gap-2">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </li>
      ) : pages.isError ? (
        <li role="alert" className="text-sm text-red-800 dark:text-red-200">
          {t("deals.column.loadFailed")}{" "}
          <button type="button" className="underline" onClick={() => void pages.refetch()}>
            {t("common.retry")}
          </button>
        </li>
      ) : shown.length === 0 ? (
        <li className="px-1 py-4 text-center text-sm text-slate-600 dark:text-slate-400">{t("deals.column.empty")}</li>
      ) : (
        shown.map(renderCard)
      )}
    </KanbanColumn>
  );
}
