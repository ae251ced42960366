import pg from "pg";

/**
 * What PostgreSQL alone needs to write what the bulk scenario writes (bench/bulk.ts: the `source`
 * of every live contact of `owners`): the contacts updated (a new version of each row, with every
 * index of the table), and per contact its audit entry with the field change, its
 * `contact.updated` event with the record, and the operation's undo record, each table's rows from
 * one statement (no client, no chunks, no rules or permissions), in one transaction rolled back at
 * the end. The ceiling a bulk update can approach on this machine, as pgbench is for the request
 * scenarios and imports-floor.ts for imports. Runs as the connecting role (row-level security does
 * not apply to a superuser: slightly optimistic). Answers the records and the seconds.
 */
export async function measureBulkFloor(
  databaseUrl: string,
  workspaceId: string,
  owners: string[],
): Promise<{ records: number; seconds: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    const started = performance.now();
    const operation = await client.query<{ id: string }>(
      `insert into bulk_operations (workspace_id, id, resource, action, request, status, actor_type)
       values ($1, gen_random_uuid(), 'contacts', 'update', '{}', 'running', 'user') returning id`,
      [workspaceId],
    );
    const operationId = operation.rows[0]!.id;
    const updated = await client.query(
      `create temporary table floor_updated on commit drop as
       with changed as (
         update contacts set source = 'bench-bulk-floor', version = version + 1, updated_at = now()
         where workspace_id = $1 and owner_id = any($2::uuid[]) and deleted_at is null
         returning *)
       select c.*, row_number() over () as i from changed c`,
      [workspaceId, owners],
    );
    const records = updated.rowCount ?? 0;
    // Time-ordered ids, as Keel makes them: the millisecond and a counter in front, random bits behind.
    const id = (salt: string) =>
      `(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint * 1048576 + i), 16, '0')
        || substr(md5(i::text || '${salt}'), 1, 16))::uuid`;
    await client.query(
      `insert into audit_logs (workspace_id, id, actor_type, actor_id, action, resource_type, resource_id, changes, details, request_id)
       select workspace_id, ${id("a")}, 'user', owner_id, 'contact.updated', 'contact', id,
         jsonb_build_object('source', jsonb_build_array(null, source)),
         jsonb_build_object('bulkOperationId', $1::uuid), 'bulk:floor'
       from floor_updated`,
      [operationId],
    );
    await client.query(
      `insert into outbox_events (workspace_id, id, type, version, resource_type, resource_id, actor_id, payload)
       select workspace_id, ${id("e")}, 'contact.updated', 1, 'contact', id, owner_id,
         jsonb_build_object('record', to_jsonb(f) - 'i' - 'search_text' - 'search_vector',
           'changes', jsonb_build_object('source', jsonb_build_array(null, source)))
       from floor_updated f`,
    );
    await client.query(
      `insert into bulk_operation_records (workspace_id, operation_id, record_id, before, version_after)
       select workspace_id, $1, id, jsonb_build_object('source', null), version from floor_updated`,
      [operationId],
    );
    return { records, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}
