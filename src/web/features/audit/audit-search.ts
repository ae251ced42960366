import type { AuditActorType } from "../../../shared/schemas/audit.ts";

/**
 * The audit log page's filters in its URL, so a filtered view can be shared. Dates are calendar
 * days (`2026-03-01`) in the reader's time zone; `to` is the last day included.
 */
export type AuditSearch = {
  actorId?: string | undefined;
  actorType?: AuditActorType | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

// Spelled out here rather than imported: the router loads this file with the shell, without Zod.
const actorTypes = ["user", "apiKey", "system"] as const satisfies readonly AuditActorType[];

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" && value.length <= 200 ? value.trim() : undefined;

/**
 * Reads the filters of an audit log URL. Values of the wrong shape (a malformed id, a date that is
 * no date) are kept: the page shows them in the filters with what is wrong, rather than silently
 * showing everything.
 */
export function parseAuditSearch(search: Record<string, unknown>): AuditSearch {
  const actorType = actorTypes.find((type) => type === search.actorType);
  return {
    actorId: text(search.actorId),
    actorType,
    resourceType: text(search.resourceType),
    resourceId: text(search.resourceId),
    action: text(search.action),
    from: text(search.from),
    to: text(search.to),
  };
}
