import { sql } from "drizzle-orm";
import type { Database, Transaction } from "./client.ts";

/**
 * Runs `work` in a transaction scoped to one workspace: as the role keel_app, with
 * `app.workspace_id` set for row-level security. Both settings end with the transaction, so a
 * pooled connection never carries them into the next request.
 */
export function withWorkspaceTransaction<T>(
  db: Database,
  workspaceId: string,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      // One round trip for all three. The trigram threshold makes `q` forgive a typo in a short name.
      sql`select set_config('role', 'keel_app', true), set_config('app.workspace_id', ${workspaceId}, true),
        set_config('pg_trgm.word_similarity_threshold', '0.3', true)`,
    );
    return work(tx);
  });
}
