-- A change's trail (its audit entry and its events) is written by one call with two JSON
-- arguments instead of a statement built per request: the statement text is constant, so the
-- server parses and plans the two inserts once per connection (PL/pgSQL caches their plans) and
-- Keel only serializes two values. SECURITY INVOKER (the default): the caller's role and row-level
-- security apply exactly as to a plain INSERT. Columns left out take their defaults (occurred_at,
-- xact_id, seq, created_at), as before.
CREATE FUNCTION keel_record_fact(entry jsonb, events jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_logs (workspace_id, id, actor_type, actor_id, on_behalf_of, action, resource_type,
                          resource_id, changes, details, ip_address, user_agent, request_id)
  SELECT workspace_id, id, actor_type, actor_id, on_behalf_of, action, resource_type,
         resource_id, changes, details, ip_address, user_agent, request_id
  FROM jsonb_populate_record(null::audit_logs, entry);
  IF jsonb_array_length(events) > 0 THEN
    INSERT INTO outbox_events (workspace_id, id, type, version, resource_type, resource_id, actor_id, payload)
    SELECT workspace_id, id, type, version, resource_type, resource_id, actor_id, payload
    FROM jsonb_populate_recordset(null::outbox_events, events);
  END IF;
END $$;
