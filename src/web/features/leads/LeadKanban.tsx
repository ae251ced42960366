import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { LeadStatus } from "../../../shared/schemas/lead.ts";
import { invalidateCollection, type ListFilter } from "../../api/records.ts";
import { useCan } from "../auth/session.ts";
import { KanbanBoard } from "../../components/kanban/KanbanBoard.tsx";
import { useBoardMoves, type MoveControl } from "../../components/kanban/useBoardMoves.ts";
import { boardStatuses, isLeadStatus, leadStatusLabel } from "./lead-status.ts";
import { LeadCard } from "./LeadCard.tsx";
import { LeadColumn } from "./LeadColumn.tsx";
import { fetchLead, patchLead, type LeadRow } from "./leads.api.ts";
import { LostReasonDialog } from "./LostReasonDialog.tsx";

/**
 * Leads by status. Dragging a card (or choosing its status) sends PATCH status with If-Match; the
 * server's transition rule decides, and a refused move snaps back with its message. Dropping on
 * Lost first asks for the reason. Converted leads are shown read-only in a collapsible column.
 */
export function LeadKanban({ filters, q }: { filters: ListFilter[]; q: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const can = useCan();
  const [isConvertedShown, setConvertedShown] = useState(false);
  const [losing, setLosing] = useState<{ lead: LeadRow; from: LeadStatus; control: MoveControl } | null>(null);
  const board = useBoardMoves<LeadRow>({
    save: (lead, to, extra) =>
      patchLead(
        lead,
        to === "lost" ? { status: to, lostReason: extra?.lostReason ?? null } : { status: to as LeadStatus },
      ),
    fetchLatest: fetchLead,
    refresh: () => invalidateCollection(client, "leads"),
    onSaved: (lead, to) =>
      toast.success(t("leads.board.moved", { title: lead.title, status: isLeadStatus(to) ? leadStatusLabel(to) : to })),
  });

  const requestMove = (lead: LeadRow, from: LeadStatus, to: LeadStatus, control: MoveControl) => {
    if (from === to) return;
    if (to === "lost") setLosing({ lead, from, control });
    else board.move(lead, from, to, undefined, control);
  };

  const renderCard = (lead: LeadRow) => {
    const move = board.moves[lead.id];
    const shownIn = move && isLeadStatus(move.to) ? move.to : lead.status;
    return (
      <LeadCard
        key={lead.id}
        lead={lead}
        status={shownIn}
        move={move}
        canMove={lead.status !== "converted" && !lead.deletedAt && can("update", "lead", { ownerId: lead.ownerId })}
        onMove={(to) => requestMove(lead, shownIn, to, "select")}
        onRetry={() => board.retry(lead.id)}
        onDiscard={() => board.discard(lead.id)}
        takesFocus={board.focusTarget?.id === lead.id ? board.focusTarget.control : undefined}
        onFocusTaken={board.clearFocusTarget}
      />
    );
  };

  return (
    <>
      <KanbanBoard
        label={t("leads.board.label")}
        columnName={(id) => (isLeadStatus(id) ? leadStatusLabel(id) : id)}
        onDrop={({ item, columnId, to }) =>
          isLeadStatus(columnId) && isLeadStatus(to) && requestMove(item as LeadRow, columnId, to, "handle")
        }
      >
        {boardStatuses.map((status) => (
          <LeadColumn
            key={status}
            status={status}
            filters={filters}
            q={q}
            moves={board.moves}
            renderCard={renderCard}
          />
        ))}
        <LeadColumn
          status="converted"
          filters={filters}
          q={q}
          moves={board.moves}
          renderCard={renderCard}
          isReadOnly
          isCollapsed={!isConvertedShown}
          onToggleCollapsed={() => setConvertedShown((shown) => !shown)}
        />
      </KanbanBoard>
      <LostReasonDialog
        kind="lead"
        recordName={losing?.lead.title ?? null}
        description={losing ? t("leads.lost.description", { title: losing.lead.title }) : undefined}
        onCancel={() => setLosing(null)}
        onConfirm={(lostReason) => {
          if (losing) board.move(losing.lead, losing.from, "lost", { lostReason: lostReason ?? "" }, losing.control);
          setLosing(null);
        }}
      />
    </>
  );
}
