-- A workspace's settings are tenant data: row-level security as for every other table (see 0001).
-- The settings an admin changes in the workspace's own transaction are read by every request
-- that checks an activity type or a lost reason.
SELECT keel_secure_tenant_table('workspace_settings');
