-- What the dashboard reads, by index ranges instead of scans: the workspace's change marker (the
-- newest transaction id among its events, the key of its cached figures), the caller's own tasks,
-- the pipeline's sums per stage and currency and the open deals' per currency (covering: value and
-- probability come from the index), and activities by type over a period. INCLUDE is not in
-- Drizzle's index builder, so these live here only.
CREATE INDEX IF NOT EXISTS "outbox_events_workspace_id_xact_id_idx" ON "outbox_events" USING btree ("workspace_id","xact_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_workspace_id_pipeline_id_stage_id_currency_idx" ON "deals" USING btree ("workspace_id","pipeline_id","stage_id","currency") INCLUDE ("value","probability") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_workspace_id_status_currency_idx" ON "deals" USING btree ("workspace_id","status","currency") INCLUDE ("value","probability") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_workspace_id_assignee_id_status_due_at_idx" ON "tasks" USING btree ("workspace_id","assignee_id","status","due_at") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_workspace_id_occurred_at_type_idx" ON "activities" USING btree ("workspace_id","occurred_at") INCLUDE ("type") WHERE deleted_at is null;
