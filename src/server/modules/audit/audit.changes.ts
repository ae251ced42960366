import type { FieldChanges } from "../../../shared/schemas/audit.ts";

/** Fields every record has that say nothing about what a user changed. */
const bookkeeping = new Set(["id", "version", "createdAt", "updatedAt", "createdBy", "deletedAt", "workspaceId"]);

/** Names whose values never enter the log: only that they changed. */
const secretName = /password|secret|token|hash|apikey|privatekey/i;
export const masked = "[masked]";

/** A value as JSON would carry it: dates as ISO strings, undefined as null. */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return JSON.parse(JSON.stringify(value)) as unknown;
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
  for (const field of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (bookkeeping.has(field)) continue;
    const from = plain(old[field]);
    const to = plain(now[field]);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (before === null && to === null) continue;
    changes[field] = secretName.test(field) ? [masked, masked] : [from, to];
  }
  return changes;
}

/** Masks secret-looking keys of free-form details (settings changes, sign-in facts). */
export function maskSecrets(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => [key, secretName.test(key) ? masked : plain(value)]),
  );
}
