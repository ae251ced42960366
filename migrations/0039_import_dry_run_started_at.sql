ALTER TABLE "imports" ADD COLUMN "dry_run_started_at" timestamp with time zone;--> statement-breakpoint
-- A dry run used to run inside its HTTP request: one still "validating" now has no job to end it.
UPDATE "imports" SET "status" = 'uploaded', "rows_done" = 0 WHERE "status" = 'validating';
