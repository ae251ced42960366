-- Relation filters and list presets read index ranges, like sorts: the leads of a company, the
-- lead a deal came from, a lead's deal, and "my records" on activities (their creator).
-- A lead's contacts (filter[contactId] on leads) use lead_contacts_workspace_id_contact_id_idx.
CREATE INDEX IF NOT EXISTS "leads_workspace_id_company_id_id_idx" ON "leads" USING btree ("workspace_id","company_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_workspace_id_deal_id_idx" ON "leads" USING btree ("workspace_id","deal_id") WHERE deal_id is not null and deleted_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_workspace_id_lead_id_idx" ON "deals" USING btree ("workspace_id","lead_id") WHERE lead_id is not null and deleted_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_workspace_id_created_by_occurred_at_idx" ON "activities" USING btree ("workspace_id","created_by","occurred_at","id") WHERE deleted_at is null;
