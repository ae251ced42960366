import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { inputClass } from "../../components/Field.tsx";
import { t } from "../../i18n/i18n.ts";
import { moveItem, type ListItem } from "./workspace-draft.ts";

type ListEditorProps<T extends ListItem> = {
  /** The list's name: its heading and the list's accessible name ("Lead lost reasons"). */
  label: string;
  /** Its heading only for screen readers (the section around it says the same). */
  isHeadingHidden?: boolean;
  /** What its lines are called, in the interface's language. */
  words: ListWords;
  hint?: string;
  items: T[];
  onChange: (items: T[]) => void;
  newItem: (text: string) => T;
  errorOf: (index: number) => string | undefined;
  listError?: string | undefined;
  maxLength: number;
  minItems?: number;
  maxItems: number;
  /** A short note under a line (an activity type's stored key). */
  noteOf?: (item: T) => string | undefined;
};

/** The words of one list: a line ("Lead lost reason", names each input with its number), the new line's field, its button, and the message when that field is empty. */
export type ListWords = { item: string; newItem: string; addItem: string; writeFirst: string };

/** What a line is called in buttons and announcements, also before it has text. */
const nameOf = (item: ListItem, index: number) =>
  item.text.trim()
    ? t("settings.listEditor.quoted", { text: item.text.trim() })
    : t("settings.listEditor.line", { number: index + 1 });

/**
 * An ordered list of short texts to edit in place: rename a line by typing in it, Move up / Move
 * down (the focus stays on the moved line, and the move is announced), Remove, and Add at the end.
 */
export function ListEditor<T extends ListItem>(props: ListEditorProps<T>) {
  const { label, words, items, onChange, maxItems, minItems = 0 } = props;
  const { t } = useTranslation();
  const headingId = useId();
  const hintId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  const [newText, setNewText] = useState("");
  const [addError, setAddError] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState("");
  // The line just moved keeps the focus, on the same button unless it became disabled.
  const focusAfterMove = useRef<{ id: string; direction: "up" | "down" } | null>(null);

  useEffect(() => {
    const target = focusAfterMove.current;
    if (!target) return;
    focusAfterMove.current = null;
    const line = listRef.current?.querySelector(`[data-line="${target.id}"]`);
    const same = line?.querySelector<HTMLButtonElement>(`[data-move="${target.direction}"]`);
    const other = line?.querySelector<HTMLButtonElement>(`[data-move="${target.direction === "up" ? "down" : "up"}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }, [items]);

  const move = (index: number, direction: "up" | "down") => {
    const to = direction === "up" ? index - 1 : index + 1;
    const item = items[index];
    if (!item || to < 0 || to >= items.length) return;
    onChange(moveItem(items, index, to));
    setAnnouncement(
      t("settings.listEditor.moved", { name: nameOf(item, index), position: to + 1, total: items.length }),
    );
    focusAfterMove.current = { id: item.id, direction };
  };

  const remove = (index: number) => {
    const item = items[index];
    if (!item) return;
    onChange(items.filter((_, i) => i !== index));
    setAnnouncement(t("settings.listEditor.removed", { name: nameOf(item, index) }));
  };

  const add = () => {
    const text = newText.trim();
    if (!text) return setAddError(words.writeFirst);
    if (items.some((item) => item.text.trim().toLowerCase() === text.toLowerCase())) {
      return setAddError(t("settings.listEditor.duplicate", { text }));
    }
    onChange([...items, props.newItem(text)]);
    setNewText("");
    setAddError(undefined);
    setAnnouncement(t("settings.listEditor.added", { text }));
  };

  const onNewKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the line; it must not submit the whole settings form.
    if (event.key === "Enter") {
      event.preventDefault();
      add();
    }
  };

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <h3 id={headingId} className={props.isHeadingHidden ? "sr-only" : "font-medium"}>
        {label}
      </h3>
      {props.hint && (
        <p id={hintId} className="text-sm text-slate-600 dark:text-slate-400">
          {props.hint}
        </p>
      )}
      {items.length === 0 ? (
        <p className="text-sm text-slate-600 italic dark:text-slate-400">{t("settings.listEditor.noneYet")}</p>
      ) : (
        <ol
          ref={listRef}
          aria-labelledby={headingId}
          aria-describedby={props.hint ? hintId : undefined}
          className="flex flex-col gap-1.5"
        >
          {items.map((item, index) => {
            const error = props.errorOf(index);
            const errorId = `${headingId}-${item.id}-error`;
            const note = props.noteOf?.(item);
            const name = nameOf(item, index);
            return (
              <li key={item.id} data-line={item.id} className="flex flex-col gap-1">
                <div className="flex flex-wrap items-center gap-1.5">
                  <input
                    aria-label={t("settings.listEditor.numbered", { item: words.item, number: index + 1 })}
                    value={item.text}
                    maxLength={props.maxLength}
                    autoComplete="off"
                    aria-invalid={Boolean(error)}
                    aria-describedby={error ? errorId : undefined}
                    onChange={(event) =>
                      onChange(
                        items.map((line) => (line.id === item.id ? { ...line, text: event.target.value } : line)),
                      )
                    }
                    className={`${inputClass} min-w-0 flex-1 basis-48`}
                  />
                  <div className="flex gap-1">
                    <Button
                      size="sm"
                      variant="ghost"
                      data-move="up"
                      aria-label={t("settings.listEditor.moveUp", { name })}
                      disabled={index === 0}
                      onClick={() => move(index, "up")}
                    >
                      <span aria-hidden="true">↑</span>
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      data-move="down"
                      aria-label={t("settings.listEditor.moveDown", { name })}
                      disabled={index === items.length - 1}
                      onClick={() => move(index, "down")}
                    >
                      <span aria-hidden="true">↓</span>
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={t("settings.listEditor.remove", { name })}
                      disabled={items.length <= minItems}
                      onClick={() => remove(index)}
                    >
                      {t("common.remove")}
                    </Button>
                  </div>
                </div>
                {note && <p className="text-xs text-slate-600 dark:text-slate-400">{note}</p>}
                {error && (
                  <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
                    {error}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {props.listError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {props.listError}
        </p>
      )}
      {items.length < maxItems && (
        <div className="flex flex-wrap items-start gap-1.5">
          <input
            aria-label={words.newItem}
            placeholder={words.newItem}
            value={newText}
            maxLength={props.maxLength}
            autoComplete="off"
            aria-invalid={Boolean(addError)}
            aria-describedby={addError ? `${headingId}-add-error` : undefined}
            onChange={(event) => {
              setNewText(event.target.value);
              setAddError(undefined);
            }}
            onKeyDown={onNewKeyDown}
            className={`${inputClass} min-w-0 flex-1 basis-48`}
          />
          <Button onClick={add} aria-label={words.addItem}>
            {t("common.add")}
          </Button>
          {addError && (
            <p id={`${headingId}-add-error`} role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
              {addError}
            </p>
          )}
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </section>
  );
}
