import type { Count } from "../../../shared/schemas/common.ts";
import { t } from "../../i18n/i18n.ts";
import { formatCompact, formatNumber } from "../../lib/format.ts";

/** What a list holds, in the singular and the plural: `{ one: "contact", other: "contacts" }`. */
export type RecordNoun = { one: string; other: string };

/** "1 contact", "1,234 contacts", or "about 1.2M contacts" when the count is an estimate. */
export function countLabel(count: Count, noun: RecordNoun): string {
  if (count.isEstimate) return t("lists.count.estimate", { number: formatCompact(count.count), noun: noun.other });
  return t("lists.count.exact", {
    number: formatNumber(count.count),
    noun: count.count === 1 ? noun.one : noun.other,
  });
}
