-- Tenant isolation in the database itself, under the application's own scoping.
--
-- Every tenant transaction runs `SET LOCAL ROLE keel_app` and sets the transaction-local
-- `app.workspace_id`. keel_app is neither a superuser nor a table owner, so the restrictive
-- policy below always applies to it: it sees and writes only the rows of that workspace, and
-- nothing at all without a workspace. The connecting role (migrations, sign-in lookups, jobs)
-- keeps full access through the permissive policy.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keel_app') THEN
    CREATE ROLE keel_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  -- The connecting role must be allowed to switch to keel_app (superusers always are).
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'keel_app', 'MEMBER') THEN
    EXECUTE format('GRANT keel_app TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint

-- Enables, forces and scopes row-level security on one tenant table. Later migrations call it
-- for every new table that has a workspace_id.
CREATE OR REPLACE FUNCTION keel_secure_tenant_table(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO keel_app', target);
  EXECUTE format(
    'CREATE POLICY %I ON %s AS PERMISSIVE FOR ALL TO PUBLIC USING (true) WITH CHECK (true)',
    table_name || '_rows', target);
  EXECUTE format(
    'CREATE POLICY %I ON %s AS RESTRICTIVE FOR ALL TO keel_app '
    'USING (workspace_id = nullif(current_setting(''app.workspace_id'', true), '''')::uuid) '
    'WITH CHECK (workspace_id = nullif(current_setting(''app.workspace_id'', true), '''')::uuid)',
    table_name || '_workspace_isolation', target);
END $$;
--> statement-breakpoint

GRANT USAGE ON SCHEMA public TO keel_app;
--> statement-breakpoint
-- Global tables: keel_app reads what records show (a user's name and e-mail, the workspace), never
-- password hashes or sessions.
GRANT SELECT (id, email, name, email_verified_at, disabled_at, created_at, updated_at) ON users TO keel_app;
--> statement-breakpoint
GRANT SELECT, UPDATE (name, base_currency, updated_at) ON workspaces TO keel_app;
--> statement-breakpoint
SELECT keel_secure_tenant_table('memberships');
--> statement-breakpoint
SELECT keel_secure_tenant_table('companies');
--> statement-breakpoint
SELECT keel_secure_tenant_table('contacts');
--> statement-breakpoint
SELECT keel_secure_tenant_table('leads');
--> statement-breakpoint
SELECT keel_secure_tenant_table('lead_contacts');
--> statement-breakpoint
SELECT keel_secure_tenant_table('lead_status_changes');
--> statement-breakpoint
SELECT keel_secure_tenant_table('pipelines');
--> statement-breakpoint
SELECT keel_secure_tenant_table('pipeline_stages');
--> statement-breakpoint
SELECT keel_secure_tenant_table('deals');
--> statement-breakpoint
SELECT keel_secure_tenant_table('activities');
--> statement-breakpoint
SELECT keel_secure_tenant_table('tasks');
--> statement-breakpoint
SELECT keel_secure_tenant_table('task_dependencies');
--> statement-breakpoint
SELECT keel_secure_tenant_table('idempotency_keys');
--> statement-breakpoint
SELECT keel_secure_tenant_table('outbox_events');
--> statement-breakpoint

-- UUIDv7 in SQL (PostgreSQL 15 has no uuidv7()), for bulk seeds: 48-bit milliseconds, then random.
CREATE OR REPLACE FUNCTION keel_uuid_v7(at timestamptz DEFAULT clock_timestamp()) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
