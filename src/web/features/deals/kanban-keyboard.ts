import type { KeyboardCoordinateGetter } from "@dnd-kit/core";

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
  const current = over
    ? columns.findIndex((column) => column.id === over.id)
    : columns.findIndex((column) => centre >= column.rect.left && centre <= column.rect.right);
  const step = event.code === "ArrowRight" ? 1 : -1;
  const next = columns[current === -1 ? (step === 1 ? 0 : columns.length - 1) : current + step];
  if (!next) return undefined;
  const top = Math.max(next.rect.top, Math.min(currentCoordinates.y, next.rect.top + next.rect.height - collisionRect.height));
  return { x: next.rect.left + (next.rect.width - collisionRect.width) / 2, y: top };
};
