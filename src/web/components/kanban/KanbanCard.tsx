import { useDraggable } from "@dnd-kit/core";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../Button.tsx";
import type { MoveControl, MoveState } from "./useBoardMoves.ts";

type KanbanCardProps = {
  id: string;
  name: string;
  columnId: string;
  item: unknown;
  canDrag: boolean;
  /** The card's unconfirmed move, if any, and the name of the column it was moved to. */
  move?: { state: MoveState; message: string | null; targetName: string } | undefined;
  onRetry: () => void;
  onDiscard: () => void;
  /** After a move the card is a new element: this control takes the focus (then `onFocusTaken`). */
  takesFocus?: MoveControl | undefined;
  onFocusTaken?: () => void;
  children: ReactNode;
};

/** Marks the card's own stage/status select (in its content), which takes the focus after a select move. */
const moveControlAttribute = "data-move-control";

const frames: Record<MoveState | "idle", string> = {
  idle: "border-slate-200 dark:border-slate-700",
  saving: "border-slate-200 opacity-70 dark:border-slate-700",
  conflict: "border-amber-500 ring-1 ring-amber-500 dark:border-amber-400 dark:ring-amber-400",
  failed: "border-red-500 ring-1 ring-red-500 dark:border-red-400 dark:ring-red-400",
};

/** A card of a KanbanBoard: a drag handle, its content, and the state of an unconfirmed move. */
export function KanbanCard(props: KanbanCardProps) {
  const { t } = useTranslation();
  const { id, name, columnId, item, canDrag, move, onRetry, onDiscard, takesFocus, onFocusTaken, children } = props;
  const isSaving = move?.state === "saving";
  const rootRef = useRef<HTMLLIElement | null>(null);
  const handleRef = useRef<HTMLButtonElement | null>(null);
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, isDragging } = useDraggable({
    id,
    data: { name, columnId, item },
    disabled: !canDrag || isSaving,
  });

  useEffect(() => {
    if (!takesFocus) return;
    // After the frame in which dialogs and dnd-kit restore their own focus.
    const frame = requestAnimationFrame(() => {
      const control =
        takesFocus === "select"
          ? rootRef.current?.querySelector<HTMLElement>(`[${moveControlAttribute}]`)
          : handleRef.current;
      (control ?? rootRef.current?.querySelector<HTMLElement>("a, button, select"))?.focus();
      onFocusTaken?.();
    });
    return () => cancelAnimationFrame(frame);
  }, [takesFocus, onFocusTaken]);
  return (
    <li
      ref={(node) => {
        setNodeRef(node);
        rootRef.current = node;
      }}
      aria-busy={isSaving || undefined}
      className={`rounded-md border bg-white p-2.5 text-sm shadow-sm dark:bg-slate-950 ${frames[move?.state ?? "idle"]} ${isDragging ? "opacity-40" : ""}`}
    >
      <div className="flex items-start gap-1.5">
        {canDrag && (
          <button
            type="button"
            ref={(node) => {
              setActivatorNodeRef(node);
              handleRef.current = node;
            }}
            {...attributes}
            {...listeners}
            aria-label={t("components.kanban.drag", { name })}
            className="-ml-1 cursor-grab touch-none rounded px-1 text-slate-500 hover:bg-slate-100 aria-disabled:cursor-not-allowed dark:text-slate-400 dark:hover:bg-slate-800"
          >
            <span aria-hidden="true">⠿</span>
          </button>
        )}
        <div className="flex min-w-0 flex-1 flex-col gap-1">{children}</div>
      </div>
      {isSaving && (
        <p role="status" className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {t("common.saving")}
        </p>
      )}
      {move && move.state !== "saving" && (
        <div
          role="alert"
          className={`mt-2 flex flex-col gap-1.5 rounded p-2 text-xs ${move.state === "conflict" ? "bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-100" : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"}`}
        >
          {move.state === "conflict" ? (
            <p>
              <strong>{t("components.kanban.conflictTitle")}</strong>{" "}
              {t("components.kanban.conflict", { target: move.targetName })}
            </p>
          ) : (
            <p>
              <strong>{t("components.kanban.failedTitle")}</strong>{" "}
              {t("components.kanban.failed", {
                message: move.message ?? t("components.kanban.unreachable"),
                target: move.targetName,
              })}
            </p>
          )}
          <div className="flex flex-wrap gap-1.5">
            <Button
              size="sm"
              variant="primary"
              onClick={onRetry}
              aria-label={t("components.kanban.retryMove", { name, target: move.targetName })}
            >
              {t("components.kanban.retry")}
            </Button>
            <Button
              size="sm"
              onClick={onDiscard}
              aria-label={
                move.state === "conflict"
                  ? t("components.kanban.reloadCard", { name })
                  : t("components.kanban.discardMove", { name })
              }
            >
              {move.state === "conflict" ? t("components.kanban.reload") : t("components.kanban.discard")}
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}
