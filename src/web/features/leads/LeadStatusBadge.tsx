import type { LeadStatus } from "../../../shared/schemas/lead.ts";
import { isLeadStatus, leadStatusLabel } from "./lead-status.ts";

const styles: Record<LeadStatus, string> = {
  new: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  contacted: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100",
  qualified: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  converted: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100",
  lost: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
};

/** A lead's status as a small coloured label. */
export function LeadStatusBadge({ status }: { status: string }) {
  const known = isLeadStatus(status) ? status : "new";
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${styles[known]}`}>
      {leadStatusLabel(known)}
    </span>
  );
}
