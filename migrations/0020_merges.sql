-- Duplicates and merge (docs/duplicates-and-merge.md). A merged contact or company is soft-deleted
-- with a pointer to the record it was merged into, so a client holding its id can follow it.
ALTER TABLE "contacts" ADD COLUMN "merged_into_id" uuid;
--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "merged_into_id" uuid;
--> statement-breakpoint
-- What a merge changed, so it can be undone exactly: the survivor's values before, the rows moved
-- from the merged records (and their previous parent), the merged ids and the versions the merge
-- left, which an undo compares to refuse when a touched record changed since.
CREATE TABLE "merges" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"resource" text NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_ids" uuid[] NOT NULL,
	"fields" jsonb NOT NULL,
	"undo" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" uuid,
	CONSTRAINT "merges_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "merges_resource_check" CHECK ("resource" IN ('contact', 'company'))
);
--> statement-breakpoint
ALTER TABLE "merges" ADD CONSTRAINT "merges_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "merges_workspace_id_survivor_id_idx" ON "merges" USING btree ("workspace_id","survivor_id");
--> statement-breakpoint
SELECT keel_secure_tenant_table('merges');
--> statement-breakpoint
-- Duplicate detection. Exact e-mail and contact phone use the existing unique indexes
-- (contacts_workspace_id_email_lower_idx, contacts_workspace_id_phone_idx), company domains
-- companies_workspace_id_domain_idx; company phones and similar names get their own.
CREATE INDEX "companies_workspace_id_phone_live_idx" ON "companies" USING btree ("workspace_id","phone") WHERE deleted_at IS NULL AND phone IS NOT NULL;
--> statement-breakpoint
-- Similar names are compared within a block (the first three letters of a contact's last name,
-- or first name without one; of a company's name), each record with its nearest block neighbours
-- by id: this index serves both the block and the id order (docs/duplicates-and-merge.md).
CREATE INDEX "contacts_name_block_idx" ON "contacts" USING btree ("workspace_id",(lower(left(CASE WHEN last_name = '' THEN first_name ELSE last_name END, 3))),"id") WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE INDEX "companies_name_block_idx" ON "companies" USING btree ("workspace_id",(lower(left(name, 3))),"id") WHERE deleted_at IS NULL;
--> statement-breakpoint
-- Under row-level security an index on an expression serves keel_app only when the expression's
-- functions are LEAKPROOF (as 0002 does for search): lower() and left() raise no error that depends
-- on row data. (COALESCE counts as leaky for the planner, hence the CASE in the block.) Without a superuser the block index is not used and detection by name is slower.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.lower(text) LEAKPROOF;
    ALTER FUNCTION pg_catalog."left"(text, integer) LEAKPROOF;
  ELSE
    RAISE NOTICE 'lower and left not marked LEAKPROOF (needs a superuser): duplicate detection by name is slower';
  END IF;
END $$;
