CREATE TABLE "saved_views" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"resource" text NOT NULL,
	"visibility" text DEFAULT 'private' NOT NULL,
	"owner_id" uuid NOT NULL,
	"filters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort" text,
	"columns" text[] DEFAULT '{}'::text[] NOT NULL,
	"q" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."memberships"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_workspace_id_owner_id_resource_name_idx" ON "saved_views" USING btree ("workspace_id","owner_id","resource",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_workspace_id_resource_shared_name_idx" ON "saved_views" USING btree ("workspace_id","resource",lower("name")) WHERE visibility = 'shared';--> statement-breakpoint
CREATE INDEX "saved_views_workspace_id_name_id_idx" ON "saved_views" USING btree ("workspace_id","name","id");--> statement-breakpoint
CREATE INDEX "saved_views_workspace_id_updated_at_id_idx" ON "saved_views" USING btree ("workspace_id","updated_at","id");