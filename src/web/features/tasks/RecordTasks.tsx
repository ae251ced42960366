import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useRecordPages, type ListParams } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState, ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import type { RecordLink } from "../activities/Timeline.tsx";
import { useCan } from "../auth/session.ts";
import { unfinishedStatuses } from "./task-filters.ts";
import { taskIncludes, type TaskRow } from "./tasks.api.ts";
import { TaskDialog } from "./TaskDialog.tsx";
import { TaskItem } from "./TaskItem.tsx";

/**
 * A record's tasks: the unfinished ones by due time (or the completed ones), with "Add task". A
 * deleted record gets no new tasks until it is restored.
 */
export function RecordTasks({ link, isRecordDeleted = false }: { link: RecordLink; isRecordDeleted?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const headingId = useId();
  const [isShowingDone, setShowingDone] = useState(false);
  const [editing, setEditing] = useState<TaskRow | "new" | null>(null);
  const params = useMemo<ListParams>(
    () => ({
      filters: [
        { field: link.field, op: "eq", value: link.id },
        isShowingDone
          ? { field: "status", op: "eq", value: "completed" }
          : { field: "status", op: "in", value: unfinishedStatuses },
      ],
      sort: isShowingDone ? "-updatedAt" : "dueAt",
      include: taskIncludes,
      limit: 25,
    }),
    [link.field, link.id, isShowingDone],
  );
  const pages = useRecordPages<TaskRow>("tasks", params);
  const tasks = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const canCreate = can("create", "task") && !isRecordDeleted;

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {t("tasks.record.title")}
        </h2>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" aria-pressed={isShowingDone} onClick={() => setShowingDone((shown) => !shown)}>
            {isShowingDone ? t("tasks.record.showOpen") : t("tasks.record.showCompleted")}
          </Button>
          {canCreate ? (
            <Button size="sm" variant="primary" onClick={() => setEditing("new")}>
              {t("tasks.record.add")}
            </Button>
          ) : (
            isRecordDeleted &&
            can("create", "task") && (
              <p className="self-center text-sm text-slate-600 dark:text-slate-400">{t("tasks.record.restoreToAdd")}</p>
            )
          )}
        </div>
      </div>
      {pages.isPending ? (
        <SkeletonRows rows={3} />
      ) : pages.isError ? (
        <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />
      ) : tasks.length === 0 ? (
        <EmptyState title={isShowingDone ? t("tasks.record.noCompleted") : t("tasks.record.noOpen")} />
      ) : (
        <>
          <ul aria-label={isShowingDone ? t("tasks.record.completedList") : t("tasks.record.openList")}>
            {tasks.map((task) => (
              <TaskItem key={task.id} task={task} onOpen={setEditing} />
            ))}
          </ul>
          {pages.hasNextPage && (
            <Button
              className="self-center"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? t("common.loading") : t("common.loadMore")}
            </Button>
          )}
        </>
      )}
      <TaskDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        task={editing === "new" ? undefined : (editing ?? undefined)}
        link={link}
      />
    </section>
  );
}
