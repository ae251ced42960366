import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { UpdatePipelineSchema } from "../../../shared/schemas/pipeline.ts";
import { ApiProblem } from "../../api/client.ts";
import { invalidateCollection } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { FormError } from "../../components/FormError.tsx";
import { useUnsavedChangesGuard } from "../../lib/forms.ts";
import { pipelineErrorMessage, useUpdatePipeline, type PipelineRow } from "./pipelines.api.ts";
import {
  moveItem,
  newStageDraft,
  stageErrorsOf,
  stagesBody,
  stagesDraftOf,
  type StageDraft,
  type StageErrors,
} from "./stage-draft.ts";
import { rowKeyboardCoordinates } from "./stage-keyboard.ts";
import { stageLabel, StageRow } from "./StageRow.tsx";

const noErrors: StageErrors = { byStage: {} };

/**
 * The stages of one pipeline, edited as a list and saved at once (PATCH `stages` with If-Match on
 * the version the editor opened with). Stages are reordered by dragging their handle (pointer or
 * keyboard) or with Move up / Move down; archived stages are listed apart and can be brought back.
 * Field errors, from the shared schema first and then from the API, show at their stage.
 */
export function StageEditor({ pipeline, onClose }: { pipeline: PipelineRow; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const update = useUpdatePipeline();
  // The version the edits are based on: refetches (live updates) must not move it.
  const [base, setBase] = useState(pipeline);
  const [draft, setDraft] = useState(() => stagesDraftOf(pipeline));
  const [errors, setErrors] = useState<StageErrors>(noErrors);
  const [isStale, setStale] = useState(false);
  const listRef = useRef<HTMLOListElement | null>(null);
  const isDirty = JSON.stringify(draft) !== JSON.stringify(stagesDraftOf(base));
  useUnsavedChangesGuard(isDirty && !update.isPending);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: rowKeyboardCoordinates }),
  );
  const indexOf = (key: UniqueIdentifier) => draft.active.findIndex((s) => s.key === key);
  const nameOf = (key: UniqueIdentifier) => {
    const index = indexOf(key);
    const stage = draft.active[index];
    return stage ? stageLabel(stage, index) : t("pipelines.editor.theStage");
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("pipelines.editor.pickedUp", { stage: nameOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over
        ? t("pipelines.editor.over", { stage: nameOf(active.id), position: indexOf(over.id) + 1 })
        : t("pipelines.editor.notOver", { stage: nameOf(active.id) }),
    onDragEnd: ({ active, over }) =>
      over
        ? t("pipelines.editor.moved", { stage: nameOf(active.id), position: indexOf(over.id) + 1 })
        : t("pipelines.editor.droppedBack", { stage: nameOf(active.id) }),
    onDragCancel: ({ active }) => t("pipelines.editor.cancelled", { stage: nameOf(active.id) }),
  };

  const move = (from: number, to: number, focus?: "up" | "down") => {
    const key = draft.active[from]?.key;
    setDraft((d) => ({ ...d, active: moveItem(d.active, from, to) }));
    if (!key || !focus) return;
    // The moved row's button keeps the focus; at the end of the list, its other button takes it.
    requestAnimationFrame(() => {
      const row = listRef.current?.querySelector(`[data-stage="${key}"]`);
      const [up, down] = row ? Array.from(row.querySelectorAll<HTMLButtonElement>("button[data-move]")) : [];
      const wanted = focus === "up" ? up : down;
      (wanted && !wanted.disabled ? wanted : focus === "up" ? down : up)?.focus();
    });
  };
  const change = (key: string, changes: Partial<StageDraft>) =>
    setDraft((d) => ({ ...d, active: d.active.map((s) => (s.key === key ? { ...s, ...changes } : s)) }));
  const archive = (stage: StageDraft) =>
    setDraft((d) => ({
      active: d.active.filter((s) => s.key !== stage.key),
      archived: stage.id ? [...d.archived, stage] : d.archived,
    }));
  const restore = (stage: StageDraft) =>
    setDraft((d) => ({ active: [...d.active, stage], archived: d.archived.filter((s) => s.key !== stage.key) }));
  const add = () => {
    const stage = newStageDraft();
    setDraft((d) => ({ ...d, active: [...d.active, stage] }));
    requestAnimationFrame(() =>
      listRef.current?.querySelector<HTMLInputElement>(`[data-stage="${stage.key}"] input`)?.focus(),
    );
  };
  const startOver = (from: PipelineRow) => {
    setBase(from);
    setDraft(stagesDraftOf(from));
    setErrors(noErrors);
    setStale(false);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const stages = stagesBody(draft);
    const checked = UpdatePipelineSchema.safeParse({ stages });
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      return setErrors(stageErrorsOf(draft, issues));
    }
    setErrors(noErrors);
    try {
      const saved = await update.mutateAsync({ id: base.id, version: base.version, changes: { stages } });
      startOver(saved);
      toast.success(t("pipelines.editor.saved", { name: saved.name }));
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        setStale(true);
        await invalidateCollection(client, "pipelines");
        return setErrors({ byStage: {}, list: t("pipelines.editor.stale") });
      }
      const fieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
      const placed = stageErrorsOf(draft, fieldErrors);
      setErrors({
        ...placed,
        list: placed.list ?? (fieldErrors.length === 0 ? pipelineErrorMessage(error) : undefined),
      });
    }
  };

  return (
    <form onSubmit={(event) => void save(event)} noValidate className="flex flex-col gap-3">
      <p className="text-sm text-slate-600 dark:text-slate-300">{t("pipelines.editor.help")}</p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        accessibility={{ announcements }}
        onDragEnd={({ active, over }) => {
          if (over && over.id !== active.id) move(indexOf(active.id), indexOf(over.id));
        }}
      >
        <ol
          ref={listRef}
          aria-label={t("pipelines.editor.stagesOf", { name: base.name })}
          className="flex flex-col gap-2"
        >
          {draft.active.map((stage, index) => (
            <StageRow
              key={stage.key}
              stage={stage}
              index={index}
              count={draft.active.length}
              errors={errors.byStage[stage.key]}
              onChange={(changes) => change(stage.key, changes)}
              onMove={(to) => move(index, to, to < index ? "up" : "down")}
              onArchive={() => archive(stage)}
            />
          ))}
        </ol>
      </DndContext>
      <div>
        <Button size="sm" onClick={add}>
          {t("pipelines.editor.add")}
        </Button>
      </div>
      {draft.archived.length > 0 && (
        <section aria-labelledby={`archived-${base.id}`} className="flex flex-col gap-1">
          <h3 id={`archived-${base.id}`} className="text-sm font-semibold">
            {t("pipelines.editor.archived")}
          </h3>
          <ul className="flex flex-col gap-1">
            {draft.archived.map((stage) => (
              <li key={stage.key} className="flex items-center justify-between gap-2 text-sm">
                <span className="break-words">{stage.name}</span>
                <Button
                  size="sm"
                  aria-label={t("pipelines.editor.bringBackStage", { stage: stage.name })}
                  onClick={() => restore(stage)}
                >
                  {t("pipelines.editor.bringBack")}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <FormError message={errors.list} />
      {isStale && (
        <div>
          <Button size="sm" onClick={() => startOver(pipeline)}>
            {t("pipelines.editor.loadTheirs")}
          </Button>
        </div>
      )}
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={() => (!isDirty || window.confirm(t("pipelines.editor.confirmClose"))) && onClose()}>
          {t("common.close")}
        </Button>
        <Button disabled={!isDirty} onClick={() => startOver(base)}>
          {t("pipelines.editor.discard")}
        </Button>
        <Button type="submit" variant="primary" disabled={!isDirty || update.isPending}>
          {update.isPending ? t("common.saving") : t("pipelines.editor.save")}
        </Button>
      </div>
    </form>
  );
}
