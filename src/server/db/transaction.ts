import { sql, type SQL } from "drizzle-orm";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type { RequestContext } from "../lib/context.ts";
import type pg from "pg";
import { dialect, sentWithBegin, type Database, type Transaction } from "./client.ts";

/** Shared transactions (see withSharedTransaction) and the workspace each is scoped to. */
const sharedTransactions = new WeakMap<object, string>();

/**
 * Runs `work` in a transaction scoped to one workspace: as the role keel_app, with
 * `app.workspace_id` set for row-level security. Both settings end with the transaction, so a
 * pooled connection never carries them into the next request. Given a shared transaction of the
 * same workspace, `work` joins it: it commits or rolls back with everything else done in it.
 * `config` sets isolation and access mode (a read-only snapshot for reports).
 */
export function withWorkspaceTransaction<T>(
  db: Database,
  workspaceId: string,
  work: (tx: Transaction) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  if (sharedTransactions.get(db) === workspaceId) return work(db as Transaction);
  return db.transaction(async (tx) => {
    await tx.execute(workspaceSettings(workspaceId));
    return work(tx);
  }, config);
}

/**
 * The settings that scope a transaction to a workspace, each local to the transaction: the role
 * keel_app and `app.workspace_id` for row-level security, and the trigram threshold that makes `q`
 * forgive a typo in a short name. One statement for all three, sent with the BEGIN (client.ts
 * sentWithBegin).
 */
export function workspaceSettings(workspaceId: string): SQL {
  return sql`${sentWithBegin()}select set_config('role', 'keel_app', true), set_config('app.workspace_id', ${workspaceId}, true),
        set_config('pg_trgm.word_similarity_threshold', '0.3', true)`;
}

/**
 * Opens, on a pooled PostgreSQL connection of the caller's, a read-only repeatable-read transaction
 * scoped to the workspace as withWorkspaceTransaction scopes one, in `snapshot` (pg_export_snapshot
 * of another transaction) when given: for long reads outside Drizzle's transactions (shared-snapshot.ts,
 * copy-csv.ts). The caller commits or rolls back.
 */
export async function beginWorkspaceSnapshot(client: pg.PoolClient, workspaceId: string, snapshot?: string) {
  await client.query("begin isolation level repeatable read read only");
  if (snapshot !== undefined) await client.query(`set transaction snapshot ${client.escapeLiteral(snapshot)}`);
  const settings = dialect.sqlToQuery(workspaceSettings(workspaceId));
  await client.query(settings.sql, settings.params);
}

/**
 * Runs several use cases as one (bulk actions): `work` gets a copy of `ctx` whose database is a
 * workspace transaction that every use case it calls joins, so they all commit together or not
 * at all, each with its own checks, rules and events. A use case that fails leaves the
 * transaction unusable: `work` must let the error end it, never catch it and go on.
 */
export function withSharedTransaction<T>(
  ctx: RequestContext,
  work: (shared: RequestContext, tx: Transaction) => Promise<T>,
): Promise<T> {
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    sharedTransactions.set(tx, ctx.workspaceId);
    try {
      return await work({ ...ctx, db: tx }, tx);
    } finally {
      sharedTransactions.delete(tx);
    }
  });
}
