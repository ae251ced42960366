import { sql } from "drizzle-orm";
import type { BackgroundLoop } from "../../jobs/definitions.ts";
import { sealAuditLog } from "./audit.chain.ts";

const batchSize = 2000;
const partitionCheckMs = 60 * 60 * 1000;
let partitionsCheckedAt = 0;

/**
 * Seals audit entries into their workspaces' hash chains about every second, a batch at a time
 * (again at once while batches come full), so an entry stays unsealed for about a second after
 * its transaction ends while workers run. Once an hour it also makes sure the next two months'
 * partitions exist, so entries never fall into the default partition.
 */
export const auditSealer: BackgroundLoop = {
  name: "audit.seal",
  intervalMs: 1000,
  run: async ({ db }) => {
    if (Date.now() - partitionsCheckedAt > partitionCheckMs) {
      await db.execute(sql`select keel_audit_partitions(2)`);
      partitionsCheckedAt = Date.now();
    }
    return (await sealAuditLog(db, batchSize)) === batchSize;
  },
};
