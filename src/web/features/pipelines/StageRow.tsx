import { useDraggable, useDroppable } from "@dnd-kit/core";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { inputClass } from "../../components/Field.tsx";
import { t } from "../../i18n/i18n.ts";
import { labelOf } from "../../lib/format.ts";
import type { Outcome, StageDraft, StageErrors } from "./stage-draft.ts";

type StageRowProps = {
  stage: StageDraft;
  /** Place in the list of active stages, from 0. */
  index: number;
  count: number;
  errors: StageErrors["byStage"][string] | undefined;
  onChange: (changes: Partial<StageDraft>) => void;
  onMove: (to: number) => void;
  /** Archives a saved stage; removes a new one (nothing refers to it yet). */
  onArchive: () => void;
};

/** What a stage is called in buttons and announcements, also before it has a name. */
export function stageLabel(stage: StageDraft, index: number): string {
  return stage.name.trim() || t("pipelines.row.unnamed", { number: index + 1 });
}

const outcomes: readonly Outcome[] = ["open", "won", "lost"];

/**
 * One stage in the editor: a drag handle (dnd-kit: the row is both draggable and a drop target),
 * its name, probability and outcome (won / lost), Move up / Move down, and Archive.
 */
export function StageRow({ stage, index, count, errors, onChange, onMove, onArchive }: StageRowProps) {
  const { t } = useTranslation();
  const label = stageLabel(stage, index);
  const errorId = useId();
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, isDragging } = useDraggable({
    id: stage.key,
    data: { name: label },
  });
  const { setNodeRef: setDropRef, isOver: isDraggedOver } = useDroppable({ id: stage.key });
  const messages = [errors?.name, errors?.probability, errors?.outcome].filter(Boolean);
  const describedBy = (message: string | undefined) => (message ? errorId : undefined);
  const isOver = isDraggedOver && !isDragging;

  return (
    <li
      ref={(node) => {
        setNodeRef(node);
        setDropRef(node);
      }}
      data-stage={stage.key}
      className={`flex flex-col gap-1 rounded-md border bg-white p-2 dark:bg-slate-900 ${
        isOver
          ? "border-accent-600 ring-1 ring-accent-600 dark:border-sky-400"
          : "border-slate-200 dark:border-slate-700"
      } ${isDragging ? "opacity-50" : ""}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-label={t("pipelines.row.drag", { stage: label })}
          className="cursor-grab touch-none rounded px-1.5 py-1 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true">⠿</span>
        </button>
        <span className="w-6 text-right text-sm text-slate-600 tabular-nums dark:text-slate-400" aria-hidden="true">
          {index + 1}.
        </span>
        <input
          aria-label={t("pipelines.row.name", { number: index + 1 })}
          value={stage.name}
          maxLength={100}
          autoComplete="off"
          aria-invalid={Boolean(errors?.name)}
          aria-describedby={describedBy(errors?.name)}
          onChange={(event) => onChange({ name: event.target.value })}
          className={`${inputClass} min-w-0 flex-1 basis-40`}
        />
        <span className="flex items-center gap-1 text-sm">
          <input
            aria-label={t("pipelines.row.probability", { stage: label })}
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            value={stage.probability}
            placeholder={stage.outcome === "won" ? "100" : "0"}
            aria-invalid={Boolean(errors?.probability)}
            aria-describedby={describedBy(errors?.probability)}
            onChange={(event) => onChange({ probability: event.target.value })}
            className={`${inputClass} w-20`}
          />
          <span aria-hidden="true">%</span>
        </span>
        <select
          aria-label={t("pipelines.row.outcome", { stage: label })}
          value={stage.outcome}
          aria-invalid={Boolean(errors?.outcome)}
          aria-describedby={describedBy(errors?.outcome)}
          onChange={(event) => onChange({ outcome: event.target.value as Outcome })}
          className={`${inputClass} w-24`}
        >
          {outcomes.map((outcome) => (
            <option key={outcome} value={outcome}>
              {labelOf(outcome)}
            </option>
          ))}
        </select>
        <div className="flex gap-1">
          <Button
            size="sm"
            variant="ghost"
            aria-label={t("pipelines.row.moveUp", { stage: label })}
            data-move="up"
            disabled={index === 0}
            onClick={() => onMove(index - 1)}
          >
            <span aria-hidden="true">↑</span>
          </Button>
          <Button
            size="sm"
            variant="ghost"
            aria-label={t("pipelines.row.moveDown", { stage: label })}
            data-move="down"
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
          >
            <span aria-hidden="true">↓</span>
          </Button>
          <Button
            size="sm"
            aria-label={
              stage.id
                ? t("pipelines.row.archiveStage", { stage: label })
                : t("pipelines.row.removeStage", { stage: label })
            }
            onClick={onArchive}
          >
            {stage.id ? t("pipelines.row.archive") : t("common.remove")}
          </Button>
        </div>
      </div>
      {messages.length > 0 && (
        <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {messages.join(" ")}
        </p>
      )}
    </li>
  );
}
