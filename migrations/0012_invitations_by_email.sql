DROP INDEX "invitations_workspace_id_created_at_idx";--> statement-breakpoint
CREATE INDEX "invitations_workspace_id_email_idx" ON "invitations" USING btree ("workspace_id","email");