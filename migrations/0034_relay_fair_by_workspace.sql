-- The events relay shares each batch between the workspaces with events waiting (outbox.jobs.ts
-- nextBatch): it finds them, and each one's oldest, through this index.
CREATE INDEX "outbox_events_unpublished_by_workspace_idx" ON "outbox_events" USING btree ("workspace_id","seq") WHERE published_at is null;