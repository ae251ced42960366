import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { resourceOf, useDeleteRecord, useRestoreRecord, type Collection } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { toastWithUndoOfDelete } from "../../lib/undo.ts";
import { useCan } from "../auth/session.ts";

type DeleteRecordButtonProps = {
  collection: Collection;
  id: string;
  name: string;
  /** Where to go after deleting (the list). */
  listPath: string;
};

/** Delete with confirmation, then an Undo toast that restores. Hidden for roles that may not delete. */
export function DeleteRecordButton({ collection, id, name, listPath }: DeleteRecordButtonProps) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [isOpen, setOpen] = useState(false);
  const remove = useDeleteRecord(collection);
  const restore = useRestoreRecord(collection);
  if (!can("delete", resourceOf[collection])) return null;
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        {t("common.delete")}
      </Button>
      <ConfirmDialog
        open={isOpen}
        onOpenChange={setOpen}
        title={t("records.delete.title", { name })}
        description={t("records.delete.description")}
        confirmLabel={t("common.delete")}
        isPending={remove.isPending}
        onConfirm={() =>
          remove.mutate(id, {
            onSuccess: () => {
              setOpen(false);
              toastWithUndoOfDelete(t("records.delete.done", { name }), id, () => restore.mutateAsync(id));
              void navigate({ to: listPath });
            },
          })
        }
      />
    </>
  );
}

/** The banner of a deleted record, with Restore for roles that may. */
export function DeletedNotice({ collection, id }: { collection: Collection; id: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const restore = useRestoreRecord(collection);
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 p-3 text-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <span>{t("records.deleted")}</span>
      {can("restore", resourceOf[collection]) && (
        <Button size="sm" onClick={() => restore.mutate(id)} disabled={restore.isPending}>
          {t("common.restore")}
        </Button>
      )}
    </div>
  );
}
