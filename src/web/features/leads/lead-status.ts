import type { LeadStatus } from "../../../shared/schemas/lead.ts";

/**
 * Where a lead may go from each status with PATCH: a copy of the server's rule
 * (src/server/modules/leads/leads.transitions.ts), used only to offer sensible choices. The server
 * decides; a move it refuses comes back with its message.
 */
export const leadTransitions: Record<LeadStatus, readonly LeadStatus[]> = {
  new: ["contacted", "lost"],
  contacted: ["new", "qualified", "lost"],
  qualified: ["contacted", "lost"],
  lost: ["new", "contacted"],
  converted: [],
};

/** True when the move is one the server allows (staying put always is). */
export function canMoveLead(from: LeadStatus, to: LeadStatus): boolean {
  return from === to || leadTransitions[from].includes(to);
}

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
