import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type Active,
  type Announcements,
  type CollisionDetection,
} from "@dnd-kit/core";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { columnKeyboardCoordinates } from "./kanban-keyboard.ts";

/** What a card carries while dragged: its name for announcements, its column, and the record. */
export type KanbanCardData = { name: string; columnId: string; item: unknown };

type KanbanBoardProps = {
  label: string;
  /** A column's name, for screen reader announcements. */
  columnName: (columnId: string) => string;
  /** A card was dropped on another column. */
  onDrop: (drop: KanbanCardData & { to: string }) => void;
  children: ReactNode;
};

const dataOf = (active: Active | null): KanbanCardData | undefined =>
  active?.data.current as KanbanCardData | undefined;

// The pointer decides while there is one; keyboard moves have none, so they use the card's rectangle.
const collisionDetection: CollisionDetection = (args) =>
  args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args);

/**
 * Columns of cards that can be dragged between columns with a pointer or the keyboard (dnd-kit),
 * with spoken announcements. Columns scroll horizontally on narrow screens.
 */
export function KanbanBoard({ label, columnName, onDrop, children }: KanbanBoardProps) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );
  const { t } = useTranslation();
  const [dragged, setDragged] = useState<KanbanCardData | null>(null);
  const name = (active: Active) => dataOf(active)?.name ?? t("components.kanban.theCard");

  const screenReaderInstructions = { draggable: t("components.kanban.instructions") };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("components.kanban.pickedUp", { name: name(active) }),
    onDragOver: ({ active, over }) =>
      over
        ? t("components.kanban.over", { name: name(active), column: columnName(String(over.id)) })
        : t("components.kanban.notOver", { name: name(active) }),
    onDragEnd: ({ active, over }) =>
      over
        ? t("components.kanban.dropped", { name: name(active), column: columnName(String(over.id)) })
        : t("components.kanban.droppedBack", { name: name(active) }),
    onDragCancel: ({ active }) => t("components.kanban.cancelled", { name: name(active) }),
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      accessibility={{ announcements, screenReaderInstructions }}
      onDragStart={({ active }) => setDragged(dataOf(active) ?? null)}
      onDragCancel={() => setDragged(null)}
      onDragEnd={({ active, over }) => {
        setDragged(null);
        const data = dataOf(active);
        if (data && over && String(over.id) !== data.columnId) onDrop({ ...data, to: String(over.id) });
      }}
    >
      <div
        role="region"
        aria-label={label}
        className="flex min-h-0 flex-1 gap-3 overflow-x-auto overscroll-x-contain p-3 sm:p-4"
      >
        {children}
      </div>
      <DragOverlay dropAnimation={null}>
        {dragged && (
          <div className="w-64 rounded-md border border-accent-600 bg-white p-3 text-sm font-medium shadow-lg dark:bg-slate-900">
            {dragged.name}
          </div>
        )}
      </DragOverlay>
    </DndContext>
  );
}
