-- Inserted activities refresh their records' last activity per statement, unless the
-- transaction set keel.defer_last_activity (SET LOCAL), which only `keel seed` does: it then sets
-- last activity of the whole workspace in one grouped pass per link (modules/seed/large.seed.ts).
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
    -- A bulk load that sets last activity itself once it is done, in one grouped pass per link
    -- (`keel seed` of a large workspace), defers the refresh for its transaction. Refreshed per
    -- statement, chunks loaded side by side waited on each other's locks on the same records, and
    -- every chunk rewrote records the chunks before it had written: a million contacts' three
    -- million activities slowed from 40 s to over 90 s per 100,000.
    IF current_setting('keel.defer_last_activity', true) = 'on' THEN
      RETURN NULL;
    END IF;
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
