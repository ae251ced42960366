-- An API key acts with admin permissions on behalf of the admin who created it. When that person
-- stops being an admin of the workspace, or their account is disabled, their keys are revoked for
-- good, whichever way the change is made (API, CLI or SQL), in the transaction that makes it.

CREATE OR REPLACE FUNCTION keel_revoke_api_keys_of_former_admin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE api_keys SET revoked_at = now()
  WHERE workspace_id = OLD.workspace_id AND created_by = OLD.user_id AND revoked_at IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER memberships_revoke_api_keys
AFTER UPDATE OF role ON memberships
FOR EACH ROW WHEN (OLD.role = 'admin' AND NEW.role <> 'admin')
EXECUTE FUNCTION keel_revoke_api_keys_of_former_admin();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION keel_revoke_api_keys_of_disabled_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE api_keys SET revoked_at = now() WHERE created_by = OLD.id AND revoked_at IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_revoke_api_keys
AFTER UPDATE OF disabled_at ON users
FOR EACH ROW WHEN (OLD.disabled_at IS NULL AND NEW.disabled_at IS NOT NULL)
EXECUTE FUNCTION keel_revoke_api_keys_of_disabled_user();
