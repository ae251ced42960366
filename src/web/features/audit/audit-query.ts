import { AuditLogQuerySchema } from "../../../shared/schemas/audit.ts";
import { t } from "../../i18n/i18n.ts";
import type { AuditFilters } from "./audit.api.ts";
import type { AuditSearch } from "./audit-search.ts";

/** What is wrong with a filter, by the name of its field in the URL. */
export type AuditFilterErrors = Partial<Record<keyof AuditSearch, string>>;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** The first instant of a calendar day in the reader's time zone, `days` later; unreadable text unchanged. */
function startOfDay(day: string, days = 0): string {
  if (!dayPattern.test(day)) return day;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date + days);
  return Number.isNaN(start.getTime()) ? day : start.toISOString();
}

/**
 * The API query of the page's filters, checked with the API's own schema before anything is sent:
 * a resource id that is no UUID, or a day that is no date, comes back as an error of that filter.
 * `to` is the last day shown, so the query asks for entries before the start of the next day.
 */
export function auditQueryOf(
  search: AuditSearch,
): { isValid: true; filters: AuditFilters } | { isValid: false; errors: AuditFilterErrors } {
  const filters: AuditFilters = {
    actorId: search.actorId,
    actorType: search.actorType,
    resourceType: search.resourceType,
    resourceId: search.resourceId,
    action: search.action,
    from: search.from === undefined ? undefined : startOfDay(search.from),
    to: search.to === undefined ? undefined : startOfDay(search.to, 1),
  };
  const errors: AuditFilterErrors = {};
  const parsed = AuditLogQuerySchema.safeParse(filters);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof AuditSearch;
      const isDay = field === "from" || field === "to";
      errors[field] ??= isDay ? t("audit.filters.mustBeDate") : issue.message;
    }
  }
  if (search.from && search.to && dayPattern.test(search.from) && search.from > search.to) {
    errors.to ??= t("audit.filters.notBeforeFrom");
  }
  if (Object.keys(errors).length > 0) return { isValid: false, errors };
  // Undefined filters stay out of the query key, so equal filters share a cache entry.
  const defined = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
  return { isValid: true, filters: defined as AuditFilters };
}
