-- Imports (modules/imports): the uploaded file in chunks, the rows refused, and what each import
-- wrote, so that undo can take it back. Tenant tables: row-level security as for every other one.
CREATE TABLE "imports" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"resource" text NOT NULL,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"file_name" text NOT NULL,
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"format" text NOT NULL,
	"delimiter" text,
	"encoding" text,
	"columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"on_duplicate" text DEFAULT 'skip' NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	"dry_run" jsonb,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error_summary" text,
	CONSTRAINT "imports_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "imports_status_check" CHECK ("status" IN ('uploaded', 'validating', 'running', 'completed', 'failed', 'cancelled', 'undone')),
	CONSTRAINT "imports_format_check" CHECK ("format" IN ('csv', 'xlsx')),
	CONSTRAINT "imports_on_duplicate_check" CHECK ("on_duplicate" IN ('skip', 'update', 'create'))
);
--> statement-breakpoint
CREATE TABLE "import_chunks" (
	"workspace_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bytes" bytea NOT NULL,
	CONSTRAINT "import_chunks_workspace_id_import_id_seq_pk" PRIMARY KEY("workspace_id","import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_row_errors" (
	"workspace_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"seq" integer NOT NULL,
	"column" text,
	"message" text NOT NULL,
	"raw" jsonb NOT NULL,
	CONSTRAINT "import_row_errors_workspace_id_import_id_line_seq_pk" PRIMARY KEY("workspace_id","import_id","line","seq")
);
--> statement-breakpoint
CREATE TABLE "import_records" (
	"workspace_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"resource" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"line" integer NOT NULL,
	CONSTRAINT "import_records_workspace_id_import_id_resource_record_id_pk" PRIMARY KEY("workspace_id","import_id","resource","record_id"),
	CONSTRAINT "import_records_action_check" CHECK ("action" IN ('created', 'updated'))
);
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_created_by_fk" FOREIGN KEY ("workspace_id","created_by") REFERENCES "public"."memberships"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_import_fk" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_import_fk" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_records" ADD CONSTRAINT "import_records_import_fk" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "imports_workspace_id_created_by_id_idx" ON "imports" USING btree ("workspace_id","created_by","id");
--> statement-breakpoint
CREATE INDEX "imports_workspace_id_resource_started_at_idx" ON "imports" USING btree ("workspace_id","resource","started_at") WHERE started_at is not null;
--> statement-breakpoint
SELECT keel_secure_tenant_table('imports');
--> statement-breakpoint
SELECT keel_secure_tenant_table('import_chunks');
--> statement-breakpoint
SELECT keel_secure_tenant_table('import_row_errors');
--> statement-breakpoint
SELECT keel_secure_tenant_table('import_records');
