import { t } from "../../i18n/i18n.ts";
import { formatDate, formatDateTime, formatNumber, labelOf } from "../../lib/format.ts";
import { fieldLabelOf, shortId } from "./audit-labels.ts";

/** What the audit log writes instead of an encrypted field's value. */
export const maskedValue = "[masked]";

/** Fields whose value is a member's id: shown as the member's name when it is known. */
const memberFields = new Set(["ownerId", "assigneeId", "createdBy", "userId", "changedBy", "invitedBy"]);
/** Fields holding one value of a fixed list (`closed_won`): shown as words. */
const choiceFields = new Set(["status", "lifecycle", "priority", "type", "direction", "role"]);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Member names by id, to show who an owner or assignee is. */
export type MemberNames = ReadonlyMap<string, string>;

/** True for null, undefined, "" and []: a field that was or became empty. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function isMoney(value: object): value is { amount: string | number; currency: string } {
  return "amount" in value && "currency" in value && Object.keys(value).length === 2;
}

/**
 * A field's value on one line, as a person reads it: names for member ids, dates in the reader's
 * format, words for choices, "1250.00 EUR" for money, lists joined by commas, "—" for empty.
 */
export function formatValue(field: string, value: unknown, members: MemberNames = new Map()): string {
  if (isEmptyValue(value)) return "—";
  if (value === maskedValue) return t("audit.values.masked");
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") {
    if (memberFields.has(field) && members.has(value)) return members.get(value) ?? value;
    if (uuidPattern.test(value)) return shortId(value);
    if (instantPattern.test(value)) return formatDateTime(value);
    if (datePattern.test(value)) return formatDate(value);
    if (choiceFields.has(field)) return labelOf(value);
    return value;
  }
  if (Array.isArray(value)) {
    return value.every((item) => item === null || typeof item !== "object")
      ? value.map((item) => formatValue(field, item, members)).join(", ")
      : JSON.stringify(value);
  }
  if (typeof value === "object" && value !== null) {
    if (isMoney(value)) return `${String(value.amount)} ${value.currency}`;
    return Object.entries(value)
      .filter(([, inner]) => !isEmptyValue(inner))
      .map(([key, inner]) => `${fieldLabelOf(key)}: ${formatValue(key, inner, members)}`)
      .join(", ");
  }
  return String(value);
}

/**
 * A value exactly as recorded, for the diff view: text as it is, everything else as indented
 * JSON (lists and objects one item a line, so changed lines can be marked); null when empty.
 */
export function exactValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** One line of a value in the diff, and whether it differs from the other side. */
export type DiffLine = { text: string; isChanged: boolean };

/**
 * Both sides of a change as lines, each marked when the other side lacks it (a longest common
 * subsequence of lines): for a list of tags, the tags removed and added; for an object, the
 * members that changed. Values of a single line are changed as a whole.
 */
export function diffLines(oldText: string | null, newText: string | null): { old: DiffLine[]; new: DiffLine[] } {
  const a = oldText === null ? [] : oldText.split("\n");
  const b = newText === null ? [] : newText.split("\n");
  // A list's last item has no comma: adding an item after it does not change it.
  const same = (i: number, j: number) => a[i]?.replace(/,$/, "") === b[j]?.replace(/,$/, "");
  if (a.length <= 1 || b.length <= 1 || a.length * b.length > 250_000) {
    return {
      old: a.map((text) => ({ text, isChanged: true })),
      new: b.map((text) => ({ text, isChanged: true })),
    };
  }
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i]![j] = same(i, j) ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const kept = { old: new Set<number>(), new: new Set<number>() };
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (same(i, j)) {
      kept.old.add(i++);
      kept.new.add(j++);
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i += 1;
    else j += 1;
  }
  return {
    old: a.map((text, i) => ({ text, isChanged: !kept.old.has(i) })),
    new: b.map((text, j) => ({ text, isChanged: !kept.new.has(j) })),
  };
}
