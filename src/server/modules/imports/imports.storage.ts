import { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { AppError } from "../../lib/errors.ts";
import { importChunks } from "./imports.table.ts";

/** Size of one stored slice of a file: large enough for few rows, small enough for one query. */
export const chunkBytes = 1024 * 1024;
/** Bytes kept of a file's start, to detect its format, delimiter and first rows. */
const headBytes = 64 * 1024;

export type StoredFile = { sizeBytes: number; head: Buffer; validUtf8: boolean };

/**
 * Writes an upload into import_chunks as it arrives, one slice per short transaction: memory
 * holds one slice, whatever the file's size, and no transaction stays open while a slow client
 * sends. `feed` sees every slice (the UTF-8 check).
 */
export async function storeChunks(
  db: Database,
  workspaceId: string,
  importId: string,
  source: AsyncIterable<Buffer>,
  feed: (bytes: Buffer) => void,
): Promise<{ sizeBytes: number; head: Buffer }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let sizeBytes = 0;
  let head = Buffer.alloc(0);
  const flush = async () => {
    if (pendingBytes === 0) return;
    const bytes = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    const chunk = { workspaceId, importId, seq: seq++, bytes };
    await withWorkspaceTransaction(db, workspaceId, (tx) => tx.insert(importChunks).values(chunk));
  };
  for await (const piece of source) {
    feed(piece);
    sizeBytes += piece.length;
    if (head.length < headBytes) head = Buffer.concat([head, piece.subarray(0, headBytes - head.length)]);
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes >= chunkBytes) await flush();
  }
  await flush();
  if (sizeBytes === 0) throw new AppError("validation", "The file is empty.", [{ path: "file", message: "Empty" }]);
  return { sizeBytes, head };
}

/**
 * The stored file as a stream, read one slice per query as the parser asks for more: a worker
 * on any host reads it, and memory holds a slice or two.
 */
export function readChunks(db: Database, workspaceId: string, importId: string): Readable {
  async function* slices() {
    for (let seq = 0; ; seq++) {
      const [chunk] = await withWorkspaceTransaction(db, workspaceId, (tx) =>
        tx
          .select({ bytes: importChunks.bytes })
          .from(importChunks)
          .where(
            and(
              eq(importChunks.workspaceId, workspaceId),
              eq(importChunks.importId, importId),
              eq(importChunks.seq, seq),
            ),
          ),
      );
      if (!chunk) return;
      yield chunk.bytes;
    }
  }
  return Readable.from(slices(), { objectMode: false });
}

/**
 * Deletes an import's stored file once the import can no longer start or resume (completed,
 * failed, cancelled, undone): the file holds personal data nothing needs any more. errors.csv
 * reads the refused rows from import_row_errors and undo reads import_records, which stay.
 */
export async function deleteFile(tx: Transaction, workspaceId: string, importId: string): Promise<void> {
  await tx
    .delete(importChunks)
    .where(and(eq(importChunks.workspaceId, workspaceId), eq(importChunks.importId, importId)));
}
