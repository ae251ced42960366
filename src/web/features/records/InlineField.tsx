import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { inputClass } from "../../components/Field.tsx";
import { inWords } from "../../lib/messages.ts";

type InlineFieldProps = {
  label: string;
  /** What is shown when not editing. */
  display: ReactNode;
  /** The value the editor starts from. */
  value: string;
  /** Validates and saves; rejects with an ApiProblem (or Error) whose message is shown. */
  onSave: (value: string) => Promise<unknown>;
  canEdit: boolean;
  type?: "text" | "email" | "tel" | "number" | "date" | "datetime-local" | "select";
  options?: readonly { value: string; label: string }[];
  /** An editor of its own instead of an input (a record picker); it gets the draft and sets it. */
  renderEditor?: (editor: { value: string; onChange: (value: string) => void }) => ReactNode;
};

/** A field of a record page that turns into an input on "Edit"; Enter saves, Escape cancels. */
export function InlineField({
  label,
  display,
  value,
  onSave,
  canEdit,
  type = "text",
  options = [],
  renderEditor,
}: InlineFieldProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  // The save of the record as it was when editing began: a live refetch meanwhile must not make the
  // draft overwrite a change the user never saw (it answers 412 instead).
  const [pinnedSave, setPinnedSave] = useState<{ run: typeof onSave } | null>(null);
  const isEditing = draft !== null;

  const save = async () => {
    if (draft === null) return;
    if (draft === value) return setDraft(null);
    setSaving(true);
    try {
      await (pinnedSave?.run ?? onSave)(draft);
      setDraft(null);
      setError(null);
      setPinnedSave(null);
    } catch (caught) {
      // Told that someone else changed the record, the user saves again onto the version shown now.
      if (caught instanceof Error && caught.cause instanceof ApiProblem && caught.cause.isStale) setPinnedSave(null);
      setError(
        caught instanceof ApiProblem
          ? (caught.fieldErrors[0]?.message ?? caught.message)
          : String((caught as Error).message),
      );
    } finally {
      setSaving(false);
    }
  };
  const cancel = () => {
    setDraft(null);
    setError(null);
    setPinnedSave(null);
  };

  return (
    <div className="flex flex-col gap-0.5 border-b border-slate-100 py-2 dark:border-slate-800">
      <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">{label}</dt>
      <dd className="flex min-h-8 items-center gap-2">
        {isEditing ? (
          <form
            className="flex w-full flex-wrap items-center gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.stopPropagation();
                cancel();
              }
            }}
          >
            {renderEditor ? (
              renderEditor({ value: draft, onChange: setDraft })
            ) : type === "select" ? (
              <select
                aria-label={label}
                className={`${inputClass} flex-1`}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                autoFocus
              >
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                aria-label={label}
                aria-invalid={Boolean(error)}
                type={type}
                className={`${inputClass} flex-1`}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                autoFocus
              />
            )}
            <Button size="sm" type="submit" variant="primary" disabled={isSaving}>
              {t("common.save")}
            </Button>
            <Button size="sm" onClick={cancel}>
              {t("common.cancel")}
            </Button>
            {error && (
              <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
                {inWords(label, error)}
              </p>
            )}
          </form>
        ) : (
          <>
            <span className="min-w-0 flex-1 break-words">{display}</span>
            {canEdit && (
              <Button
                size="sm"
                variant="ghost"
                aria-label={t("records.field.edit", { label })}
                onClick={() => {
                  setDraft(value);
                  setPinnedSave({ run: onSave });
                }}
              >
                {t("common.edit")}
              </Button>
            )}
          </>
        )}
      </dd>
    </div>
  );
}
