import { createReadStream, createWriteStream } from "node:fs";
import { open, stat, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";

/**
 * A Keel backup is one plain tar file (ustar, readable with `tar tvf`): `manifest.json` first,
 * then the database payload and, where there is one, the encryption key file. A tar rather than a
 * format of our own: an operator can look inside with standard tools, and the payload streams in
 * and out without being held in memory.
 */
export type ArchiveEntry = { name: string; size: number; offset: number };

const block = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** Writes a size field: octal up to 8 GiB, GNU base-256 beyond (what GNU and bsdtar read). */
function writeSize(header: Buffer, size: number): void {
  if (size < 8 ** 11) {
    header.write(octal(size, 12), 124, "ascii");
    return;
  }
  header[124] = 0x80;
  let rest = BigInt(size);
  for (let index = 135; index > 124; index--) {
    header[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

function readSize(header: Buffer): number {
  if ((header[124]! & 0x80) === 0) return parseInt(header.toString("ascii", 124, 136).replace(/\0.*$/, ""), 8);
  let size = 0n;
  for (let index = 125; index < 136; index++) size = (size << 8n) | BigInt(header[index]!);
  return Number(size);
}

function entryHeader(name: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(block);
  header.write(name, 0, 100, "utf8");
  header.write(octal(mode, 8), 100, "ascii");
  header.write(octal(0, 8), 108, "ascii");
  header.write(octal(0, 8), 116, "ascii");
  writeSize(header, size);
  header.write(octal(Math.floor(Date.now() / 1000), 12), 136, "ascii");
  header.write("0", 156, "ascii");
  header.write("ustar\0" + "00", 257, "ascii");
  // The checksum is computed with its own field counted as spaces.
  header.fill(" ", 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148, "ascii");
  return header;
}

function padding(size: number): Buffer {
  return Buffer.alloc((block - (size % block)) % block);
}

/** One entry to write: bytes in memory (the manifest, a key) or a file streamed from disk. */
export type ArchiveSource = { name: string; mode?: number } & ({ bytes: Buffer } | { path: string });

/** Writes `sources` into a new tar at `target`, in order. */
export async function writeArchive(target: string, sources: ArchiveSource[]): Promise<void> {
  const output = createWriteStream(target, { mode: 0o600 });
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => output.write(chunk, (error) => (error ? reject(error) : resolve())));
  try {
    for (const source of sources) {
      const size = "bytes" in source ? source.bytes.length : (await stat(source.path)).size;
      await write(entryHeader(source.name, size, source.mode ?? 0o600));
      if ("bytes" in source) await write(source.bytes);
      else await pipeline(createReadStream(source.path), output, { end: false });
      await write(padding(size));
    }
    await write(Buffer.alloc(block * 2));
  } finally {
    await new Promise<void>((resolve) => output.end(resolve));
  }
}

/** Lists the entries of a tar (name, size, where its data starts); null when `path` is not a tar. */
export async function listArchive(path: string): Promise<ArchiveEntry[] | null> {
  const file = await open(path, "r");
  try {
    const entries: ArchiveEntry[] = [];
    const { size: fileSize } = await file.stat();
    let position = 0;
    const header = Buffer.alloc(block);
    while (position + block <= fileSize) {
      await file.read(header, 0, block, position);
      if (header.every((byte) => byte === 0)) return entries;
      if (header.toString("ascii", 257, 262) !== "ustar") return null;
      const name = header.toString("utf8", 0, 100).replace(/\0.*$/s, "");
      const size = readSize(header);
      if (!Number.isSafeInteger(size) || position + block + size > fileSize) return null;
      entries.push({ name, size, offset: position + block });
      position += block + Math.ceil(size / block) * block;
    }
    return entries.length > 0 ? entries : null;
  } finally {
    await file.close();
  }
}

/** Reads a small entry (the manifest, a key) into memory. */
export async function readEntry(path: string, entry: ArchiveEntry): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const bytes = Buffer.alloc(entry.size);
    await file.read(bytes, 0, entry.size, entry.offset);
    return bytes;
  } finally {
    await file.close();
  }
}

/** Copies an entry's data out of the archive into its own file. */
export async function extractEntry(path: string, entry: ArchiveEntry, target: string): Promise<void> {
  if (entry.size === 0) {
    await writeFile(target, "", { mode: 0o600 });
    return;
  }
  const input = createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1 });
  await pipeline(input, createWriteStream(target, { mode: 0o600 }));
}
