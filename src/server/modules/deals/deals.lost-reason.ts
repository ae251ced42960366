import type { DealStatus } from "../../../shared/schemas/deal.ts";
import { lostReasonProblem } from "../../../shared/schemas/workspace-settings.ts";
import type { Transaction } from "../../db/client.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import { readWorkspaceSettings } from "../workspaces/index.ts";

/** What a deal was before a write: nothing for a new deal. */
type Before = { status: DealStatus; lostReason: string | null } | null;

/**
 * The lost reason a deal has after a write into `status`: the one given, else the one it had
 * while it stays lost; a deal that is not lost has none (leaving a lost stage clears it).
 * Throws 422 on `lostReason` for a reason on a deal that is not lost, and for a deal entering a
 * lost stage without one when the workspace requires it; 400 for a reason the workspace's deal
 * lost reasons do not allow (one of them, or "Other: …", once it has a list). The settings are
 * read only when a lost deal's reason is given or may be required.
 */
export async function decideLostReason(
  tx: Transaction,
  workspaceId: string,
  before: Before,
  status: DealStatus,
  given: string | null | undefined,
): Promise<string | null> {
  if (status !== "lost") {
    if (given) {
      throw new AppError("rule-violation", "Only a lost deal has a lost reason.", [
        { path: "lostReason", message: "Only for deals in a lost stage" },
      ]);
    }
    return null;
  }
  const wasLost = before?.status === "lost";
  const reason = given !== undefined ? given : wasLost ? (before.lostReason ?? null) : null;
  const isChanged = reason !== null && reason !== before?.lostReason;
  const mayBeRequired = reason === null && (!wasLost || given === null);
  if (!isChanged && !mayBeRequired) return reason;

  const settings = await readWorkspaceSettings(tx, workspaceId);
  if (reason === null) {
    if (settings.requireDealLostReason) {
      throw new AppError("rule-violation", "A lost deal needs a lost reason in this workspace.", [
        { path: "lostReason", message: "Required when the deal is lost" },
      ]);
    }
    return null;
  }
  const problem = lostReasonProblem(reason, settings.dealLostReasons);
  if (problem) throw invalidField("lostReason", problem);
  return reason;
}
