-- The connecting role (the owner: migrations, sign-in lookups, jobs) is a member of keel_app so that
-- it can SET ROLE to it, and row-level security applies a policy written TO keel_app to every role
-- that has keel_app's privileges. With PostgreSQL's default INHERIT, a non-superuser owner was
-- therefore held to keel_app's restrictive workspace policy and read no tenant rows outside a
-- workspace transaction (no memberships at sign-in). The membership must not pass keel_app's
-- privileges on: the owner keeps its own full access and still switches to keel_app.
-- PostgreSQL 16+ says so on the grant itself; on 15 only the role's NOINHERIT attribute can, which
-- needs CREATEROLE (as creating keel_app did) — otherwise the migration stops with what to run.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     OR NOT pg_has_role(current_user, 'keel_app', 'USAGE') THEN
    RETURN;
  END IF;
  IF current_setting('server_version_num')::int >= 160000 THEN
    EXECUTE format('GRANT keel_app TO %I WITH INHERIT FALSE', current_user);
  ELSE
    BEGIN
      -- NOINHERIT also ends what the owner inherits as the database's owner (pg_database_owner
      -- owns schema public): it keeps creating tables there by a grant of its own.
      EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', current_user);
      EXECUTE format('ALTER ROLE %I NOINHERIT', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'The role % inherits keel_app''s row-level security policies and would read no tenant rows.', current_user
        USING HINT = format('As a superuser, run GRANT USAGE, CREATE ON SCHEMA public TO %I; ALTER ROLE %I NOINHERIT; '
          || '(the grant first: a NOINHERIT role no longer creates tables in schema public as the database''s owner), '
          || 'then start Keel again.', current_user, current_user);
    END;
  END IF;
END $$;
