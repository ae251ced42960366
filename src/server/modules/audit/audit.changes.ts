import type { FieldChanges } from "../../../shared/schemas/audit.ts";

/** Fields every record has that say nothing about what a user changed. */
const bookkeeping = new Set(["id", "version", "createdAt", "updatedAt", "createdBy", "deletedAt", "workspaceId"]);

/** Names whose values never enter the log: only that they changed. */
const secretName = /password|secret|token|hash|apikey|privatekey/i;
export const masked = "[masked]";

/** A value as JSON would carry it: dates as ISO strings, undefined as null. */
function plain(value: unknown): unknown {
  // Most fields are strings or null: only objects need the round trip through JSON.
  switch (typeof value) {
    case "undefined":
      return null;
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
  }
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Whether two plain values are the same JSON. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The field-level changes between two states of a record, `{ field: [old, new] }`: the fields
 * of `after` whose value differs from `before` (null for a new record), compared as JSON, without
 * bookkeeping fields, with secret-looking fields masked.
 */
export function fieldChanges(before: object | null, after: object | null): FieldChanges {
  const changes: FieldChanges = {};
  const old = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  const compare = (field: string) => {
    if (bookkeeping.has(field)) return;
    const from = plain(old[field]);
    const to = plain(now[field]);
    if (sameJson(from, to)) return;
    if (before === null && to === null) return;
    changes[field] = secretName.test(field) ? [masked, masked] : [from, to];
  };
  // This runs for every record a bulk action or an import writes: no merged key list per record.
  for (const field of Object.keys(old)) compare(field);
  for (const field of Object.keys(now)) if (!Object.hasOwn(old, field)) compare(field);
  return changes;
}

/** Masks secret-looking keys of free-form details (settings changes, sign-in facts). */
export function maskSecrets(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => [key, secretName.test(key) ? masked : plain(value)]),
  );
}
