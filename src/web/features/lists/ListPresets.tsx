import { useTranslation } from "react-i18next";
import type { ListFilter } from "../../api/records.ts";
import { isPresetActive, presetsOf, withPreset, type PresetOptions } from "./list-presets.ts";

const buttonClass =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium whitespace-nowrap hover:bg-slate-50 aria-pressed:border-accent-600 aria-pressed:bg-accent-600 aria-pressed:text-white dark:border-slate-600 dark:hover:bg-slate-800 dark:aria-pressed:border-sky-400 dark:aria-pressed:bg-sky-400 dark:aria-pressed:text-slate-950";

type ListPresetsProps = PresetOptions & {
  filters: readonly ListFilter[];
  onChange: (filters: ListFilter[]) => void;
};

/** One-click presets (toggle buttons, pressed while their filters apply), combinable with any other filter. */
export function ListPresets({ filters, onChange, ...options }: ListPresetsProps) {
  const { t } = useTranslation();
  const now = new Date();
  return (
    <div role="group" aria-label={t("lists.presets.label")} className="flex flex-wrap items-center gap-1.5">
      {presetsOf(options).map((preset) => {
        const isActive = isPresetActive(filters, preset.name, options, now);
        return (
          <button
            key={preset.name}
            type="button"
            className={buttonClass}
            aria-pressed={isActive}
            onClick={() => onChange(withPreset(filters, preset.name, !isActive, options, now))}
          >
            {preset.label}
          </button>
        );
      })}
    </div>
  );
}
