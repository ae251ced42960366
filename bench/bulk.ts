import { sql } from "drizzle-orm";
import type { Database } from "../src/server/db/client.ts";
import { sleep } from "../src/server/test/ports.ts";

/** How many contacts the bulk scenario changes (the fast-path issue's "bulk update of 100,000 contacts"). */
export const bulkWanted = 100_000;

/** A bulk update through the API, as a job: how many records it matched and changed, and how long it took. */
export type BulkRun = {
  matched: number;
  updated: number;
  refused: number;
  seconds: number;
  filter: string;
  /** PostgreSQL alone writing the same (bulk-floor.ts), when measured. */
  floor?: { records: number; seconds: number };
};

/**
 * The owners whose live contacts add up to at least `wanted` (fewest owners first: the largest
 * shares), so one `filter[ownerId][in]` selects about that many. All of them when the workspace
 * holds fewer.
 */
export async function ownersCovering(db: Database, workspaceId: string, wanted = bulkWanted): Promise<string[]> {
  const result = (await db.execute(sql`select owner_id, count(*)::int as contacts from contacts
    where workspace_id = ${workspaceId} and deleted_at is null and owner_id is not null
    group by owner_id order by contacts desc, owner_id`)) as unknown as {
    rows: { owner_id: string; contacts: number }[];
  };
  const owners: string[] = [];
  let covered = 0;
  for (const row of result.rows) {
    if (covered >= wanted) break;
    owners.push(row.owner_id);
    covered += row.contacts;
  }
  return owners;
}

/**
 * Sets the `source` of every contact of `owners` through `POST /api/v1/contacts/bulk` (a filter,
 * so above 1,000 records it runs as the `bulk.run` job) and follows the operation until it ends:
 * seconds from the request to `completed`, as a user waiting for the progress bar sees them.
 */
export async function measureBulk(
  base: string,
  headers: Record<string, string>,
  owners: string[],
  runTag: string,
): Promise<BulkRun> {
  const filter = { "filter[ownerId][in]": owners.join(",") };
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/contacts/bulk`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ action: "update", filter, fields: { source: `bench-bulk-${runTag}` } }),
  });
  if (response.status !== 200 && response.status !== 202)
    throw new Error(`POST /contacts/bulk answered ${response.status}: ${await response.text()}`);
  const { operationId } = (await response.json()) as { operationId: string };
  for (const deadline = Date.now() + 15 * 60_000; Date.now() < deadline; await sleep(200)) {
    const poll = await fetch(`${base}/api/v1/bulk-operations/${operationId}`, { headers });
    const operation = (await poll.json()) as {
      status: string;
      matched: number;
      updated: number;
      refusedCount: number;
      error: string | null;
    };
    if (operation.status === "completed") {
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const { matched, updated, refusedCount: refused } = operation;
      return { matched, updated, refused, seconds, filter: `filter[ownerId][in] (${owners.length} owners)` };
    }
    if (operation.status === "failed") throw new Error(`The bulk update failed: ${operation.error ?? "no reason"}`);
  }
  throw new Error("The bulk update did not complete within 15 minutes");
}
