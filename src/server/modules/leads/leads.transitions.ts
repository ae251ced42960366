import { canMoveLead, type LeadStatus } from "../../../shared/schemas/lead.ts";
import { lostReasonProblem } from "../../../shared/schemas/workspace-settings.ts";
import type { Transaction } from "../../db/client.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import { readWorkspaceSettings } from "../workspaces/index.ts";

/** Throws 422 `rule-violation` on `status` unless the move is allowed. */
export function assertLeadTransition(from: LeadStatus, to: LeadStatus): void {
  if (canMoveLead(from, to)) return;
  const message =
    to === "converted"
      ? "A lead is converted with POST /leads/:id/convert"
      : from === "converted"
        ? "A converted lead keeps its status"
        : `Cannot move a lead from ${from} to ${to}`;
  throw new AppError("rule-violation", `${message}.`, [{ path: "status", message }]);
}

/** Throws 422 on `lostReason` unless lost leads have one and other leads have none. */
export function assertLostReason(status: LeadStatus, lostReason: string | null): void {
  if (status === "lost" && !lostReason) {
    throw new AppError("rule-violation", "A lost lead needs a lost reason.", [
      { path: "lostReason", message: "Required when the status is lost" },
    ]);
  }
  if (status !== "lost" && lostReason) {
    throw new AppError("rule-violation", "Only a lost lead has a lost reason.", [
      { path: "lostReason", message: "Only for lost leads" },
    ]);
  }
}

/** Throws 400 on `lostReason` unless the workspace's lead lost reasons allow it (see lostReasonProblem). */
export async function assertLostReasonOffered(tx: Transaction, workspaceId: string, reason: string): Promise<void> {
  const { leadLostReasons } = await readWorkspaceSettings(tx, workspaceId);
  const problem = lostReasonProblem(reason, leadLostReasons);
  if (problem) throw invalidField("lostReason", problem);
}

/** Throws 400 on `currency` when an estimated value has no currency to be read in. */
export function assertValueHasCurrency(estimatedValue: string | null, currency: string | null): void {
  if (estimatedValue !== null && currency === null) throw invalidField("currency", "Required with estimatedValue");
}
