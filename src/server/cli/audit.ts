import type { Database } from "../db/client.ts";
import { isUuid } from "../lib/ids.ts";
import { sealAll, verifyAuditChains } from "../modules/audit/audit.chain.ts";

/**
 * `keel audit verify [--workspace ID]`: seals what is waiting, then checks every chain (or one).
 * Prints one line per workspace and exits 1 when any chain is broken, naming its first broken entry.
 */
export async function verifyAuditCommand(db: Database, workspaceId: string | undefined): Promise<number> {
  if (workspaceId !== undefined && !isUuid(workspaceId)) throw new Error("--workspace must be a workspace id (UUID)");
  await sealAll(db);
  const reports = await verifyAuditChains(db, workspaceId);
  let broken = 0;
  for (const report of reports) {
    if (report.broken) {
      broken++;
      const entry = report.broken.entryId ? ` (entry ${report.broken.entryId})` : "";
      console.log(
        `${report.workspaceId}: BROKEN at chain entry ${report.broken.chainSeq}${entry}: ${report.broken.reason}`,
      );
    } else {
      const unsealed = report.unsealed ? `, ${report.unsealed} not yet sealed` : "";
      console.log(`${report.workspaceId}: ok, ${report.sealed} entries${unsealed}, head ${report.headHash ?? "none"}`);
    }
  }
  console.log(
    broken ? `${broken} of ${reports.length} audit chains are broken.` : `${reports.length} audit chains verified.`,
  );
  return broken ? 1 : 0;
}
