import { useTranslation } from "react-i18next";
import { labelOf } from "../../lib/format.ts";
import { eventGroups, eventResourceName, isImpliedSelector } from "./event-selectors.ts";

type EventPickerProps = {
  value: readonly string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
  errorId: string;
};

/**
 * The events an endpoint subscribes to, as checkboxes from the catalogue: every event, every
 * event of a resource, or single types. What a broader choice covers shows ticked and disabled.
 */
export function EventPicker({ value, onChange, error, errorId }: EventPickerProps) {
  const { t } = useTranslation();
  const toggle = (selector: string, isOn: boolean) =>
    onChange(isOn ? [...value, selector] : value.filter((chosen) => chosen !== selector));
  const checkbox = (selector: string, label: string, isStrong = false) => {
    const isImplied = isImpliedSelector(selector, value);
    return (
      <label className={`flex items-center gap-2 text-sm ${isStrong ? "font-medium" : ""}`}>
        <input
          type="checkbox"
          checked={isImplied || value.includes(selector)}
          disabled={isImplied}
          onChange={(event) => toggle(selector, event.target.checked)}
          className="h-4 w-4 accent-accent-600"
        />
        <span className={selector.includes(".") && !selector.endsWith("*") ? "font-mono text-xs" : ""}>{label}</span>
      </label>
    );
  };
  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={Boolean(error)} className="min-w-0">
      <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
        {t("webhooks.events.legend")}
      </legend>
      <div className="mb-2">{checkbox("*", t("webhooks.events.allIncludingLater"), true)}</div>
      <div className="grid max-h-72 grid-cols-1 gap-3 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2 dark:border-slate-700">
        {eventGroups.map((group) => (
          <fieldset key={group.resource} className="min-w-0">
            <legend className="sr-only">
              {t("webhooks.events.ofResource", { resource: labelOf(group.resource) })}
            </legend>
            {checkbox(
              `${group.resource}.*`,
              t("webhooks.events.allOfResource", { resource: eventResourceName(group.resource) }),
              true,
            )}
            <div className="mt-1 ml-6 flex flex-col gap-0.5">
              {group.types.map((type) => (
                <div key={type}>{checkbox(type, type)}</div>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      {error && (
        <p id={errorId} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}
