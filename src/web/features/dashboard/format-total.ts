import { t } from "../../i18n/i18n.ts";
import { formatCompact, formatNumber } from "../../lib/format.ts";

/**
 * A total as the dashboard shows it: "1,234", or "about 1.2M" when the server estimated it (past
 * 10,000 contacts or companies), worded and rounded as the lists' estimated counts are.
 */
export function formatTotal(value: number, isEstimate = false): string {
  return isEstimate ? t("dashboard.totals.estimate", { number: formatCompact(value) }) : formatNumber(value);
}
