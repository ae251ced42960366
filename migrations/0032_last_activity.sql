-- Last activity: every contact, company, lead and deal keeps the latest occurred_at of the live
-- (not deleted) activities linked to it, so its lists sort by it through an index like any other
-- column. The value is derived, not a user's edit: triggers on activities keep it true in the
-- transaction of every change (create, a new occurred time, delete and restore, a link moved by an
-- edit or a merge, bulk actions, imports, SQL by hand) without touching the record's version,
-- updated_at or events. SECURITY INVOKER (the default): the records an activity links to are of
-- its own workspace (composite foreign keys), which is all row-level security lets keel_app update.
ALTER TABLE "contacts" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint

-- Sets last_activity_at of the records that `workspace_ids` and the four link arrays (one entry per
-- activity row touched, nulls where it has no such link) name, from their live activities: after
-- a delete, a restore, a new time or a moved link, when the value may go down. Each record is one
-- backward step of its timeline index (activities_workspace_id_<link>_occurred_at_idx: the
-- subquery is written in its order and with its predicate), and a record whose value is already
-- right is not written.
--
-- Both paths first lock the records they may write in one order (workspace, id): two statements
-- touching the same records (two imports, two bulk actions, a seed's parallel batches) then wait
-- for each other instead of deadlocking over rows locked in their join plans' orders.
CREATE OR REPLACE FUNCTION keel_refresh_last_activity(
  workspace_ids uuid[], contact_ids uuid[], company_ids uuid[], lead_ids uuid[], deal_ids uuid[]
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM contacts AS r
  WHERE (r.workspace_id, r.id) IN (SELECT w, i FROM unnest(workspace_ids, contact_ids) AS u(w, i) WHERE i IS NOT NULL)
  ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
  UPDATE contacts AS r SET last_activity_at = latest.at
  FROM (SELECT t.workspace_id, t.id,
          (SELECT a.occurred_at FROM activities a
           WHERE a.workspace_id = t.workspace_id AND a.contact_id IS NOT NULL AND a.contact_id = t.id
             AND a.deleted_at IS NULL
           ORDER BY a.occurred_at DESC LIMIT 1) AS at
        FROM (SELECT DISTINCT w, i FROM unnest(workspace_ids, contact_ids) AS u(w, i) WHERE i IS NOT NULL)
          AS t(workspace_id, id)) AS latest
  WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id AND r.last_activity_at IS DISTINCT FROM latest.at;

  PERFORM 1 FROM companies AS r
  WHERE (r.workspace_id, r.id) IN (SELECT w, i FROM unnest(workspace_ids, company_ids) AS u(w, i) WHERE i IS NOT NULL)
  ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
  UPDATE companies AS r SET last_activity_at = latest.at
  FROM (SELECT t.workspace_id, t.id,
          (SELECT a.occurred_at FROM activities a
           WHERE a.workspace_id = t.workspace_id AND a.company_id IS NOT NULL AND a.company_id = t.id
             AND a.deleted_at IS NULL
           ORDER BY a.occurred_at DESC LIMIT 1) AS at
        FROM (SELECT DISTINCT w, i FROM unnest(workspace_ids, company_ids) AS u(w, i) WHERE i IS NOT NULL)
          AS t(workspace_id, id)) AS latest
  WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id AND r.last_activity_at IS DISTINCT FROM latest.at;

  PERFORM 1 FROM leads AS r
  WHERE (r.workspace_id, r.id) IN (SELECT w, i FROM unnest(workspace_ids, lead_ids) AS u(w, i) WHERE i IS NOT NULL)
  ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
  UPDATE leads AS r SET last_activity_at = latest.at
  FROM (SELECT t.workspace_id, t.id,
          (SELECT a.occurred_at FROM activities a
           WHERE a.workspace_id = t.workspace_id AND a.lead_id IS NOT NULL AND a.lead_id = t.id
             AND a.deleted_at IS NULL
           ORDER BY a.occurred_at DESC LIMIT 1) AS at
        FROM (SELECT DISTINCT w, i FROM unnest(workspace_ids, lead_ids) AS u(w, i) WHERE i IS NOT NULL)
          AS t(workspace_id, id)) AS latest
  WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id AND r.last_activity_at IS DISTINCT FROM latest.at;

  PERFORM 1 FROM deals AS r
  WHERE (r.workspace_id, r.id) IN (SELECT w, i FROM unnest(workspace_ids, deal_ids) AS u(w, i) WHERE i IS NOT NULL)
  ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
  UPDATE deals AS r SET last_activity_at = latest.at
  FROM (SELECT t.workspace_id, t.id,
          (SELECT a.occurred_at FROM activities a
           WHERE a.workspace_id = t.workspace_id AND a.deal_id IS NOT NULL AND a.deal_id = t.id
             AND a.deleted_at IS NULL
           ORDER BY a.occurred_at DESC LIMIT 1) AS at
        FROM (SELECT DISTINCT w, i FROM unnest(workspace_ids, deal_ids) AS u(w, i) WHERE i IS NOT NULL)
          AS t(workspace_id, id)) AS latest
  WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id AND r.last_activity_at IS DISTINCT FROM latest.at;
END $$;
--> statement-breakpoint

-- The statement's touched activities, once per statement (a bulk delete or an import batch is one
-- set-based refresh, not one per row): inserted and deleted rows, and updated rows whose time,
-- liveness or links changed, with their links before and after (a link moved by an edit or a
-- merge changes two records). Other edits (a subject, a body) refresh nothing.
CREATE OR REPLACE FUNCTION keel_activities_refresh_last_activity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  workspace_ids uuid[];
  contact_ids uuid[];
  company_ids uuid[];
  lead_ids uuid[];
  deal_ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- New activities can only move a record's last activity later: it is raised from the
    -- inserted rows alone, without reading the record's other activities (an import or a seed of
    -- millions of activities costs one grouped pass over each batch, whatever the statistics).
    PERFORM 1 FROM contacts AS r
    WHERE (r.workspace_id, r.id) IN (SELECT workspace_id, contact_id FROM activities_after
                                     WHERE contact_id IS NOT NULL AND deleted_at IS NULL)
    ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
    UPDATE contacts AS r SET last_activity_at = n.at
    FROM (SELECT workspace_id, contact_id AS id, max(occurred_at) AS at FROM activities_after
          WHERE contact_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, contact_id) AS n
    WHERE r.workspace_id = n.workspace_id AND r.id = n.id AND (r.last_activity_at IS NULL OR r.last_activity_at < n.at);
    PERFORM 1 FROM companies AS r
    WHERE (r.workspace_id, r.id) IN (SELECT workspace_id, company_id FROM activities_after
                                     WHERE company_id IS NOT NULL AND deleted_at IS NULL)
    ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
    UPDATE companies AS r SET last_activity_at = n.at
    FROM (SELECT workspace_id, company_id AS id, max(occurred_at) AS at FROM activities_after
          WHERE company_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, company_id) AS n
    WHERE r.workspace_id = n.workspace_id AND r.id = n.id AND (r.last_activity_at IS NULL OR r.last_activity_at < n.at);
    PERFORM 1 FROM leads AS r
    WHERE (r.workspace_id, r.id) IN (SELECT workspace_id, lead_id FROM activities_after
                                     WHERE lead_id IS NOT NULL AND deleted_at IS NULL)
    ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
    UPDATE leads AS r SET last_activity_at = n.at
    FROM (SELECT workspace_id, lead_id AS id, max(occurred_at) AS at FROM activities_after
          WHERE lead_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, lead_id) AS n
    WHERE r.workspace_id = n.workspace_id AND r.id = n.id AND (r.last_activity_at IS NULL OR r.last_activity_at < n.at);
    PERFORM 1 FROM deals AS r
    WHERE (r.workspace_id, r.id) IN (SELECT workspace_id, deal_id FROM activities_after
                                     WHERE deal_id IS NOT NULL AND deleted_at IS NULL)
    ORDER BY r.workspace_id, r.id FOR NO KEY UPDATE;
    UPDATE deals AS r SET last_activity_at = n.at
    FROM (SELECT workspace_id, deal_id AS id, max(occurred_at) AS at FROM activities_after
          WHERE deal_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, deal_id) AS n
    WHERE r.workspace_id = n.workspace_id AND r.id = n.id AND (r.last_activity_at IS NULL OR r.last_activity_at < n.at);
    RETURN NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(workspace_id), array_agg(contact_id), array_agg(company_id), array_agg(lead_id), array_agg(deal_id)
      INTO workspace_ids, contact_ids, company_ids, lead_ids, deal_ids
      FROM activities_before WHERE deleted_at IS NULL;
  ELSE
    SELECT array_agg(x.workspace_id), array_agg(x.contact_id), array_agg(x.company_id), array_agg(x.lead_id),
           array_agg(x.deal_id)
      INTO workspace_ids, contact_ids, company_ids, lead_ids, deal_ids
      FROM activities_before o
      JOIN activities_after n ON n.workspace_id = o.workspace_id AND n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.workspace_id, o.contact_id, o.company_id, o.lead_id, o.deal_id),
                                 (n.workspace_id, n.contact_id, n.company_id, n.lead_id, n.deal_id))
        AS x(workspace_id, contact_id, company_id, lead_id, deal_id)
      WHERE (o.occurred_at, o.deleted_at IS NULL, o.contact_id, o.company_id, o.lead_id, o.deal_id)
        IS DISTINCT FROM (n.occurred_at, n.deleted_at IS NULL, n.contact_id, n.company_id, n.lead_id, n.deal_id);
  END IF;
  IF workspace_ids IS NOT NULL THEN
    PERFORM keel_refresh_last_activity(workspace_ids, contact_ids, company_ids, lead_ids, deal_ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- Three triggers: PostgreSQL gives transition tables only to a trigger of one event. Created before
-- the backfill, so no activity written meanwhile is missed (they also lock activities until commit).
CREATE TRIGGER activities_last_activity_after_insert AFTER INSERT ON activities
REFERENCING NEW TABLE AS activities_after
FOR EACH STATEMENT EXECUTE FUNCTION keel_activities_refresh_last_activity();
--> statement-breakpoint
CREATE TRIGGER activities_last_activity_after_update AFTER UPDATE ON activities
REFERENCING OLD TABLE AS activities_before NEW TABLE AS activities_after
FOR EACH STATEMENT EXECUTE FUNCTION keel_activities_refresh_last_activity();
--> statement-breakpoint
CREATE TRIGGER activities_last_activity_after_delete AFTER DELETE ON activities
REFERENCING OLD TABLE AS activities_before
FOR EACH STATEMENT EXECUTE FUNCTION keel_activities_refresh_last_activity();
--> statement-breakpoint

-- The existing activities: one grouped pass per link, before the indexes exist (no index upkeep
-- while every record with activities is written once).
UPDATE "contacts" AS r SET "last_activity_at" = latest.at
FROM (SELECT workspace_id, contact_id AS id, max(occurred_at) AS at FROM activities
      WHERE contact_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, contact_id) AS latest
WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id;--> statement-breakpoint
UPDATE "companies" AS r SET "last_activity_at" = latest.at
FROM (SELECT workspace_id, company_id AS id, max(occurred_at) AS at FROM activities
      WHERE company_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, company_id) AS latest
WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id;--> statement-breakpoint
UPDATE "leads" AS r SET "last_activity_at" = latest.at
FROM (SELECT workspace_id, lead_id AS id, max(occurred_at) AS at FROM activities
      WHERE lead_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, lead_id) AS latest
WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id;--> statement-breakpoint
UPDATE "deals" AS r SET "last_activity_at" = latest.at
FROM (SELECT workspace_id, deal_id AS id, max(occurred_at) AS at FROM activities
      WHERE deal_id IS NOT NULL AND deleted_at IS NULL GROUP BY workspace_id, deal_id) AS latest
WHERE r.workspace_id = latest.workspace_id AND r.id = latest.id;--> statement-breakpoint

-- Sorts by last activity read index ranges, like every sortable column (keyset.ts). The key is
-- never null: records without an activity end a newest-first list instead of heading it.
CREATE INDEX "contacts_workspace_id_last_activity_id_idx" ON "contacts" USING btree ("workspace_id",coalesce("last_activity_at", '-infinity'::timestamptz),"id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "companies_workspace_id_last_activity_id_idx" ON "companies" USING btree ("workspace_id",coalesce("last_activity_at", '-infinity'::timestamptz),"id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_id_last_activity_id_idx" ON "leads" USING btree ("workspace_id",coalesce("last_activity_at", '-infinity'::timestamptz),"id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "deals_workspace_id_last_activity_id_idx" ON "deals" USING btree ("workspace_id",coalesce("last_activity_at", '-infinity'::timestamptz),"id") WHERE deleted_at is null;
