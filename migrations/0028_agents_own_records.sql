-- Whether agents read only their own records (Settings → Workspace); off unless turned on.
ALTER TABLE "workspace_settings" ADD COLUMN IF NOT EXISTS "agents_see_own_records_only" boolean DEFAULT false NOT NULL;
