import type { Activity } from "../../../shared/schemas/activity.ts";
import { activityTypes } from "../../../shared/schemas/activity.ts";

export type ActivityType = Activity["type"];

/** The words the app shows for each activity type. */
export const activityTypeLabels: Record<ActivityType, string> = {
  call: "Call",
  email: "E-mail",
  meeting: "Meeting",
  note: "Note",
};

export const activityTypeOptions = activityTypes.map((type) => ({ value: type, label: activityTypeLabels[type] }));

/** Which optional fields make sense for each type: only calls and e-mails have a direction (the server refuses others). */
export const activityTypeFields: Record<ActivityType, { direction: boolean; duration: boolean; outcome: boolean }> = {
  call: { direction: true, duration: true, outcome: true },
  email: { direction: true, duration: false, outcome: false },
  meeting: { direction: false, duration: true, outcome: true },
  note: { direction: false, duration: false, outcome: false },
};

/** "45 min", "1 h 30 min". */
export function formatDuration(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
