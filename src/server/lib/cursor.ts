/** Keyset cursors: the sort they belong to and the last row's sort-key values, as opaque text. */
export type CursorPayload = { sort: string; values: (string | null)[] };

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify([payload.sort, payload.values]), "utf8").toString("base64url");
}

/** Decodes a cursor; returns null for anything malformed (the caller answers 400). */
export function decodeCursor(cursor: string): CursorPayload | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(decoded) || decoded.length !== 2) return null;
    const [sort, values] = decoded as [unknown, unknown];
    if (typeof sort !== "string" || !Array.isArray(values)) return null;
    // NUL cannot be PostgreSQL text: a forged cursor holding one is as malformed as any other.
    if (!values.every((v) => v === null || (typeof v === "string" && !v.includes("\u0000")))) return null;
    return { sort, values: values as (string | null)[] };
  } catch {
    return null;
  }
}
