-- Export files (modules/exports): an export of more than 50,000 rows runs as a job and keeps its
-- file here, in slices, until it expires (24 hours); a pruning job then deletes it, so personal
-- data does not linger. In the database, so any process serves the download and both PGlite and
-- PostgreSQL keep it. Tenant tables: row-level security as for every other one.
CREATE TABLE "export_files" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"resource" text NOT NULL,
	"format" text NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"columns" text,
	"bom" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"rows_total" integer,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"file_name" text NOT NULL,
	"error_summary" text,
	"created_by" uuid NOT NULL,
	"api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "export_files_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "export_files_status_check" CHECK ("status" IN ('queued', 'running', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "export_file_chunks" (
	"workspace_id" uuid NOT NULL,
	"export_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bytes" bytea NOT NULL,
	CONSTRAINT "export_file_chunks_workspace_id_export_id_seq_pk" PRIMARY KEY("workspace_id","export_id","seq")
);
--> statement-breakpoint
ALTER TABLE "export_files" ADD CONSTRAINT "export_files_created_by_fk" FOREIGN KEY ("workspace_id","created_by") REFERENCES "public"."memberships"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "export_file_chunks" ADD CONSTRAINT "export_file_chunks_export_fk" FOREIGN KEY ("workspace_id","export_id") REFERENCES "public"."export_files"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "export_files_expires_at_idx" ON "export_files" USING btree ("expires_at");
--> statement-breakpoint
SELECT keel_secure_tenant_table('export_files');
--> statement-breakpoint
SELECT keel_secure_tenant_table('export_file_chunks');
