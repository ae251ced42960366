import { useDndContext, useDroppable } from "@dnd-kit/core";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { KanbanCardData } from "./KanbanBoard.tsx";

type KanbanColumnProps = {
  id: string;
  title: string;
  /** Beside the title: a count, a won/lost mark. */
  badge?: ReactNode;
  /** Under the title: totals. */
  summary?: ReactNode;
  /** Whether the server is expected to accept the dragged card here (a hint while dragging). */
  accepts?: (card: KanbanCardData) => boolean;
  isDropDisabled?: boolean;
  /** A collapsed column shows only its header. */
  isCollapsed?: boolean;
  onToggleCollapsed?: () => void;
  footer?: ReactNode;
  children: ReactNode;
};

/** One column of a KanbanBoard: a drop target with a header and a scrolling list of cards. */
export function KanbanColumn(props: KanbanColumnProps) {
  const { t } = useTranslation();
  const { id, title, isDropDisabled = false, isCollapsed = false } = props;
  const headingId = useId();
  const listId = useId();
  const { setNodeRef, isOver } = useDroppable({ id, disabled: isDropDisabled });
  const dragged = useDndContext().active?.data.current as KanbanCardData | undefined;
  const isDragging = Boolean(dragged) && !isDropDisabled && dragged?.columnId !== id;
  const isAccepted = isDragging && dragged ? (props.accepts?.(dragged) ?? true) : false;

  const frame = isOver
    ? isAccepted
      ? "border-accent-600 bg-accent-50 dark:border-sky-400 dark:bg-slate-800"
      : "border-red-400 bg-red-50 dark:border-red-700 dark:bg-red-950"
    : isAccepted
      ? "border-dashed border-accent-600 dark:border-sky-400"
      : "border-slate-200 dark:border-slate-800";

  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      data-column={id}
      className={`flex min-h-0 shrink-0 flex-col rounded-lg border bg-slate-50 dark:bg-slate-900 ${frame} ${isCollapsed ? "w-44" : "w-[min(18rem,82vw)]"} ${isDragging && !isAccepted && !isOver ? "opacity-60" : ""}`}
    >
      <header className="flex flex-col gap-0.5 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <div className="flex items-center justify-between gap-2">
          <h2 id={headingId} className="truncate text-sm font-semibold">
            {title}
          </h2>
          <div className="flex items-center gap-1.5">
            {props.badge}
            {props.onToggleCollapsed && (
              <button
                type="button"
                aria-expanded={!isCollapsed}
                aria-controls={listId}
                aria-label={
                  isCollapsed
                    ? t("components.kanban.showColumn", { title })
                    : t("components.kanban.hideColumn", { title })
                }
                onClick={props.onToggleCollapsed}
                className="rounded px-1.5 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
              >
                {isCollapsed ? t("components.kanban.show") : t("components.kanban.hide")}
              </button>
            )}
          </div>
        </div>
        {props.summary}
      </header>
      <ul id={listId} hidden={isCollapsed} className="flex min-h-16 flex-1 flex-col gap-2 overflow-y-auto p-2">
        {props.children}
      </ul>
      {!isCollapsed && props.footer}
    </section>
  );
}
