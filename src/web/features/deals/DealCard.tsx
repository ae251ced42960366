import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { formatDate, formatMoney } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { DealStatusBadge } from "./DealStatusBadge.tsx";
import { stageOutcome, type DealRow, type Stage } from "./deals.api.ts";
import { KanbanCard } from "../../components/kanban/KanbanCard.tsx";
import type { MoveControl, PendingMove } from "../../components/kanban/useBoardMoves.ts";

type DealCardProps = {
  deal: DealRow;
  /** The stages the card's select offers (offeredStages): `isOffered: false` is shown, not chosen. */
  stages: readonly (Stage & { isOffered?: boolean; label?: string })[];
  /** The stage the card shows in: the user's unconfirmed choice, else the stored one. */
  stageId: string;
  move: PendingMove<DealRow> | undefined;
  canMove: boolean;
  onMove: (stageId: string) => void;
  onRetry: () => void;
  onDiscard: () => void;
  takesFocus: MoveControl | undefined;
  onFocusTaken: () => void;
};

/** A deal on the board: name, company, value, owner; drag it, or pick its stage in the select. */
export function DealCard({
  deal,
  stages,
  stageId,
  move,
  canMove,
  onMove,
  onRetry,
  onDiscard,
  takesFocus,
  onFocusTaken,
}: DealCardProps) {
  const { t } = useTranslation();
  const stage = stages.find((s) => s.id === stageId);
  const outcome = stageOutcome(stage);
  const targetName = stages.find((s) => s.id === move?.to)?.name ?? t("deals.card.newStage");
  return (
    <KanbanCard
      id={deal.id}
      name={deal.name}
      columnId={stageId}
      item={deal}
      canDrag={canMove}
      move={move && { state: move.state, message: move.message, targetName }}
      onRetry={onRetry}
      onDiscard={onDiscard}
      takesFocus={takesFocus}
      onFocusTaken={onFocusTaken}
    >
      <div className="flex items-start justify-between gap-2">
        <Link
          to="/deals/$id"
          params={{ id: deal.id }}
          className="font-medium break-words text-accent-700 hover:underline dark:text-sky-300"
        >
          {deal.name}
        </Link>
        {outcome && <DealStatusBadge status={outcome} />}
      </div>
      {(deal.company || deal.contact) && (
        <p className="truncate text-slate-600 dark:text-slate-300">
          {[deal.company?.name, deal.contact ? contactName(deal.contact) : null].filter(Boolean).join(" · ")}
        </p>
      )}
      <p className="flex flex-wrap gap-x-3 text-slate-700 dark:text-slate-200">
        <span className="font-medium">{formatMoney(deal.value, deal.currency)}</span>
        <span>{move ? (stage?.probability ?? deal.probability) : deal.probability} %</span>
        {deal.expectedCloseDate && <span>{t("deals.card.close", { date: formatDate(deal.expectedCloseDate) })}</span>}
      </p>
      {deal.owner && <p className="truncate text-xs text-slate-600 dark:text-slate-400">{deal.owner.name}</p>}
      {deal.status === "lost" && deal.lostReason && !move && (
        <p className="text-xs break-words text-slate-600 dark:text-slate-400">
          {t("deals.card.lostReason", { reason: deal.lostReason })}
        </p>
      )}
      {canMove && (
        <select
          aria-label={t("deals.card.stageOf", { name: deal.name })}
          value={stageId}
          data-move-control=""
          onChange={(e) => onMove(e.target.value)}
          className="mt-1 w-full rounded border border-slate-300 bg-white px-1.5 py-1 text-xs dark:border-slate-600 dark:bg-slate-900"
        >
          {stages.map((s) => (
            <option key={s.id} value={s.id} disabled={s.isOffered === false}>
              {s.label ?? s.name}
            </option>
          ))}
        </select>
      )}
    </KanbanCard>
  );
}
