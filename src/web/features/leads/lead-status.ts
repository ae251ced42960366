import { leadStatuses, type LeadStatus } from "../../../shared/schemas/lead.ts";
import { labelOf } from "../../lib/format.ts";

export { allowedLeadTransitions as leadTransitions, canMoveLead } from "../../../shared/schemas/lead.ts";

/** A lead status as the interface names it, in its language. */
export const leadStatusLabel = (status: LeadStatus): string => labelOf(status);

/** The board's columns that take drops; converted leads have their own, read-only column. */
export const boardStatuses = ["new", "contacted", "qualified", "lost"] as const satisfies readonly LeadStatus[];

export function isLeadStatus(value: string): value is LeadStatus {
  return (leadStatuses as readonly string[]).includes(value);
}
