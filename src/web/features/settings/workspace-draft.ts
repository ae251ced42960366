import type { UpdateWorkspaceSettings } from "../../../shared/schemas/workspace-settings.ts";
import type { DateFormat, NumberFormat } from "../../../shared/workspace-defaults.ts";
import type { Wire } from "../../api/wire.ts";
import type { WorkspaceRow } from "./workspace.api.ts";

/** One line of an editable list; `id` only tells lines apart while editing (keys, focus). */
export type ListItem = { id: string; text: string };
/** An activity type being edited: `key` is empty for a new one until it is saved. */
export type TypeItem = ListItem & { key: string };

/** The settings form as the admin edits it. */
export type WorkspaceDraft = {
  name: string;
  baseCurrency: string;
  timeZone: string;
  dateFormat: DateFormat;
  numberFormat: NumberFormat;
  fiscalYearStartMonth: string;
  defaultPhoneCountry: string;
  leadLostReasons: ListItem[];
  dealLostReasons: ListItem[];
  requireDealLostReason: boolean;
  customerOnWonDeal: boolean;
  agentsSeeOwnRecordsOnly: boolean;
  activityTypes: TypeItem[];
};

type Body = Wire<UpdateWorkspaceSettings>;

let lastItemId = 0;
/** A new line's id, unique on the page. */
export function newItemId(): string {
  lastItemId += 1;
  return `item-${lastItemId}`;
}

const itemsOf = (texts: readonly string[]): ListItem[] => texts.map((text) => ({ id: newItemId(), text }));

export function draftOf(settings: WorkspaceRow): WorkspaceDraft {
  return {
    name: settings.name,
    baseCurrency: settings.baseCurrency,
    timeZone: settings.timeZone,
    dateFormat: settings.dateFormat,
    numberFormat: settings.numberFormat,
    fiscalYearStartMonth: String(settings.fiscalYearStartMonth),
    defaultPhoneCountry: settings.defaultPhoneCountry ?? "",
    leadLostReasons: itemsOf(settings.leadLostReasons),
    dealLostReasons: itemsOf(settings.dealLostReasons),
    requireDealLostReason: settings.requireDealLostReason,
    customerOnWonDeal: settings.customerOnWonDeal,
    agentsSeeOwnRecordsOnly: settings.agentsSeeOwnRecordsOnly,
    activityTypes: settings.activityTypes.map((type) => ({ id: newItemId(), key: type.key, text: type.label })),
  };
}

/**
 * The key of a new activity type, from its label: lower-case letters, digits and `_`, starting
 * with a letter, not one of `taken` ("Campus visit" → campus_visit, then campus_visit_2).
 */
export function keyFor(label: string, taken: ReadonlySet<string>): string {
  const words = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const base = (/^[a-z]/.test(words) ? words : `type_${words}`).slice(0, 36).replace(/_+$/, "") || "type";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  return key;
}

/** The activity types to send: existing ones keep their key, new ones get one from their label. */
function typesOf(items: readonly TypeItem[]): { key: string; label: string }[] {
  const taken = new Set(items.map((item) => item.key).filter(Boolean));
  return items.map((item) => {
    if (item.key) return { key: item.key, label: item.text };
    const key = keyFor(item.text, taken);
    taken.add(key);
    return { key, label: item.text };
  });
}

/** The whole body the draft stands for. */
function bodyOf(draft: WorkspaceDraft): Required<Body> {
  return {
    name: draft.name,
    baseCurrency: draft.baseCurrency,
    timeZone: draft.timeZone,
    dateFormat: draft.dateFormat,
    numberFormat: draft.numberFormat,
    fiscalYearStartMonth: Number(draft.fiscalYearStartMonth),
    defaultPhoneCountry: draft.defaultPhoneCountry || null,
    leadLostReasons: draft.leadLostReasons.map((item) => item.text),
    dealLostReasons: draft.dealLostReasons.map((item) => item.text),
    requireDealLostReason: draft.requireDealLostReason,
    customerOnWonDeal: draft.customerOnWonDeal,
    agentsSeeOwnRecordsOnly: draft.agentsSeeOwnRecordsOnly,
    activityTypes: typesOf(draft.activityTypes),
  };
}

/** The PATCH body: only the fields that differ from the saved settings. */
export function changesOf(draft: WorkspaceDraft, saved: WorkspaceRow): Body {
  const next = bodyOf(draft);
  const before = bodyOf(draftOf(saved));
  const changes: Record<string, unknown> = {};
  for (const field of Object.keys(next) as (keyof Body)[]) {
    if (JSON.stringify(next[field]) !== JSON.stringify(before[field])) changes[field] = next[field];
  }
  return changes as Body;
}

/** Moves the line at `from` to `to` (both in range). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [moved] = next.splice(from, 1);
  if (moved !== undefined) next.splice(to, 0, moved);
  return next;
}

/** Messages by field path (`name`, `leadLostReasons.2`, `activityTypes.1.label`), from the schema or the server. */
export type DraftErrors = Record<string, string>;

/** The message for a list line: the line's own, or its label's or key's (activity types). */
export function lineError(errors: DraftErrors, list: string, index: number): string | undefined {
  return errors[`${list}.${index}`] ?? errors[`${list}.${index}.label`] ?? errors[`${list}.${index}.key`];
}
