import type { DealStatus } from "../../../shared/schemas/deal.ts";
import { labelOf } from "../../lib/format.ts";

const styles: Record<DealStatus, string> = {
  open: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  won: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100",
  lost: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
};

/** Open, won or lost, as a small coloured label. */
export function DealStatusBadge({ status }: { status: string }) {
  const known = (status in styles ? status : "open") as DealStatus;
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${styles[known]}`}>
      {labelOf(known)}
    </span>
  );
}
