import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { exportFileChunks, exportFiles } from "./exports.table.ts";

/** Size of one stored slice of a file: few rows per statement, one slice in memory. */
export const exportChunkBytes = 1024 * 1024;

export type ExportFileRow = typeof exportFiles.$inferSelect;

/** One export file of the workspace, or undefined. */
export async function findExportFile(
  tx: Transaction,
  workspaceId: string,
  id: string,
): Promise<ExportFileRow | undefined> {
  const [row] = await tx
    .select()
    .from(exportFiles)
    .where(and(eq(exportFiles.workspaceId, workspaceId), eq(exportFiles.id, id)));
  return row;
}

/** Changes an export file's row in its own short transaction (progress, status). */
export async function updateExportFile(
  db: Database,
  workspaceId: string,
  id: string,
  changes: Partial<Omit<ExportFileRow, "workspaceId" | "id">>,
): Promise<void> {
  await withWorkspaceTransaction(db, workspaceId, (tx) =>
    tx
      .update(exportFiles)
      .set(changes)
      .where(and(eq(exportFiles.workspaceId, workspaceId), eq(exportFiles.id, id))),
  );
}

/** What storeExportFile wrote: the file's own size, and what its stored slices hold. */
export type StoredExportFile = { sizeBytes: number; storedBytes: number };

/**
 * Writes a file stream into export_file_chunks, gzip-compressed when `gzip` (one stream, cut in
 * slices), one slice per short transaction, calling `progress` with the file's bytes read so far
 * after each: memory holds two slices at most, whatever the file's size. One slice is written
 * while the next is read, so the file's source (a COPY on the database's other connection) does
 * not wait for each write. A retried run first deletes what an earlier attempt wrote.
 */
export async function storeExportFile(
  db: Database,
  workspaceId: string,
  exportId: string,
  file: AsyncIterable<Buffer | string>,
  options: { gzip: boolean; progress: (sizeBytes: number) => Promise<void> },
): Promise<StoredExportFile> {
  await withWorkspaceTransaction(db, workspaceId, (tx) =>
    tx
      .delete(exportFileChunks)
      .where(and(eq(exportFileChunks.workspaceId, workspaceId), eq(exportFileChunks.exportId, exportId))),
  );
  let sizeBytes = 0;
  let storedBytes = 0;
  let seq = 0;
  let writing: Promise<void> = Promise.resolve();
  /** Writes `bytes` once the slice before it is written, then reports progress; in order, one at a time. */
  const write = async (bytes: Buffer, reportProgress: boolean) => {
    await writing;
    const slice = seq++;
    const readSoFar = sizeBytes;
    storedBytes += bytes.length;
    writing = withWorkspaceTransaction(db, workspaceId, async (tx) => {
      // No wait for the disk at each slice: the export is marked completed in a transaction that
      // does wait, and the log is written in order, so once it is complete every slice is durable.
      await tx.execute(sql`set local synchronous_commit = off`);
      await tx.insert(exportFileChunks).values({ workspaceId, exportId, seq: slice, bytes });
    }).then(() => (reportProgress ? options.progress(readSoFar) : undefined));
    // Awaited before the next slice or at the end; until then a failure must not count as unhandled.
    writing.catch(() => {});
  };
  async function* measured(): AsyncGenerator<Buffer> {
    for await (const piece of file) {
      const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
      sizeBytes += bytes.length;
      yield bytes;
    }
  }
  const storeSlices = async (source: AsyncIterable<Buffer>) => {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const bytes of source) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes < exportChunkBytes) continue;
      // Whole slices out, the rest kept for the next piece; progress once per piece read.
      let buffered = Buffer.concat(pending);
      while (buffered.length >= exportChunkBytes) {
        const rest = buffered.subarray(exportChunkBytes);
        await write(buffered.subarray(0, exportChunkBytes), rest.length < exportChunkBytes);
        buffered = rest;
      }
      pending = [buffered];
      pendingBytes = buffered.length;
    }
    if (pendingBytes > 0) await write(Buffer.concat(pending), false);
    await writing;
  };
  // Level 1, the cheapest: a CSV of contacts still shrinks fivefold (the benchmark's 338 MB to
  // 68 MB), so the database writes a fifth of the bytes and a download sends them as they are.
  if (options.gzip) await pipeline(measured(), createGzip({ level: 1 }), storeSlices);
  else await storeSlices(measured());
  return { sizeBytes, storedBytes };
}

/**
 * The stored file as a stream, one slice per query as the client takes it: any process serves it.
 * The first slice is read before this answers, so that a database failure then is the request's
 * error (retried, or a problem+json answer) rather than a broken body after the headers.
 */
export async function openExportFile(db: Database, workspaceId: string, exportId: string): Promise<Readable> {
  const sliceOf = async (seq: number) => {
    const [chunk] = await withWorkspaceTransaction(db, workspaceId, (tx) =>
      tx
        .select({ bytes: exportFileChunks.bytes })
        .from(exportFileChunks)
        .where(
          and(
            eq(exportFileChunks.workspaceId, workspaceId),
            eq(exportFileChunks.exportId, exportId),
            eq(exportFileChunks.seq, seq),
          ),
        ),
    );
    return chunk?.bytes;
  };
  const first = await sliceOf(0);
  async function* slices() {
    let bytes = first;
    for (let seq = 1; bytes; seq++) {
      yield bytes;
      bytes = await sliceOf(seq);
    }
  }
  return Readable.from(slices(), { objectMode: false });
}

/**
 * Deletes every export whose link has expired, with its file (the chunks cascade), across
 * workspaces: run by the connecting role, outside any workspace (as the other pruning jobs).
 */
export async function pruneExpiredExportFiles(db: Database, now = new Date()): Promise<number> {
  const result = (await db.execute(
    sql`with pruned as (delete from ${exportFiles} where ${lt(exportFiles.expiresAt, now)} returning 1)
      select count(*)::int as deleted from pruned`,
  )) as unknown as { rows: { deleted: number }[] };
  return result.rows[0]?.deleted ?? 0;
}

/**
 * Marks failed, across workspaces, every export still `running` whose attempt started before
 * `startedBefore`: an attempt that old is no longer live (its job expired, or its worker died),
 * and no retry took the export over (a retry starts it again). That happens when the last attempt
 * of the job expires rather than throws, so its handler never marks the export failed.
 */
export async function failAbandonedExportFiles(db: Database, startedBefore: Date, reason: string): Promise<number> {
  const failed = await db
    .update(exportFiles)
    .set({ status: "failed", errorSummary: reason, finishedAt: new Date() })
    .where(and(eq(exportFiles.status, "running"), lt(exportFiles.startedAt, startedBefore)))
    .returning({ id: exportFiles.id });
  return failed.length;
}
