import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.ts";

/**
 * The hash chain of each workspace's audit log. Entries are written by the transactions of the
 * changes they describe, so they cannot be chained there without making every write of a
 * workspace wait for the previous one. Instead the sealer appends them to the chain in order,
 * once their transaction has ended, in `audit_seals`: each entry's hash covers its content and
 * the previous entry's hash, and `audit_chain_heads` keeps the end of each chain. The audit rows
 * themselves are never written again. Changing, removing or reordering a sealed entry breaks
 * every hash after it, which `verifyAuditChains` finds.
 */

export const genesisHash = "0".repeat(64);

/** What a hash covers: every column of the entry but the chain's own, timestamps in microseconds. */
type ChainedEntry = {
  workspace_id: string;
  id: string;
  occurred_at_us: string;
  actor_type: string;
  actor_id: string | null;
  on_behalf_of: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  changes: unknown;
  details: unknown;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
};

/** The columns a hash covers, of the audit row named `a` in the query. */
const contentColumns =
  sql.raw(`a.workspace_id, a.id, (extract(epoch from a.occurred_at) * 1000000)::bigint::text as occurred_at_us,
  a.actor_type, a.actor_id, a.on_behalf_of, a.action, a.resource_type, a.resource_id, a.changes, a.details,
  a.ip_address, a.user_agent, a.request_id`);

/** Whole microseconds since the epoch back to a timestamptz, exactly (a JS Date keeps milliseconds). */
const fromMicros = (us: string) => sql`(timestamptz 'epoch' + ${us}::bigint * interval '1 microsecond')`;

/** JSON with object keys sorted at every depth: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function entryHash(previousHash: string, entry: ChainedEntry): string {
  return createHash("sha256").update(previousHash).update("\n").update(canonicalJson(entry)).digest("hex");
}

async function rowsOf<T>(db: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Seals the next `batchSize` entries whose transactions have ended, in (xact_id, occurred_at, id)
 * order from where the last run stopped, into their workspaces' chains; answers how many it read.
 * One sealer at a time (an advisory lock): a second call meanwhile reads nothing. Runs as the
 * database owner, the only role allowed to write the chain.
 */
export async function sealAuditLog(db: Database, batchSize = 2000): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await rowsOf<{ locked: boolean }>(
      tx as unknown as Database,
      sql`select pg_try_advisory_xact_lock(hashtextextended('keel:audit-seal', 0)) as locked`,
    );
    if (!lock?.locked) return 0;
    // Entries sealed already are skipped, not sealed twice (the unique index would refuse it):
    // the ones a version of Keel sealed before `audit_seals` existed lie ahead of the first run.
    const entries = await rowsOf<ChainedEntry & { xact_id: string; sealed: boolean }>(
      tx as unknown as Database,
      nextToSeal(batchSize),
    );
    const last = entries.at(-1);
    if (!last) return 0;
    const toSeal = entries
      .filter((entry) => !entry.sealed)
      .map(({ xact_id: _xact, sealed: _sealed, ...entry }) => entry);
    if (toSeal.length > 0) await appendToChains(tx as unknown as Database, toSeal);
    await tx.execute(sql`update audit_seal_progress
      set xact_id = ${last.xact_id}::xid8, occurred_at = ${fromMicros(last.occurred_at_us)}, entry_id = ${last.id}::uuid`);
    return entries.length;
  });
}

/**
 * The entries after the sealer's position, each column of the position read by its own subquery:
 * PostgreSQL reads them first and the order's index from there on. Compared with the progress
 * row's columns in a join instead, it read the index from its start and filtered, every batch: the
 * whole audit log, every second, idle or not.
 */
const afterSealPosition = sql.raw(`(a.xact_id, a.occurred_at, a.id) > ((select xact_id from audit_seal_progress),
  (select occurred_at from audit_seal_progress), (select entry_id from audit_seal_progress))`);

/**
 * The next `batchSize` entries after the sealer's position (audit_seal_progress) whose
 * transactions have ended, in the sealer's order, each with whether it is sealed already.
 */
export function nextToSeal(batchSize: number): SQL {
  return sql`select ${contentColumns}, a.xact_id::text as xact_id,
      exists (select 1 from audit_seals s
        where s.workspace_id = a.workspace_id and s.occurred_at = a.occurred_at and s.entry_id = a.id) as sealed
    from audit_logs a
    where ${afterSealPosition} and a.xact_id < pg_snapshot_xmin(pg_current_snapshot())
    order by a.xact_id, a.occurred_at, a.id limit ${batchSize}`;
}

