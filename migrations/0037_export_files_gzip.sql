-- Export files are stored gzip-compressed (text formats) or already zipped (XLSX): PostgreSQL's
-- own compression of their slices would spend CPU to gain nothing.
ALTER TABLE "export_files" ADD COLUMN "content_encoding" text DEFAULT 'identity' NOT NULL;--> statement-breakpoint
ALTER TABLE "export_files" ADD COLUMN "stored_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "export_file_chunks" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
