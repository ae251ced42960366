import { sql } from "drizzle-orm";
import { drizzleOn, poolOf, type Database, type Transaction } from "./client.ts";
import { beginWorkspaceSnapshot } from "./transaction.ts";

type Reads = Record<string, (tx: Transaction) => Promise<unknown>>;

/**
 * Runs independent reads of one report side by side, all in the snapshot of `tx` (a repeatable-read
 * transaction of the workspace): `tx` and a second transaction on another pooled connection that
 * imports its snapshot (PostgreSQL's `pg_export_snapshot` / `SET TRANSACTION SNAPSHOT`) take the
 * reads in turn, each the next one waiting, so two backends work on two cores and every figure
 * still comes from one moment. The second transaction is read-only and scoped to the workspace
 * exactly as `tx` (row-level security applies). List the longest reads first. On the embedded
 * database (one connection) the reads run one after another in `tx`. Answers each read's result
 * under its name.
 */
export async function readInOneSnapshot<R extends Reads>(
  db: Database,
  tx: Transaction,
  workspaceId: string,
  reads: R,
): Promise<{ [Name in keyof R]: Awaited<ReturnType<R[Name]>> }> {
  const pool = poolOf(db);
  if (!pool || Object.keys(reads).length < 2) return takeInTurn(reads, [tx]);
  const exported = (await tx.execute(sql`select pg_export_snapshot() as snapshot`)) as unknown as {
    rows: { snapshot: string }[];
  };
  const snapshot = exported.rows[0]?.snapshot ?? "";
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await beginWorkspaceSnapshot(client, workspaceId, snapshot);
    const results = await takeInTurn(reads, [tx, drizzleOn(client) as unknown as Transaction]);
    await client.query("commit");
    return results;
  } catch (error) {
    await client.query("rollback").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Each transaction takes the next read when its last one is done. After a failure no new read
 * starts; those running are awaited, then the first error is thrown.
 */
async function takeInTurn<R extends Reads>(
  reads: R,
  transactions: readonly Transaction[],
): Promise<{ [Name in keyof R]: Awaited<ReturnType<R[Name]>> }> {
  const names = Object.keys(reads);
  const results: Record<string, unknown> = {};
  let next = 0;
  const take = async (tx: Transaction) => {
    for (let index = next++; index < names.length; index = next++) {
      const name = names[index]!;
      try {
        results[name] = await reads[name]!(tx);
      } catch (error) {
        next = names.length;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(transactions.map(take));
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return results as { [Name in keyof R]: Awaited<ReturnType<R[Name]>> };
}
