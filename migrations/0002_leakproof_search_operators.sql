-- Under row-level security PostgreSQL uses an index for an operator only when the operator's
-- function is LEAKPROOF (a leaky one could reveal another workspace's rows through its errors).
-- Search (`q`) uses full-text match (@@), LIKE and trigram word similarity (<%); none raises an
-- error that depends on row data, so they are marked LEAKPROOF and the GIN search indexes serve
-- keel_app's queries. Only a superuser may mark them: otherwise this migration leaves a notice and
-- search still works, without those indexes (slow on large workspaces; see docs/operations.md).
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF;
    ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF;
  ELSE
    RAISE NOTICE 'Search operators not marked LEAKPROOF (needs a superuser): see docs/operations.md';
  END IF;
END $$;
