import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { inWords } from "../../lib/messages.ts";
import { Button } from "../Button.tsx";
import { isEscapeForList } from "../Combobox.tsx";
import { inputClass } from "../Field.tsx";
import type { CellEdit } from "./types.ts";

export type EditableCellProps<T> = {
  row: T;
  header: string;
  edit: CellEdit<T>;
  /** Names the row in the edit button's label ("Edit Phone of Ada Lovelace"). */
  rowLabel: string;
  /** Saves the change; rejects with an Error whose message is shown in the cell, in words naming the column. */
  onSave: (row: T, changes: Record<string, unknown>) => Promise<unknown>;
  /** What the cell shows when not editing. */
  children: ReactNode;
};

/**
 * A table cell edited in place: double-click it, or Enter on its edit button; Enter (or ✓) saves,
 * Escape (or ✕) cancels. The save is based on the row as it was when editing began, so a refetch
 * meanwhile answers a conflict instead of being overwritten; a failed save keeps the draft and
 * says why in the cell (the input is described by it), and the next save is based on the row as now shown.
 */
export function EditableCell<T>({ row, header, edit, rowLabel, onSave, children }: EditableCellProps<T>) {
  const { t } = useTranslation();
  const errorId = `${useId()}-error`;
  const [draft, setDraft] = useState<string | null>(null);
  const [pinned, setPinned] = useState<{ row: T } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const isEditing = draft !== null;

  // Focus returns to the cell's edit button when editing ends.
  useEffect(() => {
    if (wasEditing.current && !isEditing) editButton.current?.focus();
    wasEditing.current = isEditing;
  }, [isEditing]);

  const start = () => {
    setDraft(edit.value(row));
    setPinned({ row });
    setError(null);
  };
  const cancel = () => {
    setDraft(null);
    setPinned(null);
    setError(null);
  };
  const save = async () => {
    if (draft === null || isSaving) return;
    const base = pinned?.row ?? row;
    if (draft === edit.value(base) && !error) return cancel();
    setSaving(true);
    try {
      await onSave(base, edit.toChanges(draft, base));
      cancel();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setPinned(null);
    } finally {
      setSaving(false);
    }
  };

  if (!isEditing) {
    return (
      <div className="group/cell flex min-w-0 items-center gap-1" onDoubleClick={start}>
        <span className="min-w-0 flex-1 truncate">{children}</span>
        <button
          ref={editButton}
          type="button"
          aria-label={t("components.table.editCell", { header, row: rowLabel })}
          onClick={start}
          className="shrink-0 rounded px-1 text-slate-600 opacity-0 group-hover/cell:opacity-100 hover:bg-slate-100 focus:opacity-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          {/* A drawn pencil, not a character: copying or reading the cell's text gets its value only. */}
          <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="currentColor">
            <path d="M11.3 1.3a1 1 0 0 1 1.4 0l2 2a1 1 0 0 1 0 1.4l-8.5 8.5-3.4.7.7-3.4 7.8-7.9Z" />
          </svg>
        </button>
      </div>
    );
  }

  const label = t("components.table.cell", { header, row: rowLabel });
  const options = edit.options?.(row) ?? [];
  const field = {
    "aria-label": label,
    "aria-invalid": Boolean(error),
    "aria-describedby": error ? errorId : undefined,
    className: `${inputClass} min-w-40 flex-1`,
  };
  return (
    <form
      className="absolute top-1 left-0 z-20 flex w-max min-w-full flex-wrap items-center gap-1 rounded-md border border-slate-300 bg-white p-1 shadow-lg dark:border-slate-600 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !isEscapeForList(event.nativeEvent)) {
          event.stopPropagation();
          cancel();
        } else if (event.key === "Enter" && event.target instanceof HTMLSelectElement) {
          // A select does not submit its form on Enter by itself.
          event.preventDefault();
          void save();
        }
      }}
    >
      {edit.renderEditor ? (
        edit.renderEditor({ label, value: draft, onChange: setDraft })
      ) : edit.input === "select" ? (
        <select {...field} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...field}
          type={edit.input}
          step={edit.input === "number" ? "0.01" : undefined}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          autoFocus
        />
      )}
      <Button
        size="sm"
        type="submit"
        variant="primary"
        disabled={isSaving}
        aria-label={t("components.table.saveCell", { label })}
      >
        ✓
      </Button>
      <Button size="sm" onClick={cancel} aria-label={t("components.table.cancelCell", { label })}>
        ✕
      </Button>
      {error && (
        <p
          id={errorId}
          role="alert"
          className="w-72 max-w-full text-sm whitespace-normal text-red-700 dark:text-red-400"
        >
          {inWords(header, error)}
        </p>
      )}
    </form>
  );
}
