/** What the upload learnt of a file by reading it once: enough to parse it later. */
export type FileFormat = {
  format: "csv" | "xlsx";
  encoding: "utf-8" | "windows-1252" | null;
  delimiter: string | null;
};

const zipMagic = [0x50, 0x4b, 0x03, 0x04];

/** XLSX is a zip file: its magic bytes decide, else the name's extension. */
export function isXlsx(fileName: string, head: Uint8Array): boolean {
  if (zipMagic.every((byte, index) => head[index] === byte)) return true;
  return /\.xlsx$/i.test(fileName) && head.length === 0;
}

/** Text files have no NUL bytes; binary files (images, old .xls) almost always do. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, 8192).includes(0);
}

/**
 * Whether every byte of a file, fed in slices, is valid UTF-8. A file that is not is read as
 * Windows-1252, what spreadsheets on Windows save as "CSV" (every byte is a character there).
 */
export class Utf8Check {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  valid = true;

  feed(bytes: Uint8Array): void {
    if (!this.valid) return;
    try {
      this.decoder.decode(bytes, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  finish(): boolean {
    this.feed(new Uint8Array(0));
    if (this.valid) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    }
    return this.valid;
  }
}

export const delimiters = [",", ";", "\t", "|"] as const;

/** Counts a delimiter in each line outside double quotes. */
function countsPerLine(text: string, delimiter: string): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === delimiter) count++;
    else if (!quoted && char === "\n") {
      counts.push(count);
      count = 0;
    }
  }
  if (count > 0) counts.push(count);
  return counts;
}

/**
 * The delimiter of a CSV file from its first lines: the candidate found on the header line that
 * splits the following lines into as many cells as the header (the same count on every line),
 * most often first. A file of one column has none: "," then.
 */
export function detectDelimiter(head: string): string {
  const lines = head.replace(/\r\n?/g, "\n");
  // The last line of the head may be cut off: only complete lines count.
  const complete = lines.includes("\n") ? lines.slice(0, lines.lastIndexOf("\n") + 1) : `${lines}\n`;
  let best: { delimiter: string; score: number } = { delimiter: ",", score: 0 };
  for (const delimiter of delimiters) {
    const counts = countsPerLine(complete, delimiter).slice(0, 20);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((count) => count === header).length;
    const score = consistent * 1000 + header;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** The text of a file's first bytes in its encoding, without a byte order mark. */
export function decodeHead(head: Uint8Array, encoding: "utf-8" | "windows-1252"): string {
  const text = new TextDecoder(encoding).decode(head);
  return text.startsWith("\ufeff") ? text.slice(1) : text;
}
