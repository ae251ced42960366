-- Bulk actions (records.bulk*.ts): one row per operation, with its progress and result, and one
-- row per changed record with the values it had before, so the operation can be undone for 24 hours.
CREATE TABLE "bulk_operations" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"resource" text NOT NULL,
	"action" text NOT NULL,
	"request" jsonb NOT NULL,
	"status" text NOT NULL,
	"matched" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"refused_count" integer DEFAULT 0 NOT NULL,
	"refused" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cursor" uuid,
	"error" text,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"undone_at" timestamp with time zone,
	CONSTRAINT "bulk_operations_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "bulk_operation_records" (
	"workspace_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"before" jsonb NOT NULL,
	"version_after" integer NOT NULL,
	CONSTRAINT "bulk_operation_records_pk" PRIMARY KEY("workspace_id","operation_id","record_id")
);
--> statement-breakpoint
ALTER TABLE "bulk_operation_records" ADD CONSTRAINT "bulk_operation_records_operation_fk" FOREIGN KEY ("workspace_id","operation_id") REFERENCES "public"."bulk_operations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The list is newest first by id (UUIDv7): the primary key serves a workspace's list, this index
-- an agent's own operations.
CREATE INDEX "bulk_operations_list_idx" ON "bulk_operations" USING btree ("workspace_id","created_by","id");
--> statement-breakpoint
-- The daily prune finds old operations across workspaces by age.
CREATE INDEX "bulk_operations_created_at_idx" ON "bulk_operations" USING btree ("created_at");
--> statement-breakpoint
SELECT keel_secure_tenant_table('bulk_operations');
--> statement-breakpoint
SELECT keel_secure_tenant_table('bulk_operation_records');
