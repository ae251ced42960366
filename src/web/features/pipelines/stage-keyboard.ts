import type { KeyboardCoordinateGetter, UniqueIdentifier } from "@dnd-kit/core";

// The row the last key press jumped to, per drag: keys pressed faster than the list re-measures
// would otherwise start again from the stale "over" row.
let lastJump: { drag: Event | null; rowId: UniqueIdentifier } | null = null;

/**
 * Keyboard moves for a vertical list: Up and Down jump the picked-up row onto the previous or
 * next row; other keys leave it where it is.
 */
export const rowKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  if (event.code !== "ArrowDown" && event.code !== "ArrowUp") return undefined;
  const { collisionRect, droppableRects, droppableContainers, over } = context;
  if (!collisionRect) return undefined;
  event.preventDefault();
  const rows = droppableContainers
    .getEnabled()
    .flatMap((container) => {
      const rect = droppableRects.get(container.id);
      return rect ? [{ id: container.id, rect }] : [];
    })
    .sort((a, b) => a.rect.top - b.rect.top);
  const fromId = lastJump && lastJump.drag === context.activatorEvent ? lastJump.rowId : over?.id;
  const current = rows.findIndex((row) => row.id === fromId);
  const step = event.code === "ArrowDown" ? 1 : -1;
  const next = rows[current === -1 ? 0 : current + step];
  if (!next) return undefined;
  lastJump = { drag: context.activatorEvent, rowId: next.id };
  return { x: currentCoordinates.x, y: next.rect.top + (next.rect.height - collisionRect.height) / 2 };
};
