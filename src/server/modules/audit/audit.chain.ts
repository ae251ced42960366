import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";

/**
 * The hash chain of each workspace's audit log. Entries are written by the transactions of the
 * changes they describe, so they cannot be chained there without making every write of a
 * workspace wait for the previous one. Instead the sealer appends them to the chain in order,
 * once their transaction has ended: each entry's hash covers its content and the previous
 * entry's hash, and `audit_chain_heads` keeps the end of each chain. Changing, removing or
 * reordering a sealed entry breaks every hash after it, which `verifyAuditChains` finds.
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

const contentColumns =
  sql.raw(`workspace_id, id, (extract(epoch from occurred_at) * 1000000)::bigint::text as occurred_at_us,
  actor_type, actor_id, on_behalf_of, action, resource_type, resource_id, changes, details, ip_address, user_agent, request_id`);

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
 * Seals up to `batchSize` entries whose transactions have ended, oldest first, into their
 * workspaces' chains; answers how many. One sealer at a time (an advisory lock): a second call
 * meanwhile seals nothing. Runs as the database owner, the only role allowed to write the chain.
 */
export async function sealAuditLog(db: Database, batchSize = 2000): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await rowsOf<{ locked: boolean }>(
      tx as unknown as Database,
      sql`select pg_try_advisory_xact_lock(hashtextextended('keel:audit-seal', 0)) as locked`,
    );
    if (!lock?.locked) return 0;
    const entries = await rowsOf<ChainedEntry>(
      tx as unknown as Database,
      sql`select ${contentColumns} from audit_logs
        where hash is null and xact_id < pg_snapshot_xmin(pg_current_snapshot())
        order by occurred_at, id limit ${batchSize}`,
    );
    if (entries.length === 0) return 0;
    const workspaceIds = [...new Set(entries.map((entry) => entry.workspace_id))];
    const heads = await rowsOf<{ workspace_id: string; chain_seq: string; hash: string }>(
      tx as unknown as Database,
      sql`select workspace_id, chain_seq::text, hash from audit_chain_heads
        where workspace_id = any(${`{${workspaceIds.join(",")}}`}::uuid[]) for update`,
    );
    const chains = new Map(heads.map((head) => [head.workspace_id, { seq: Number(head.chain_seq), hash: head.hash }]));
    const sealed = entries.map((entry) => {
      const head = chains.get(entry.workspace_id) ?? { seq: 0, hash: genesisHash };
      const next = { seq: head.seq + 1, hash: entryHash(head.hash, entry) };
      chains.set(entry.workspace_id, next);
      return {
        workspace_id: entry.workspace_id,
        id: entry.id,
        us: entry.occurred_at_us,
        seq: next.seq,
        hash: next.hash,
      };
    });
    await tx.execute(sql`update audit_logs set chain_seq = v.seq, hash = v.hash
      from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as v(workspace_id uuid, id uuid, us bigint, seq bigint, hash text)
      where audit_logs.workspace_id = v.workspace_id and audit_logs.id = v.id
        and audit_logs.occurred_at = timestamptz 'epoch' + v.us * interval '1 microsecond'`);
    const newHeads = [...chains].map(([workspace_id, head]) => ({ workspace_id, seq: head.seq, hash: head.hash }));
    await tx.execute(sql`insert into audit_chain_heads (workspace_id, chain_seq, hash, sealed_at)
      select workspace_id, seq, hash, now() from jsonb_to_recordset(${JSON.stringify(newHeads)}::jsonb)
        as v(workspace_id uuid, seq bigint, hash text)
      on conflict (workspace_id) do update set chain_seq = excluded.chain_seq, hash = excluded.hash, sealed_at = now()`);
    return entries.length;
  });
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
  const [counts] = await rowsOf<{ unsealed: string }>(
    db,
    sql`select count(*)::text as unsealed from audit_logs where workspace_id = ${workspaceId}::uuid and hash is null`,
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
    const page = await rowsOf<ChainedEntry & { chain_seq: string; hash: string }>(
      db,
      sql`select ${contentColumns}, chain_seq::text, hash from audit_logs
        where workspace_id = ${workspaceId}::uuid and chain_seq > ${previous.seq}
        order by chain_seq limit 5000`,
    );
    for (const row of page) {
      const { chain_seq, hash, ...entry } = row;
      const seq = Number(chain_seq);
      if (seq !== previous.seq + 1) {
        report.broken = { chainSeq: previous.seq + 1, entryId: null, reason: `entry ${previous.seq + 1} is missing` };
        return report;
      }
      if (entryHash(previous.hash, entry) !== hash) {
        report.broken = { chainSeq: seq, entryId: row.id, reason: "its content does not match its hash" };
        return report;
      }
      previous = { seq, hash };
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
