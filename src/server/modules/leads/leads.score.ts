import type { LeadPriority, LeadStatus } from "../../../shared/schemas/lead.ts";

/** What a lead's score depends on. */
export type LeadScoreInput = {
  priority: LeadPriority;
  estimatedValue: string | null;
  hasPrimaryContact: boolean;
  status: LeadStatus;
};

const priorityPoints: Record<LeadPriority, number> = { low: 5, medium: 15, high: 30 };
const statusPoints: Record<LeadStatus, number> = { new: 0, contacted: 10, qualified: 20, converted: 20, lost: 0 };
/** Estimated value tiers, highest first; amounts are compared as-is, whatever the currency. */
const valueTiers = [
  { atLeast: 100_000, points: 35 },
  { atLeast: 10_000, points: 25 },
  { atLeast: 1_000, points: 15 },
  { atLeast: 0, points: 5 },
] as const;

/**
 * The score of a lead, 0–100: priority (low 5, medium 15, high 30) + estimated value (none 0,
 * under 1,000 → 5, under 10,000 → 15, under 100,000 → 25, more → 35) + 15 with a primary contact
 * + status (new 0, contacted 10, qualified or converted 20). A lost lead scores 0: it needs no
 * attention. Stored on every write, so lists sort and filter by it.
 */
export function computeLeadScore(lead: LeadScoreInput): number {
  if (lead.status === "lost") return 0;
  const value = lead.estimatedValue === null ? null : Number(lead.estimatedValue);
  const valuePoints = value === null ? 0 : (valueTiers.find((tier) => value >= tier.atLeast)?.points ?? 0);
  return priorityPoints[lead.priority] + valuePoints + (lead.hasPrimaryContact ? 15 : 0) + statusPoints[lead.status];
}