/** Appends entries, in the order given, to their workspaces' chains, and moves the chains' heads. */
async function appendToChains(tx: Database, entries: readonly ChainedEntry[]): Promise<void> {
  const workspaceIds = [...new Set(entries.map((entry) => entry.workspace_id))];
  const heads = await rowsOf<{ workspace_id: string; chain_seq: string; hash: string }>(
    tx,
    sql`select workspace_id, chain_seq::text, hash from audit_chain_heads
      where workspace_id = any(${`{${workspaceIds.join(",")}}`}::uuid[]) for update`,
  );
  const chains = new Map(heads.map((head) => [head.workspace_id, { seq: Number(head.chain_seq), hash: head.hash }]));
  const seals = entries.map((entry) => {
    const head = chains.get(entry.workspace_id) ?? { seq: 0, hash: genesisHash };
    const next = { seq: head.seq + 1, hash: entryHash(head.hash, entry) };
    chains.set(entry.workspace_id, next);
    return { workspace_id: entry.workspace_id, id: entry.id, us: entry.occurred_at_us, seq: next.seq, hash: next.hash };
  });
  await tx.execute(sql`insert into audit_seals (workspace_id, chain_seq, occurred_at, entry_id, hash)
    select v.workspace_id, v.seq, timestamptz 'epoch' + v.us * interval '1 microsecond', v.id, v.hash
    from jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) as v(workspace_id uuid, id uuid, us bigint, seq bigint, hash text)`);
  const newHeads = [...chains].map(([workspace_id, head]) => ({ workspace_id, seq: head.seq, hash: head.hash }));
  await tx.execute(sql`insert into audit_chain_heads (workspace_id, chain_seq, hash, sealed_at)
    select workspace_id, seq, hash, now() from jsonb_to_recordset(${JSON.stringify(newHeads)}::jsonb)
      as v(workspace_id uuid, seq bigint, hash text)
    on conflict (workspace_id) do update set chain_seq = excluded.chain_seq, hash = excluded.hash, sealed_at = now()`);
}

/** Seals until nothing is left to seal (tests, `keel audit verify`, the end of an import). */
export async function sealAll(db: Database): Promise<number> {
  let total = 0;
  for (let sealed = await sealAuditLog(db); sealed > 0; sealed = await sealAuditLog(db)) total += sealed;
  return total;
}

export type ChainReport = {
  workspaceId: string;
  sealed: number;
  unsealed: number;
  headHash: string | null;
  /** The first entry where the chain breaks, and why; null when the chain holds. */
  broken: { chainSeq: number; entryId: string | null; reason: string } | null;
};

/**
 * Walks each workspace's chain in order, recomputing every hash: a changed entry, a missing one
 * (a gap in chain_seq) or a chain whose end disagrees with its recorded head is reported at the
 * first entry where it happens. Reads in pages, so a chain of millions of entries costs a page of memory.
 */
export async function verifyAuditChains(db: Database, workspaceId?: string): Promise<ChainReport[]> {
  const workspaces = await rowsOf<{ workspace_id: string }>(
    db,
    workspaceId
      ? sql`select ${workspaceId}::uuid as workspace_id`
      : sql`select workspace_id from audit_chain_heads union select distinct workspace_id from audit_logs order by 1`,
  );
  const reports: ChainReport[] = [];
  for (const { workspace_id } of workspaces) reports.push(await verifyChain(db, workspace_id));
  return reports;
}

async function verifyChain(db: Database, workspaceId: string): Promise<ChainReport> {
  const [head] = await rowsOf<{ chain_seq: string; hash: string }>(
    db,
    sql`select chain_seq::text, hash from audit_chain_heads where workspace_id = ${workspaceId}::uuid`,
  );
  // Entries the sealer has not reached yet (read in its order, from where it stopped).
  const [counts] = await rowsOf<{ unsealed: string }>(
    db,
    sql`select count(*)::text as unsealed from audit_logs a
      where ${afterSealPosition} and a.workspace_id = ${workspaceId}::uuid`,
  );
  const report: ChainReport = {
    workspaceId,
    sealed: 0,
    unsealed: Number(counts?.unsealed ?? 0),
    headHash: head?.hash ?? null,
    broken: null,
  };
  let previous = { seq: 0, hash: genesisHash };
  for (;;) {
    // Each seal with its entry; an entry removed after its sealing comes back as nulls.
    const page = await rowsOf<Nullable<ChainedEntry> & { chain_seq: string; seal_hash: string; entry_id: string }>(
      db,
      sql`select s.chain_seq::text, s.hash as seal_hash, s.entry_id, ${contentColumns}
        from audit_seals s left join audit_logs a
          on a.workspace_id = s.workspace_id and a.occurred_at = s.occurred_at and a.id = s.entry_id
        where s.workspace_id = ${workspaceId}::uuid and s.chain_seq > ${previous.seq}
        order by s.chain_seq limit 5000`,
    );
    for (const row of page) {
      const { chain_seq, seal_hash, entry_id, ...entry } = row;
      const seq = Number(chain_seq);
      if (seq !== previous.seq + 1) {
        report.broken = {
          chainSeq: previous.seq + 1,
          entryId: null,
          reason: `entry ${previous.seq + 1} is missing from the chain`,
        };
        return report;
      }
      if (entry.id === null) {
        report.broken = { chainSeq: seq, entryId: entry_id, reason: "the entry was removed from the audit log" };
        return report;
      }
      if (entryHash(previous.hash, entry as ChainedEntry) !== seal_hash) {
        report.broken = { chainSeq: seq, entryId: entry_id, reason: "its content does not match its hash" };
        return report;
      }
      previous = { seq, hash: seal_hash };
      report.sealed++;
    }
    if (page.length < 5000) break;
  }
  const headSeq = head ? Number(head.chain_seq) : 0;
  if (headSeq !== previous.seq || (head && head.hash !== previous.hash)) {
    report.broken = {
      chainSeq: previous.seq + 1,
      entryId: null,
      reason: `the chain ends at entry ${previous.seq} but its head says ${headSeq}: entries were removed`,
    };
  }
  return report;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };
