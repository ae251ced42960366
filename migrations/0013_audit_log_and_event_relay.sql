CREATE TABLE "audit_chain_heads" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"on_behalf_of" uuid,
	"action" text NOT NULL,
	"resource_type" text,
	"resource_id" uuid,
	"changes" jsonb,
	"details" jsonb,
	"ip_address" text,
	"user_agent" text,
	"request_id" text,
	"xact_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"chain_seq" bigint,
	"hash" text,
	CONSTRAINT "audit_logs_workspace_id_occurred_at_id_pk" PRIMARY KEY("workspace_id","occurred_at","id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
DROP INDEX "outbox_events_unpublished_idx";--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "outbox_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "xact_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_logs_resource_idx" ON "audit_logs" USING btree ("workspace_id","resource_type","resource_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_logs_actor_idx" ON "audit_logs" USING btree ("workspace_id","actor_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_logs_action_idx" ON "audit_logs" USING btree ("workspace_id","action","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_logs_chain_idx" ON "audit_logs" USING btree ("workspace_id","chain_seq");--> statement-breakpoint
CREATE INDEX "audit_logs_unsealed_idx" ON "audit_logs" USING btree ("occurred_at") WHERE hash is null;--> statement-breakpoint
CREATE INDEX "outbox_events_published_at_idx" ON "outbox_events" USING btree ("published_at") WHERE published_at is not null;--> statement-breakpoint
CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events" USING btree ("seq") WHERE published_at is null;
--> statement-breakpoint

-- Events written before the relay existed were never meant for delivery.
UPDATE "outbox_events" SET "published_at" = now() WHERE "published_at" IS NULL;
--> statement-breakpoint

-- The audit log is partitioned by month. Partitions are created ahead by keel_audit_partitions
-- (here, and by the sealer every day); the default partition only catches what would otherwise fail.
CREATE OR REPLACE FUNCTION keel_audit_partitions(months_ahead integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  month date := date_trunc('month', now())::date;
  name text;
BEGIN
  FOR i IN 0..months_ahead LOOP
    name := 'audit_logs_' || to_char(month, 'YYYY_MM');
    IF to_regclass(name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF audit_logs FOR VALUES FROM (%L) TO (%L)',
        name, month, (month + interval '1 month')::date);
      EXECUTE format('CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON %I '
        'FOR EACH STATEMENT EXECUTE FUNCTION keel_audit_logs_append_only()', name);
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
END $$;
--> statement-breakpoint

-- Append-only: UPDATE, DELETE and TRUNCATE are refused to every role but the table's owner (the
-- sealer runs as the owner to write chain_seq and hash; anything else it changed, the chain shows).
CREATE OR REPLACE FUNCTION keel_audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_logs'::regclass), 'USAGE') THEN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = '42501';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION keel_audit_logs_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION keel_audit_logs_append_only();
--> statement-breakpoint
CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;
--> statement-breakpoint
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs_default
  FOR EACH STATEMENT EXECUTE FUNCTION keel_audit_logs_append_only();
--> statement-breakpoint
SELECT keel_audit_partitions(2);
--> statement-breakpoint

-- keel_app writes and reads its workspace's entries, and can never change one.
SELECT keel_secure_tenant_table('audit_logs');
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM keel_app;
--> statement-breakpoint
-- The outbox is written by changes and read by the relay (the owner role); the app never rewrites it.
REVOKE UPDATE, DELETE, TRUNCATE ON outbox_events FROM keel_app;
--> statement-breakpoint
-- Chain heads are the sealer's alone (secured like every tenant table, then closed to keel_app).
SELECT keel_secure_tenant_table('audit_chain_heads');
--> statement-breakpoint
REVOKE ALL ON audit_chain_heads FROM keel_app;
