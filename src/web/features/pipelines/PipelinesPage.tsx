import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { toastWithUndoOfDelete } from "../../lib/undo.ts";
import { useCan } from "../auth/session.ts";
import { CreatePipelineDialog } from "./CreatePipelineDialog.tsx";
import {
  pipelineErrorMessage,
  useDeletePipeline,
  usePipelines,
  useDeletedPipelines,
  useRestorePipeline,
  useUpdatePipeline,
  type PipelineRow,
} from "./pipelines.api.ts";
import { RenamePipelineDialog } from "./RenamePipelineDialog.tsx";
import { StageEditor } from "./StageEditor.tsx";

const badgeClass =
  "rounded bg-accent-50 px-1.5 py-0.5 text-xs font-medium text-accent-800 dark:bg-slate-800 dark:text-sky-200";

/**
 * Settings → Pipelines (admins): the workspace's pipelines; create one from a template, rename it,
 * make it the default, delete it (not the default, nor one with open deals), and edit its stages.
 */
export function PipelinesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const pipelines = usePipelines();
  const update = useUpdatePipeline();
  const remove = useDeletePipeline();
  const restore = useRestorePipeline();
  const [isCreating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<PipelineRow | null>(null);
  // The refusal of the last change, shown at the pipeline it was about (e.g. open deals: 409).
  const [refusal, setRefusal] = useState<{ pipelineId: string; message: string } | null>(null);

  if (!can("update", "pipeline"))
    return (
      <>
        <PageHeader title={t("pipelines.page.title")} />
        <EmptyState title={t("pipelines.page.adminsOnly")} />
      </>
    );

  const all = pipelines.data?.data ?? [];
  const makeDefault = (pipeline: PipelineRow) => {
    setRefusal(null);
    update.mutate(
      { id: pipeline.id, version: pipeline.version, changes: { isDefault: true } },
      {
        onSuccess: () => toast.success(t("pipelines.page.madeDefault", { name: pipeline.name })),
        onError: (error) => setRefusal({ pipelineId: pipeline.id, message: pipelineErrorMessage(error) }),
      },
    );
  };

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      {t("pipelines.page.new")}
    </Button>
  );

  let body;
  if (pipelines.isPending) body = <SkeletonRows rows={3} />;
  else if (pipelines.isError) body = <ErrorMessage error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  else if (all.length === 0)
    body = (
      <EmptyState title={t("pipelines.page.empty")}>
        <p className="max-w-md text-sm">{t("pipelines.page.emptyHelp")}</p>
        {createButton}
      </EmptyState>
    );
  else
    body = (
      <ul
        aria-label={t("pipelines.page.title")}
        className="flex flex-col divide-y divide-slate-200 px-4 dark:divide-slate-800"
      >
        {all.map((pipeline) => {
          const isEditing = editingId === pipeline.id;
          const editorId = `stages-${pipeline.id}`;
          const activeCount = pipeline.stages.filter((s) => !s.archivedAt).length;
          const isBusy = update.isPending && update.variables.id === pipeline.id;
          return (
            <li key={pipeline.id} className="flex flex-col gap-3 py-3 text-sm">
              <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
                <div className="min-w-0 flex-1 basis-56">
                  <h2 className="flex flex-wrap items-center gap-2 text-base font-semibold break-words">
                    {pipeline.name}
                    {pipeline.isDefault && <span className={badgeClass}>{t("pipelines.page.default")}</span>}
                  </h2>
                  <p className="text-slate-600 dark:text-slate-300">
                    {pipeline.stages
                      .filter((s) => !s.archivedAt)
                      .map((s) => s.name)
                      .join(" → ")}
                  </p>
                  <p className="text-slate-600 dark:text-slate-400">
                    {t("pipelines.page.stageCount", { count: activeCount })}
                    {activeCount < pipeline.stages.length &&
                      t("pipelines.page.archivedCount", { number: pipeline.stages.length - activeCount })}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <Button
                    size="sm"
                    aria-expanded={isEditing}
                    aria-controls={isEditing ? editorId : undefined}
                    aria-label={
                      isEditing
                        ? t("pipelines.page.closeStagesOf", { name: pipeline.name })
                        : t("pipelines.page.editStagesOf", { name: pipeline.name })
                    }
                    onClick={() => setEditingId(isEditing ? null : pipeline.id)}
                  >
                    {isEditing ? t("pipelines.page.closeStages") : t("pipelines.page.editStages")}
                  </Button>
                  <Button
                    size="sm"
                    aria-label={t("pipelines.page.renameName", { name: pipeline.name })}
                    onClick={() => setRenamingId(pipeline.id)}
                  >
                    {t("pipelines.rename.submit")}
                  </Button>
                  {!pipeline.isDefault && (
                    <>
                      <Button
                        size="sm"
                        aria-label={t("pipelines.page.makeDefaultName", { name: pipeline.name })}
                        disabled={isBusy}
                        onClick={() => makeDefault(pipeline)}
                      >
                        {t("pipelines.page.makeDefault")}
                      </Button>
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={t("pipelines.page.deleteName", { name: pipeline.name })}
                        onClick={() => {
                          setRefusal(null);
                          setDeleting(pipeline);
                        }}
                      >
                        {t("common.delete")}
                      </Button>
                    </>
                  )}
                </div>
              </div>
              {refusal?.pipelineId === pipeline.id && (
                <p role="alert" className="rounded-md bg-red-50 p-2 text-red-800 dark:bg-red-950 dark:text-red-200">
                  {refusal.message}
                </p>
              )}
              {isEditing && (
                <div id={editorId} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                  <StageEditor pipeline={pipeline} onClose={() => setEditingId(null)} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    );

  return (
    <>
      <PageHeader title={t("pipelines.page.title")} actions={all.length > 0 ? createButton : undefined} />
      <p className="max-w-3xl px-4 pt-3 text-sm text-slate-600 dark:text-slate-300">
        <Trans
          i18nKey="pipelines.page.help"
          components={{
            board: (
              <Link to="/deals" search={{ mode: "kanban" }} className="text-accent-700 underline dark:text-sky-300" />
            ),
          }}
        />
      </p>
      {body}
      <DeletedPipelines />
      <CreatePipelineDialog
        open={isCreating}
        onOpenChange={setCreating}
        onCreated={(created) => {
          setCreating(false);
          setEditingId(created.id);
        }}
      />
      <RenamePipelineDialog
        pipeline={all.find((p) => p.id === renamingId) ?? null}
        onOpenChange={(open) => !open && setRenamingId(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={t("pipelines.page.deleteTitle", { name: deleting?.name ?? "" })}
        description={t("pipelines.page.deleteDescription")}
        confirmLabel={t("pipelines.page.deleteConfirm")}
        isPending={remove.isPending}
        onConfirm={() => {
          if (!deleting) return;
          const pipeline = deleting;
          remove.mutate(pipeline, {
            onSuccess: () => {
              setDeleting(null);
              if (editingId === pipeline.id) setEditingId(null);
              toastWithUndoOfDelete(t("pipelines.page.deleted", { name: pipeline.name }), pipeline.id, () =>
                restore.mutateAsync(pipeline.id),
              );
            },
            onError: (error) => {
              setDeleting(null);
              setRefusal({ pipelineId: pipeline.id, message: pipelineErrorMessage(error) });
            },
          });
        }}
      />
    </>
  );
}

/** Pipelines deleted earlier, each with Restore: the toast's Undo is not the only way back. */
function DeletedPipelines() {
  const { t } = useTranslation();
  const deleted = useDeletedPipelines();
  const restore = useRestorePipeline();
  const rows = deleted.data?.data ?? [];
  if (rows.length === 0) return null;
  return (
    <section
      aria-labelledby="deleted-pipelines"
      className="mt-4 border-t border-slate-200 px-4 py-3 dark:border-slate-800"
    >
      <h2 id="deleted-pipelines" className="text-base font-semibold">
        {t("pipelines.page.deletedTitle")}
      </h2>
      <ul className="mt-2 flex flex-col divide-y divide-slate-200 text-sm dark:divide-slate-800">
        {rows.map((pipeline) => (
          <li key={pipeline.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span className="break-words">{pipeline.name}</span>
            <Button
              size="sm"
              aria-label={t("pipelines.page.restoreName", { name: pipeline.name })}
              disabled={restore.isPending && restore.variables === pipeline.id}
              onClick={() =>
                restore.mutate(pipeline.id, {
                  onSuccess: () => toast.success(t("pipelines.page.restored", { name: pipeline.name })),
                  onError: (error) => toast.error(pipelineErrorMessage(error)),
                })
              }
            >
              {t("common.restore")}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
