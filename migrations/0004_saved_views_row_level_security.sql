-- Saved views are tenant data: row-level security as for every other table (see 0001).
SELECT keel_secure_tenant_table('saved_views');
