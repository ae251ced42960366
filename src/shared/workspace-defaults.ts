/**
 * What a workspace's settings can be and what they are until an admin changes them: plain values,
 * apart from the Zod schemas (schemas/workspace-settings.ts), so the web app's shell can use them
 * without loading the validation library.
 */

/**
 * How dates are written: `auto` follows each person's language (as the web app did before a
 * workspace chose); the others are fixed patterns.
 */
export const dateFormats = ["auto", "YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"] as const;
export type DateFormat = (typeof dateFormats)[number];

/** How numbers are grouped and where the decimals start: `auto` follows each person's language. */
export const numberFormats = ["auto", "1,234.56", "1.234,56", "1 234,56", "1'234.56"] as const;
export type NumberFormat = (typeof numberFormats)[number];

/** One kind of activity a workspace logs: `key` is stored on activities, `label` is what people read. */
export type ActivityTypeSetting = { key: string; label: string };

/** The activity types of a new workspace (and of every workspace before it chose its own). */
export const defaultActivityTypes: readonly ActivityTypeSetting[] = [
  { key: "call", label: "Call" },
  { key: "email", label: "E-mail" },
  { key: "meeting", label: "Meeting" },
  { key: "note", label: "Note" },
];

/** The settings of a workspace that has not changed them (besides its name and currency). */
export const defaultWorkspaceSettings = {
  timeZone: "UTC",
  dateFormat: "auto" as DateFormat,
  numberFormat: "auto" as NumberFormat,
  fiscalYearStartMonth: 1,
  leadLostReasons: [] as string[],
  dealLostReasons: [] as string[],
  requireDealLostReason: false,
  customerOnWonDeal: true,
  agentsSeeOwnRecordsOnly: false,
  activityTypes: defaultActivityTypes,
  defaultPhoneCountry: null as string | null,
};

/** Marks a lost reason written by hand, outside the workspace's list. */
export const otherReasonPrefix = "Other: ";

/**
 * Why a lost reason may not be given, by a workspace's list, or null when it may: any reason while
 * the list is empty, else one of the list (as written) or `Other: …` with words after it.
 */
export function lostReasonProblem(reason: string, reasons: readonly string[]): string | null {
  if (reasons.length === 0 || reasons.includes(reason)) return null;
  if (reason.startsWith(otherReasonPrefix) && reason.slice(otherReasonPrefix.length).trim()) return null;
  return `Choose one of the workspace's lost reasons (${reasons.join(", ")}) or write “${otherReasonPrefix}…”`;
}
