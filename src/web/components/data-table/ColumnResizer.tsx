import { useRef, type KeyboardEvent, type PointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { clampWidth, maxColumnWidth, minColumnWidth } from "./column-widths.ts";

type ColumnResizerProps = {
  header: string;
  width: number;
  /** Called with each new width while dragging or pressing arrow keys. */
  onResize: (width: number) => void;
};

/** Arrow keys change a width by this much; with Shift, by four times as much. */
const keyStep = 16;

/**
 * The draggable right edge of a column header: drag it, or focus it and press ← / → (Shift for
 * bigger steps, Home / End for narrowest / widest). A separator with a value, as ARIA describes a
 * splitter, so screen readers announce the width.
 */
export function ColumnResizer({ header, width, onResize }: ColumnResizerProps) {
  const { t } = useTranslation();
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onResize(clampWidth(drag.current.startWidth + event.clientX - drag.current.startX));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (event.currentTarget.hasPointerCapture(event.pointerId))
      event.currentTarget.releasePointerCapture(event.pointerId);
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? keyStep * 4 : keyStep;
    const next: Record<string, number> = {
      ArrowLeft: width - step,
      ArrowRight: width + step,
      Home: minColumnWidth,
      End: maxColumnWidth,
    };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    onResize(clampWidth(target));
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={t("components.table.resizeColumn", { header })}
      aria-valuenow={width}
      aria-valuemin={minColumnWidth}
      aria-valuemax={maxColumnWidth}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      onClick={(event) => event.stopPropagation()}
      className="absolute top-0 right-0 h-full w-2 cursor-col-resize touch-none border-r-2 border-transparent hover:border-accent-600 focus-visible:border-accent-600 focus-visible:outline-none dark:hover:border-sky-400 dark:focus-visible:border-sky-400"
    />
  );
}
