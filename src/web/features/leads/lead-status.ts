import type { LeadStatus } from "../../../shared/schemas/lead.ts";

export { allowedLeadTransitions as leadTransitions, canMoveLead } from "../../../shared/schemas/lead.ts";

export const leadStatusLabels: Record<LeadStatus, string> = {
  new: "New",
  contacted: "Contacted",
  qualified: "Qualified",
  converted: "Converted",
  lost: "Lost",
};

/** The board's columns that take drops; converted leads have their own, read-only column. */
export const boardStatuses = ["new", "contacted", "qualified", "lost"] as const satisfies readonly LeadStatus[];

export function isLeadStatus(value: string): value is LeadStatus {
  return value in leadStatusLabels;
}
