CREATE TABLE "audit_seal_progress" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"xact_id" "xid8" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"entry_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_seals" (
	"workspace_id" uuid NOT NULL,
	"chain_seq" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"entry_id" uuid NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_seals_workspace_id_chain_seq_pk" PRIMARY KEY("workspace_id","chain_seq")
);
--> statement-breakpoint
-- Chains sealed before this version move to audit_seals; the sealer then reads the log from the
-- start in its new order, skipping what is sealed already, and audit rows are never updated again.
INSERT INTO "audit_seals" ("workspace_id", "chain_seq", "occurred_at", "entry_id", "hash")
  SELECT "workspace_id", "chain_seq", "occurred_at", "id", "hash" FROM "audit_logs" WHERE "hash" IS NOT NULL;
--> statement-breakpoint
INSERT INTO "audit_seal_progress" ("xact_id", "occurred_at", "entry_id")
  VALUES ('0', '-infinity', '00000000-0000-0000-0000-000000000000');
--> statement-breakpoint
-- keel_app reads which entries are sealed (its workspace's only); only the sealer (the owner) writes.
SELECT keel_secure_tenant_table('audit_seals');
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "audit_seals" FROM keel_app;
--> statement-breakpoint
REVOKE ALL ON "audit_seal_progress" FROM keel_app;
--> statement-breakpoint
DROP INDEX "audit_logs_chain_idx";--> statement-breakpoint
DROP INDEX "audit_logs_unsealed_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seals_entry_idx" ON "audit_seals" USING btree ("workspace_id","occurred_at","entry_id");--> statement-breakpoint
CREATE INDEX "companies_workspace_id_owner_id_id_idx" ON "companies" USING btree ("workspace_id","owner_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "companies_workspace_id_employee_count_id_idx" ON "companies" USING btree ("workspace_id","employee_count","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_workspace_id_owner_id_id_idx" ON "contacts" USING btree ("workspace_id","owner_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_workspace_id_lifecycle_id_idx" ON "contacts" USING btree ("workspace_id","lifecycle","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_id_owner_id_id_idx" ON "leads" USING btree ("workspace_id","owner_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_id_title_id_idx" ON "leads" USING btree ("workspace_id","title","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_id_status_id_idx" ON "leads" USING btree ("workspace_id","status","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_id_priority_id_idx" ON "leads" USING btree ("workspace_id","priority","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_id_estimated_value_id_idx" ON "leads" USING btree ("workspace_id","estimated_value","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "deals_workspace_id_owner_id_id_idx" ON "deals" USING btree ("workspace_id","owner_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "deals_workspace_id_name_id_idx" ON "deals" USING btree ("workspace_id","name","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "deals_workspace_id_value_id_idx" ON "deals" USING btree ("workspace_id","value","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "deals_workspace_id_stage_id_id_idx" ON "deals" USING btree ("workspace_id","stage_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "deals_workspace_id_expected_close_date_id_idx" ON "deals" USING btree ("workspace_id","expected_close_date","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_workspace_id_assignee_id_id_idx" ON "tasks" USING btree ("workspace_id","assignee_id","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_workspace_id_title_id_idx" ON "tasks" USING btree ("workspace_id","title","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_workspace_id_status_id_idx" ON "tasks" USING btree ("workspace_id","status","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_workspace_id_priority_id_idx" ON "tasks" USING btree ("workspace_id","priority","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_workspace_id_completed_at_due_at_id_idx" ON "tasks" USING btree ("workspace_id","completed_at" DESC NULLS FIRST,"due_at","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "audit_logs_seal_order_idx" ON "audit_logs" USING btree ("xact_id","occurred_at","id");--> statement-breakpoint
ALTER TABLE "audit_logs" DROP COLUMN "chain_seq";--> statement-breakpoint
ALTER TABLE "audit_logs" DROP COLUMN "hash";