import { useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { taskPriorities, type Task } from "../../../shared/schemas/task.ts";
import { useRecord } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { LinkedRecords } from "../activities/LinkedRecords.tsx";
import { RecordHistory } from "../audit/RecordHistory.tsx";
import { DeletedNotice, DeleteRecordButton } from "../records/DeleteRecordButton.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { ReadOnlyField } from "../records/ReadOnlyField.tsx";
import { FieldList, RecordPage, RecordPageError, RecordPageSkeleton } from "../records/RecordPage.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { TaskCompleteCheckbox } from "./TaskCompleteCheckbox.tsx";
import { TaskDependencies } from "./TaskDependencies.tsx";
import { TaskDialog } from "./TaskDialog.tsx";
import { TaskDue } from "./TaskDue.tsx";
import { taskIncludes, type TaskRow } from "./tasks.api.ts";
import { useCanChangeTask } from "./useCanChangeTask.ts";

/**
 * A task's own page (/tasks/:id): its details, editable in place by whoever may change it (an
 * agent: tasks assigned to or created by them), done or not with one click, and its history.
 * Dates and dependencies are changed in the full editor (Edit), which checks them together.
 */
export function TaskPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/tasks/$id" });
  const task = useRecord<TaskRow>("tasks", id, taskIncludes);
  const saveRecord = useRecordSave<TaskRow>("tasks");
  const canChange = useCanChangeTask();
  const [isEditing, setEditing] = useState(false);

  if (task.isPending) return <RecordPageSkeleton />;
  if (task.isError)
    return <RecordPageError collection="tasks" error={task.error} onRetry={() => void task.refetch()} />;
  const record = task.data;
  const canEdit = !record.deletedAt && canChange("update", record);
  const save = (field: keyof Task) => (value: string) => saveRecord(record, { [field]: value === "" ? null : value });

  return (
    <>
      <RecordPage
        title={record.title}
        subtitle={[labelOf(record.status), record.assignee?.name].filter(Boolean).join(" · ")}
        notice={record.deletedAt ? <DeletedNotice collection="tasks" id={id} /> : undefined}
        actions={
          !record.deletedAt && (
            <>
              {canEdit && <Button onClick={() => setEditing(true)}>{t("common.edit")}</Button>}
              {canChange("delete", record) && (
                <DeleteRecordButton collection="tasks" id={id} name={record.title} listPath="/tasks" />
              )}
            </>
          )
        }
        tabs={[
          {
            key: "details",
            label: t("tasks.page.details"),
            content: (
              <FieldList>
                <ReadOnlyField label={t("tasks.page.done")}>
                  {record.deletedAt ? (
                    record.status === "completed" ? (
                      t("common.yes")
                    ) : (
                      t("common.no")
                    )
                  ) : (
                    <TaskCompleteCheckbox task={record} />
                  )}
                </ReadOnlyField>
                <InlineField
                  label={t("tasks.page.title")}
                  value={record.title}
                  display={record.title}
                  canEdit={canEdit}
                  onSave={save("title")}
                />
                <InlineField
                  label={t("tasks.page.priority")}
                  type="select"
                  options={taskPriorities.map((p) => ({ value: p, label: labelOf(p) }))}
                  value={record.priority}
                  display={labelOf(record.priority)}
                  canEdit={canEdit}
                  onSave={save("priority")}
                />
                <ReadOnlyField label={t("tasks.page.due")}>
                  <TaskDue task={record} />
                </ReadOnlyField>
                <ReadOnlyField label={t("tasks.page.reminder")}>{formatDateTime(record.remindAt)}</ReadOnlyField>
                <ReadOnlyField label={t("tasks.page.assignee")}>
                  {record.assignee?.name ?? t("common.unassigned")}
                </ReadOnlyField>
                <ReadOnlyField label={t("tasks.page.relatedTo")}>
                  <LinkedRecords row={record} />
                </ReadOnlyField>
                <ReadOnlyField label={t("tasks.page.dependsOn")}>
                  <TaskDependencies task={record} />
                </ReadOnlyField>
                <InlineField
                  label={t("tasks.page.description")}
                  value={record.description ?? ""}
                  display={record.description ?? "—"}
                  canEdit={canEdit}
                  onSave={save("description")}
                />
                <ReadOnlyField label={t("tasks.page.created")}>{formatDateTime(record.createdAt)}</ReadOnlyField>
                {record.completedAt && (
                  <ReadOnlyField label={t("tasks.page.completed")}>{formatDateTime(record.completedAt)}</ReadOnlyField>
                )}
              </FieldList>
            ),
          },
          {
            key: "history",
            label: t("tasks.page.history"),
            requires: { action: "read", resource: "history" },
            content: <RecordHistory collection="tasks" id={id} record={record} />,
          },
        ]}
      />
      <TaskDialog
        open={isEditing}
        onOpenChange={(open) => {
          setEditing(open);
          if (!open) void task.refetch();
        }}
        task={record}
      />
    </>
  );
}
