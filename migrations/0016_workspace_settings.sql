CREATE TABLE "workspace_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"date_format" text DEFAULT 'auto' NOT NULL,
	"number_format" text DEFAULT 'auto' NOT NULL,
	"fiscal_year_start_month" smallint DEFAULT 1 NOT NULL,
	"lead_lost_reasons" text[] DEFAULT '{}' NOT NULL,
	"deal_lost_reasons" text[] DEFAULT '{}' NOT NULL,
	"require_deal_lost_reason" boolean DEFAULT false NOT NULL,
	"activity_types" jsonb DEFAULT '[{"key":"call","label":"Call"},{"key":"email","label":"E-mail"},{"key":"meeting","label":"Meeting"},{"key":"note","label":"Note"}]'::jsonb NOT NULL,
	"default_phone_country" char(2),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deals" ADD COLUMN "lost_reason" text;--> statement-breakpoint
ALTER TABLE "workspace_settings" ADD CONSTRAINT "workspace_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;