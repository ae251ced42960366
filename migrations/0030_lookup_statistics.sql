-- Statistics on the lower-cased natural keys that imports, duplicate checks and sign-in look
-- records up by. ANALYZE gathers statistics for an index's expressions only when the index is not
-- partial, and the unique e-mail and company-name indexes are (live rows only): without these the
-- planner guesses how many rows a `lower(email) in (…)` matches and, in a large workspace, reads
-- every contact instead of probing the index, once per batch of an import.
CREATE STATISTICS IF NOT EXISTS "contacts_email_lower_stats" ON (lower("email")) FROM "contacts";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "companies_name_lower_stats" ON (lower("name")) FROM "companies";--> statement-breakpoint
ANALYZE "contacts", "companies";
