import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { ApiProblem } from "../../api/client.ts";
import type { Collection, ListFilter } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import type { ColumnWidths } from "../../components/data-table/column-widths.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { useSession } from "../auth/session.ts";
import {
  useCreateView,
  useDeleteView,
  useSavedViews,
  useUpdateView,
  type SavedView,
  type SavedViewInput,
} from "./views.api.ts";

export type ListState = {
  filters: ListFilter[];
  sort: string;
  q: string;
  hidden: string[];
  columnWidths: ColumnWidths;
};

type SavedViewsProps = {
  collection: Collection;
  activeId: string | undefined;
  state: ListState;
  /** All column keys, to store the shown ones. */
  columnKeys: readonly string[];
  onOpen: (view: SavedView | null) => void;
  /** Makes an opened view's widths the list's own. */
  onColumnWidthsChange: (widths: ColumnWidths) => void;
};

/** The widths of `keys` only: a view keeps the widths of the columns it shows. */
function widthsOf(widths: ColumnWidths, keys: readonly string[]): ColumnWidths {
  return Object.fromEntries(Object.entries(widths).filter(([key]) => keys.includes(key)));
}

/** Choose, save, update and delete saved views of a list. */
export function SavedViews({ collection, activeId, state, columnKeys, onOpen, onColumnWidthsChange }: SavedViewsProps) {
  const { t } = useTranslation();
  const session = useSession();
  const views = useSavedViews(collection).data ?? [];
  const active = views.find((v) => v.id === activeId);
  const [isSaving, setSaving] = useState(false);
  const [isDeleting, setDeleting] = useState(false);
  const update = useUpdateView(collection);
  const remove = useDeleteView(collection);
  const canShare = session.role === "admin" || session.role === "manager";
  const canChange = (view: SavedView) => (view.visibility === "private" ? view.ownerId === session.user.id : canShare);
  const columns = columnKeys.filter((k) => !state.hidden.includes(k));
  const current = {
    filters: state.filters,
    sort: state.sort || null,
    q: state.q || null,
    columns,
    columnWidths: widthsOf(state.columnWidths, columns),
  };
  // A view's widths replace the list's, as its columns do. A view without widths (saved before
  // views kept them, or with every column at its default) leaves the user's widths alone rather
  // than undoing their resizing.
  const open = (view: SavedView | null) => {
    const widths = view ? widthsOf(view.columnWidths, columnKeys) : {};
    if (Object.keys(widths).length > 0) onColumnWidthsChange(widths);
    onOpen(view);
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="flex items-center gap-1 text-sm">
        <span className="text-slate-600 dark:text-slate-300">{t("lists.views.view")}</span>
        <select
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-600 dark:bg-slate-900"
          value={activeId ?? ""}
          onChange={(e) => open(views.find((v) => v.id === e.target.value) ?? null)}
        >
          <option value="">{t("lists.views.allRecords")}</option>
          {views.map((view) => (
            <option key={view.id} value={view.id}>
              {view.visibility === "shared" ? t("lists.views.sharedName", { name: view.name }) : view.name}
            </option>
          ))}
        </select>
      </label>
      {active && canChange(active) && (
        <>
          <Button
            size="sm"
            onClick={() =>
              update.mutate(
                { view: active, changes: current },
                { onSuccess: () => toast.success(t("lists.views.updated", { name: active.name })) },
              )
            }
          >
            {t("lists.views.update")}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setDeleting(true)}>
            {t("lists.views.delete")}
          </Button>
        </>
      )}
      <Button size="sm" onClick={() => setSaving(true)}>
        {t("lists.views.saveAs")}
      </Button>
      <SaveViewDialog
        open={isSaving}
        onOpenChange={setSaving}
        collection={collection}
        canShare={canShare}
        current={current}
        onSaved={(view) => onOpen(view)}
      />
      {active && (
        <ConfirmDialog
          open={isDeleting}
          onOpenChange={setDeleting}
          title={t("lists.views.deleteTitle", { name: active.name })}
          description={active.visibility === "shared" ? t("lists.views.deleteShared") : t("lists.views.deletePrivate")}
          confirmLabel={t("lists.views.delete")}
          isPending={remove.isPending}
          onConfirm={() =>
            remove.mutate(active, {
              onSuccess: () => {
                setDeleting(false);
                onOpen(null);
              },
            })
          }
        />
      )}
    </div>
  );
}

type SaveViewDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collection: Collection;
  canShare: boolean;
  current: Pick<SavedViewInput, "filters" | "sort" | "q" | "columns" | "columnWidths">;
  onSaved: (view: SavedView) => void;
};

function SaveViewDialog({ open, onOpenChange, collection, canShare, current, onSaved }: SaveViewDialogProps) {
  const { t } = useTranslation();
  const create = useCreateView(collection);
  const [name, setName] = useState("");
  const [isShared, setShared] = useState(false);
  const problem = create.error instanceof ApiProblem ? create.error : null;
  const nameError = problem?.fieldErrors.find((e) => e.path === "name")?.message;
  // Anything else the server refused (a filter, the sort, a column) is shown on the form itself.
  const otherErrors = problem?.fieldErrors.filter((e) => e.path !== "name").map((e) => `${e.path}: ${e.message}`) ?? [];
  const formError =
    otherErrors.length > 0 ? otherErrors.join("; ") : problem && !nameError ? problem.message : undefined;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("lists.views.saveAs")}
      description={t("lists.views.saveDescription")}
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { name: name.trim(), resource: collection, visibility: isShared ? "shared" : "private", ...current },
            {
              onSuccess: (view) => {
                toast.success(t("lists.views.created", { name: view.name }));
                onOpenChange(false);
                setName("");
                onSaved(view);
              },
            },
          );
        }}
      >
        <TextField
          label={t("common.name")}
          value={name}
          required
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          error={nameError}
        />
        <FormError message={formError} />
        {canShare && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={isShared} onChange={(e) => setShared(e.target.checked)} />
            {t("lists.views.share")}
          </label>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={create.isPending || !name.trim()}>
            {t("lists.views.save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
