import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { toastWithUndo } from "../../lib/undo.ts";
import { useCan } from "../auth/session.ts";
import { CreatePipelineDialog } from "./CreatePipelineDialog.tsx";
import {
  pipelineErrorMessage,
  useDeletePipeline,
  usePipelines,
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
        <PageHeader title="Pipelines" />
        <EmptyState title="Only admins manage pipelines and their stages." />
      </>
    );

  const all = pipelines.data?.data ?? [];
  const makeDefault = (pipeline: PipelineRow) => {
    setRefusal(null);
    update.mutate(
      { id: pipeline.id, version: pipeline.version, changes: { isDefault: true } },
      {
        onSuccess: () => toast.success(`“${pipeline.name}” is now the default pipeline.`),
        onError: (error) => setRefusal({ pipelineId: pipeline.id, message: pipelineErrorMessage(error) }),
      },
    );
  };

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      New pipeline
    </Button>
  );

  let body;
  if (pipelines.isPending) body = <SkeletonRows rows={3} />;
  else if (pipelines.isError) body = <ErrorMessage error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  else if (all.length === 0)
    body = (
      <EmptyState title="No pipelines yet">
        <p className="max-w-md text-sm">A pipeline is the list of stages deals move through. Start from a template.</p>
        {createButton}
      </EmptyState>
    );
  else
    body = (
      <ul aria-label="Pipelines" className="flex flex-col divide-y divide-slate-200 px-4 dark:divide-slate-800">
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
                    {pipeline.isDefault && <span className={badgeClass}>Default</span>}
                  </h2>
                  <p className="text-slate-600 dark:text-slate-300">
                    {pipeline.stages
                      .filter((s) => !s.archivedAt)
                      .map((s) => s.name)
                      .join(" → ")}
                  </p>
                  <p className="text-slate-600 dark:text-slate-400">
                    {activeCount} {activeCount === 1 ? "stage" : "stages"}
                    {activeCount < pipeline.stages.length && `, ${pipeline.stages.length - activeCount} archived`}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <Button
                    size="sm"
                    aria-expanded={isEditing}
                    aria-controls={isEditing ? editorId : undefined}
                    aria-label={`${isEditing ? "Close stages" : "Edit stages"} of ${pipeline.name}`}
                    onClick={() => setEditingId(isEditing ? null : pipeline.id)}
                  >
                    {isEditing ? "Close stages" : "Edit stages"}
                  </Button>
                  <Button size="sm" aria-label={`Rename ${pipeline.name}`} onClick={() => setRenamingId(pipeline.id)}>
                    Rename
                  </Button>
                  {!pipeline.isDefault && (
                    <>
                      <Button
                        size="sm"
                        aria-label={`Make default: ${pipeline.name}`}
                        disabled={isBusy}
                        onClick={() => makeDefault(pipeline)}
                      >
                        Make default
                      </Button>
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={`Delete ${pipeline.name}`}
                        onClick={() => {
                          setRefusal(null);
                          setDeleting(pipeline);
                        }}
                      >
                        Delete
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
      <PageHeader title="Pipelines" actions={all.length > 0 ? createButton : undefined} />
      <p className="max-w-3xl px-4 pt-3 text-sm text-slate-600 dark:text-slate-300">
        Deals move through the stages of their pipeline, shown as columns on the{" "}
        <Link to="/deals" search={{ mode: "kanban" }} className="text-accent-700 underline dark:text-sky-300">
          deals board
        </Link>
        . New deals go into the default pipeline unless another is chosen. A pipeline with open deals cannot be deleted.
      </p>
      {body}
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
        title={`Delete “${deleting?.name ?? ""}”?`}
        description="Its closed deals keep it. You can undo right after."
        confirmLabel="Delete pipeline"
        isPending={remove.isPending}
        onConfirm={() => {
          if (!deleting) return;
          const pipeline = deleting;
          remove.mutate(pipeline, {
            onSuccess: () => {
              setDeleting(null);
              if (editingId === pipeline.id) setEditingId(null);
              toastWithUndo(`Deleted the pipeline “${pipeline.name}”.`, () => restore.mutateAsync(pipeline.id));
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
