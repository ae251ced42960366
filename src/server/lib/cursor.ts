import { invalidField } from "./errors.ts";
import { isUuid } from "./ids.ts";

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

/**
 * Lists whose keyset is the id alone, newest first: ids are UUIDv7, so their order is the order
 * of creation (sign-in history, invitations). The cursor is the last id of the previous page.
 */
const newestFirstSort = "-id";

/** The id a newest-first page starts after, from its cursor; 400 naming `cursor` for a malformed one. */
export function newestFirstAfter(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor);
  const id = decoded?.sort === newestFirstSort ? decoded.values[0] : undefined;
  if (typeof id !== "string" || !isUuid(id)) throw invalidField("cursor", "Not a cursor of this list");
  return id;
}

/** A newest-first page from up to `limit + 1` rows: the extra row only tells that more follow. */
export function newestFirstPage<T extends { id: string }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ sort: newestFirstSort, values: [last.id] }) : null;
  return { data, nextCursor };
}
