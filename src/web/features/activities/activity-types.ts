import { activityTypes as builtInTypes } from "../../../shared/vocabulary.ts";
import { defaultActivityTypes, type ActivityTypeSetting } from "../../../shared/workspace-defaults.ts";
import { t } from "../../i18n/i18n.ts";
import { labelOf } from "../../lib/format.ts";
import { useActivityTypes } from "../settings/workspace.api.ts";

/** A key of the workspace's activity types (Settings → Workspace), or a built-in one. */
export type ActivityType = string;
/** The four types every workspace starts with: they have their own icons and fields. */
export type BuiltInActivityType = (typeof builtInTypes)[number];

export function isBuiltInType(type: string): type is BuiltInActivityType {
  return (builtInTypes as readonly string[]).includes(type);
}

/**
 * A workspace type's name as shown: the label the workspace gave it, except that a built-in type
 * still under its default (English) label is named in the interface's language.
 */
export function labelOfTypeSetting(setting: ActivityTypeSetting): string {
  const isDefaultLabel = defaultActivityTypes.some((type) => type.key === setting.key && type.label === setting.label);
  return isDefaultLabel ? labelOf(setting.key) : setting.label;
}

/**
 * What a type is called: the workspace's label, else a built-in's (values.json), else its key made
 * readable (an activity keeps a type the workspace has removed since).
 */
export function typeLabel(type: string, types: readonly ActivityTypeSetting[]): string {
  const setting = types.find((candidate) => candidate.key === type);
  return setting ? labelOfTypeSetting(setting) : labelOf(type);
}

/** `typeLabel` with the workspace's activity types. */
export function useTypeLabel(): (type: string) => string {
  const types = useActivityTypes();
  return (type) => typeLabel(type, types);
}

type TypeFields = { direction: boolean; duration: boolean; outcome: boolean };

/** Which optional fields make sense for each built-in type: only calls and e-mails have a direction (the server refuses others). */
const builtInFields: Record<BuiltInActivityType, TypeFields> = {
  call: { direction: true, duration: true, outcome: true },
  email: { direction: true, duration: false, outcome: false },
  meeting: { direction: false, duration: true, outcome: true },
  note: { direction: false, duration: false, outcome: false },
};

/** The optional fields of a type: a workspace's own types may have them all. */
export function fieldsOfType(type: string): TypeFields {
  return isBuiltInType(type) ? builtInFields[type] : { direction: true, duration: true, outcome: true };
}

/** "45 min", "1 h 30 min". */
export function formatDuration(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (minutes < 60) return t("activities.duration.minutes", { minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest
    ? t("activities.duration.hoursMinutes", { hours, minutes: rest })
    : t("activities.duration.hours", { hours });
}
