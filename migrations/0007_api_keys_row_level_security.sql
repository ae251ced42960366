-- API keys are tenant data: row-level security as for every other table (see 0001). Authentication
-- finds a key by its hash as the connecting role, before any workspace is known.
SELECT keel_secure_tenant_table('api_keys');
