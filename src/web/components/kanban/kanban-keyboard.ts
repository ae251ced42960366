import type { KeyboardCoordinateGetter, UniqueIdentifier } from "@dnd-kit/core";

// The column the last key press jumped to, per drag: keys pressed faster than the board
// re-measures would otherwise start again from the stale "over" column.
let lastJump: { drag: Event | null; columnId: UniqueIdentifier } | null = null;

/**
 * Keyboard moves for a board of columns: Left and Right jump the picked-up card to the centre of
 * the previous or next column that accepts drops; other keys leave it where it is.
 */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  if (event.code !== "ArrowRight" && event.code !== "ArrowLeft") return undefined;
  const { collisionRect, droppableRects, droppableContainers, over } = context;
  if (!collisionRect) return undefined;
  event.preventDefault();
  const columns = droppableContainers
    .getEnabled()
    .flatMap((container) => {
      const rect = droppableRects.get(container.id);
      return rect ? [{ id: container.id, rect }] : [];
    })
    .sort((a, b) => a.rect.left - b.rect.left);
  const centre = collisionRect.left + collisionRect.width / 2;
  const fromId = lastJump && lastJump.drag === context.activatorEvent ? lastJump.columnId : over?.id;
  const current =
    fromId !== undefined
      ? columns.findIndex((column) => column.id === fromId)
      : columns.findIndex((column) => centre >= column.rect.left && centre <= column.rect.right);
  const step = event.code === "ArrowRight" ? 1 : -1;
  const next = columns[current === -1 ? (step === 1 ? 0 : columns.length - 1) : current + step];
  if (!next) return undefined;
  lastJump = { drag: context.activatorEvent, columnId: next.id };
  const top = Math.max(
    next.rect.top,
    Math.min(currentCoordinates.y, next.rect.top + next.rect.height - collisionRect.height),
  );
  return { x: next.rect.left + (next.rect.width - collisionRect.width) / 2, y: top };
};
