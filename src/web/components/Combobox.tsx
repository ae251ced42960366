import { useEffect, useId, useState, type KeyboardEvent as ReactKeyboardEvent, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { inputClass } from "./Field.tsx";

/**
 * True when Escape was pressed in an open combobox: dialogs and popovers around it then stay open
 * (they see the key first, on the document), and the combobox closes its list.
 */
export function isEscapeForList(event: KeyboardEvent): boolean {
  const target = event.target;
  return (
    target instanceof HTMLElement &&
    target.getAttribute("role") === "combobox" &&
    target.getAttribute("aria-expanded") === "true"
  );
}

export type ComboboxOption = { value: string; label: string; detail?: string | undefined };

export type ComboboxProps = {
  /** The input's id, for a visible `<label htmlFor>`; without one, `label` names the input. */
  id?: string | undefined;
  /** What is chosen: names the list of options (and the input when there is no visible label). */
  label: string;
  /** The chosen value ("" for none) and the text that stands for it. */
  value: string;
  selectedLabel: string;
  /** The options for the text typed so far (the caller searches). */
  options: readonly ComboboxOption[];
  /** The options are still being found: Enter waits rather than choose from a stale list. */
  isLoading?: boolean;
  /** More options match than are shown. */
  hasMore?: boolean;
  /** Called with the typed text ("" when the list opens without typing). */
  onSearch: (text: string) => void;
  onChange: (value: string, option: ComboboxOption) => void;
  onBlur?: () => void;
  inputRef?: Ref<HTMLInputElement>;
  describedBy?: string | undefined;
  invalid?: boolean;
  placeholder?: string | undefined;
  autoFocus?: boolean;
  disabled?: boolean;
  className?: string;
};

/**
 * An editable combobox with a list popup (WAI-ARIA APG): typing searches, Arrow keys move through
 * the options (focus stays in the input, `aria-activedescendant` marks the option), Enter or a
 * click chooses, Escape closes and restores the chosen option's text. The caller supplies the
 * options for the text typed and how they are found.
 */
export function Combobox({
  id,
  label,
  value,
  selectedLabel,
  options,
  isLoading = false,
  hasMore = false,
  onSearch,
  onChange,
  onBlur,
  inputRef,
  describedBy,
  invalid = false,
  placeholder,
  autoFocus,
  disabled,
  className = "",
}: ComboboxProps) {
  const { t } = useTranslation();
  const hasVisibleLabel = Boolean(id);
  const ownId = useId();
  const listId = `${ownId}-list`;
  const statusId = `${ownId}-status`;
  const [isOpen, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [activeValue, setActiveValue] = useState<string | null>(null);

  // The option marked active: the one chosen by the arrows, else the first, so Enter takes the best match.
  const activeIndex =
    isOpen && options.length > 0
      ? Math.max(
          0,
          options.findIndex((o) => o.value === activeValue),
        )
      : -1;
  const active = activeIndex >= 0 ? options[activeIndex] : undefined;
  const optionId = (index: number) => `${ownId}-option-${index}`;

  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(optionId(activeIndex))?.scrollIntoView?.({ block: "nearest" });
    // optionId only depends on ownId, which never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeIndex]);

  const open = (startAt?: "first" | "last") => {
    if (isOpen) return;
    setOpen(true);
    setText(selectedLabel);
    onSearch("");
    setActiveValue(startAt === "last" ? (options.at(-1)?.value ?? null) : value);
  };
  const close = () => {
    setOpen(false);
    setActiveValue(null);
  };
  const choose = (option: ComboboxOption) => {
    close();
    onChange(option.value, option);
  };
  const move = (step: 1 | -1) => {
    if (options.length === 0) return;
    const next = (activeIndex + step + options.length) % options.length;
    setActiveValue(options[next]?.value ?? null);
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (isOpen && !event.altKey) move(1);
        else open("first");
        break;
      case "ArrowUp":
        event.preventDefault();
        if (isOpen) move(-1);
        else open("last");
        break;
      case "Enter":
        // Inside a form, Enter on an open list chooses and never submits.
        if (!isOpen) break;
        event.preventDefault();
        if (active && !isLoading) choose(active);
        break;
      case "Escape":
        if (!isOpen) break;
        event.preventDefault();
        event.stopPropagation();
        close();
        break;
      case "Tab":
        close();
        break;
    }
  };

  const status = !isOpen
    ? ""
    : isLoading
      ? t("components.combobox.searching")
      : options.length === 0
        ? text.trim()
          ? t("components.combobox.noMatch", { text: text.trim() })
          : t("components.combobox.nothingToChoose")
        : hasMore
          ? t("components.combobox.firstMatches", { shown: options.length })
          : t("components.combobox.matches", { count: options.length });

  return (
    <div className={`relative ${className}`}>
      <input
        id={id}
        ref={inputRef}
        type="text"
        role="combobox"
        aria-label={hasVisibleLabel ? undefined : label}
        aria-autocomplete="list"
        aria-expanded={isOpen}
        aria-controls={listId}
        aria-activedescendant={active ? optionId(activeIndex) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        disabled={disabled}
        placeholder={placeholder}
        className={`${inputClass} pr-8`}
        value={isOpen ? text : selectedLabel}
        onChange={(event) => {
          const typed = event.target.value;
          if (!isOpen) setOpen(true);
          setText(typed);
          setActiveValue(null);
          onSearch(typed);
        }}
        onClick={() => open()}
        onKeyDown={onKeyDown}
        onFocus={(event) => event.target.select()}
        onBlur={() => {
          close();
          onBlur?.();
        }}
      />
      <span
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 -translate-y-1/2 text-xs text-slate-500 dark:text-slate-400"
      >
        ▾
      </span>
      {isOpen && (
        <div className="absolute top-full right-0 left-0 z-50 mt-1 overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900">
          <ul
            id={listId}
            role="listbox"
            aria-label={label}
            aria-busy={isLoading}
            className="max-h-60 overflow-y-auto py-1"
          >
            {options.map((option, index) => (
              <li
                key={option.value}
                id={optionId(index)}
                role="option"
                // Name and detail (an e-mail, a domain) heard apart: read from the text, they run together.
                aria-label={option.detail ? `${option.label}, ${option.detail}` : undefined}
                aria-selected={index === activeIndex}
                className={`cursor-pointer px-2.5 py-1.5 text-sm ${
                  index === activeIndex
                    ? "bg-accent-600 text-white"
                    : "text-slate-900 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                }`}
                // Keeps focus in the input, so the click is not a blur that closes the list first.
                onMouseDown={(event) => event.preventDefault()}
                onMouseMove={() => setActiveValue(option.value)}
                onClick={() => choose(option)}
              >
                <span className={option.value === value ? "font-semibold" : undefined}>{option.label}</span>
                {option.detail && (
                  <span
                    className={`ml-2 text-xs ${index === activeIndex ? "text-white" : "text-slate-600 dark:text-slate-400"}`}
                  >
                    {option.detail}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {(isLoading || options.length === 0 || hasMore) && (
            <p
              aria-hidden="true"
              className="border-t border-slate-100 px-2.5 py-1.5 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400"
            >
              {status}
            </p>
          )}
        </div>
      )}
      <span id={statusId} role="status" className="sr-only">
        {status}
      </span>
    </div>
  );
}
