import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import { invalidateCollection, type ListFilter } from "../../api/records.ts";
import { EmptyState, ErrorMessage, Skeleton } from "../../components/Feedback.tsx";
import { useCan } from "../auth/session.ts";
import { DealCard } from "./DealCard.tsx";
import { DealColumn } from "./DealColumn.tsx";
import {
  defaultPipeline,
  fetchDeal,
  isActiveStage,
  offeredStages,
  patchDeal,
  stageOutcome,
  usePipelines,
  type DealRow,
} from "./deals.api.ts";
import { KanbanBoard } from "../../components/kanban/KanbanBoard.tsx";
import { useBoardMoves, type MoveControl } from "../../components/kanban/useBoardMoves.ts";
import { LostReasonDialog } from "../leads/LostReasonDialog.tsx";

const pipelineKey = "keel-deals-pipeline";

const linkClass = "font-medium text-accent-700 underline dark:text-sky-300";

/**
 * Deals by stage, one pipeline at a time (the switcher is always there; admins also get a link to
 * the pipelines' settings). Dragging a card (or choosing its stage) sends PATCH stageId with
 * If-Match on the card's version; into a lost stage it first asks why (the workspace's deal lost
 * reasons). See useBoardMoves for conflicts and refusals. An archived stage
 * is a column after the others only while deals are in it: they can leave, nothing can drop in.
 */
export function DealKanban({ filters, q }: { filters: ListFilter[]; q: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const can = useCan();
  const pipelines = usePipelines();
  const [chosenId, setChosenId] = useState(() => localStorage.getItem(pipelineKey) ?? "");
  const all = pipelines.data?.data ?? [];
  const pipeline = all.find((p) => p.id === chosenId) ?? defaultPipeline(all);
  const stageName = (id: string) => pipeline?.stages.find((s) => s.id === id)?.name ?? t("deals.kanban.anotherStage");
  const [losing, setLosing] = useState<{ deal: DealRow; from: string; to: string; control: MoveControl } | null>(null);

  const board = useBoardMoves<DealRow>({
    save: (deal, stageId, extra) =>
      patchDeal(deal, extra?.lostReason ? { stageId, lostReason: extra.lostReason } : { stageId }),
    fetchLatest: fetchDeal,
    refresh: () => invalidateCollection(client, "deals"),
    onSaved: (deal, stageId) => {
      const outcome = stageOutcome(pipeline?.stages.find((s) => s.id === stageId));
      if (outcome === "won") toast.success(t("deals.toast.won", { name: deal.name }));
      else if (outcome === "lost") toast.info(t("deals.toast.markedLost", { name: deal.name }));
      else toast.success(t("deals.toast.moved", { name: deal.name, stage: stageName(stageId) }));
    },
  });

  /** Moves a card; into a lost stage only once the user said why (or chose to give no reason). */
  const requestMove = (deal: DealRow, from: string, to: string, control: MoveControl) => {
    if (from === to) return;
    if (pipeline?.stages.find((s) => s.id === to)?.isLost) setLosing({ deal, from, to, control });
    else board.move(deal, from, to, undefined, control);
  };

  if (pipelines.isPending) {
    return (
      <div role="status" aria-label={t("deals.kanban.loading")} className="flex gap-3 overflow-hidden p-4">
        {[1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-64 w-72 shrink-0" />
        ))}
      </div>
    );
  }
  if (pipelines.isError) return <ErrorMessage error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  const canManage = can("update", "pipeline");
  if (!pipeline) {
    return (
      <EmptyState title={t("deals.kanban.noPipelines")}>
        {canManage ? (
          <p className="text-sm">
            <Trans
              i18nKey="deals.kanban.createPipeline"
              components={{ settings: <Link to="/settings/pipelines" className={linkClass} /> }}
            />
          </p>
        ) : (
          <p className="text-sm">{t("deals.kanban.askAdmin")}</p>
        )}
      </EmptyState>
    );
  }
  const columns = [
    ...pipeline.stages.filter(isActiveStage).map((stage) => ({ stage, isArchived: false })),
    ...pipeline.stages.filter((stage) => !isActiveStage(stage)).map((stage) => ({ stage, isArchived: true })),
  ];

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 pt-3">
        <label className="flex items-center gap-2 text-sm">
          <span className="font-medium">{t("deals.fields.pipeline")}</span>
          <select
            value={pipeline.id}
            onChange={(e) => {
              setChosenId(e.target.value);
              localStorage.setItem(pipelineKey, e.target.value);
            }}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-600 dark:bg-slate-900"
          >
            {all.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {canManage && (
          <Link to="/settings/pipelines" className={`text-sm ${linkClass}`}>
            {t("deals.kanban.managePipelines")}
          </Link>
        )}
      </div>
      <KanbanBoard
        label={t("deals.kanban.label", { pipeline: pipeline.name })}
        columnName={stageName}
        onDrop={({ item, columnId, to }) => requestMove(item as DealRow, columnId, to, "handle")}
      >
        {columns.map(({ stage, isArchived }) => (
          <DealColumn
            key={stage.id}
            pipelineId={pipeline.id}
            stage={stage}
            isArchived={isArchived}
            filters={filters}
            q={q}
            moves={board.moves}
            renderCard={(deal) => {
              const move = board.moves[deal.id];
              const shownIn = move?.to ?? deal.stageId;
              return (
                <DealCard
                  key={deal.id}
                  deal={deal}
                  stages={offeredStages(pipeline, shownIn)}
                  stageId={shownIn}
                  move={move}
                  canMove={can("update", "deal", { ownerId: deal.ownerId }) && !deal.deletedAt}
                  onMove={(to) => requestMove(deal, shownIn, to, "select")}
                  onRetry={() => board.retry(deal.id)}
                  onDiscard={() => board.discard(deal.id)}
                  takesFocus={board.focusTarget?.id === deal.id ? board.focusTarget.control : undefined}
                  onFocusTaken={board.clearFocusTarget}
                />
              );
            }}
          />
        ))}
      </KanbanBoard>
      <LostReasonDialog
        kind="deal"
        recordName={losing?.deal.name ?? null}
        description={
          losing ? t("deals.lost.description", { name: losing.deal.name, stage: stageName(losing.to) }) : undefined
        }
        onCancel={() => setLosing(null)}
        onConfirm={(lostReason) => {
          if (losing) {
            board.move(losing.deal, losing.from, losing.to, lostReason ? { lostReason } : undefined, losing.control);
          }
          setLosing(null);
        }}
      />
    </div>
  );
}
