import type { Count } from "../../../shared/schemas/common.ts";
import { formatCompact, formatNumber } from "../../lib/format.ts";

/** What a list holds, in the singular and the plural: `{ one: "contact", other: "contacts" }`. */
export type RecordNoun = { one: string; other: string };

/** "1 contact", "1,234 contacts", or "about 1.2M contacts" when the count is an estimate. */
export function countLabel(count: Count, noun: RecordNoun): string {
  if (count.isEstimate) return `about ${formatCompact(count.count)} ${noun.other}`;
  return `${formatNumber(count.count)} ${count.count === 1 ? noun.one : noun.other}`;
}
