import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { LeadStatus } from "../../../shared/schemas/lead.ts";
import { labelOf } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { KanbanCard } from "../../components/kanban/KanbanCard.tsx";
import type { MoveControl, PendingMove } from "../../components/kanban/useBoardMoves.ts";
import { isLeadStatus, leadStatusLabel, leadTransitions } from "./lead-status.ts";
import { leadValue } from "./leads.columns.tsx";
import { primaryContactOf, type LeadRow } from "./leads.api.ts";

type LeadCardProps = {
  lead: LeadRow;
  /** The status the card shows in: the user's unconfirmed choice, else the stored one. */
  status: LeadStatus;
  move: PendingMove<LeadRow> | undefined;
  canMove: boolean;
  onMove: (status: LeadStatus) => void;
  onRetry: () => void;
  onDiscard: () => void;
  takesFocus: MoveControl | undefined;
  onFocusTaken: () => void;
};

/** A lead on the board: title, who, value, priority, score; drag it or choose its next status. */
export function LeadCard({
  lead,
  status,
  move,
  canMove,
  onMove,
  onRetry,
  onDiscard,
  takesFocus,
  onFocusTaken,
}: LeadCardProps) {
  const { t } = useTranslation();
  const contact = primaryContactOf(lead);
  const who = [lead.company?.name, contact ? contactName(contact) : null].filter(Boolean).join(" · ");
  const target = move && isLeadStatus(move.to) ? leadStatusLabel(move.to) : t("leads.card.newStatus");
  // The select offers where the stored status may go; the card's current column stays selected.
  const choices = [...new Set<LeadStatus>([status, lead.status, ...leadTransitions[lead.status]])].filter(
    (s) => s !== "converted",
  );
  return (
    <KanbanCard
      id={lead.id}
      name={lead.title}
      columnId={status}
      item={lead}
      canDrag={canMove}
      move={move && { state: move.state, message: move.message, targetName: target }}
      onRetry={onRetry}
      onDiscard={onDiscard}
      takesFocus={takesFocus}
      onFocusTaken={onFocusTaken}
    >
      <Link
        to="/leads/$id"
        params={{ id: lead.id }}
        className="font-medium break-words text-accent-700 hover:underline dark:text-sky-300"
      >
        {lead.title}
      </Link>
      {who && <p className="truncate text-slate-600 dark:text-slate-300">{who}</p>}
      <p className="flex flex-wrap gap-x-3 text-slate-700 dark:text-slate-200">
        <span className="font-medium">{leadValue(lead)}</span>
        <span>{t("leads.card.priority", { priority: labelOf(lead.priority) })}</span>
        <span>{t("leads.card.score", { score: lead.score })}</span>
      </p>
      {lead.owner && <p className="truncate text-xs text-slate-600 dark:text-slate-400">{lead.owner.name}</p>}
      {lead.status === "lost" && lead.lostReason && !move && (
        <p className="text-xs break-words text-slate-600 dark:text-slate-400">
          {t("leads.card.lost", { reason: lead.lostReason })}
        </p>
      )}
      {lead.status === "converted" && lead.dealId && (
        <Link
          to="/deals/$id"
          params={{ id: lead.dealId }}
          className="text-xs text-accent-700 hover:underline dark:text-sky-300"
        >
          {t("leads.openDeal")}
        </Link>
      )}
      {canMove && (
        <select
          aria-label={t("leads.card.statusOf", { title: lead.title })}
          value={status}
          data-move-control=""
          onChange={(e) => isLeadStatus(e.target.value) && onMove(e.target.value)}
          className="mt-1 w-full rounded border border-slate-300 bg-white px-1.5 py-1 text-xs dark:border-slate-600 dark:bg-slate-900"
        >
          {choices.map((s) => (
            <option key={s} value={s}>
              {s === "lost" && status !== "lost" ? t("leads.lostChoice") : leadStatusLabel(s)}
            </option>
          ))}
        </select>
      )}
    </KanbanCard>
  );
}
