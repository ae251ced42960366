import pg from "pg";

/**
 * What PostgreSQL alone needs to write what an import of `rows` contacts writes: per row a
 * contact (with every index of the table), its audit entry, its `contact.created` event and the
 * import's undo record, each table's rows from one INSERT … SELECT (no client, no round trip per
 * batch, no validation), in one transaction rolled back at the end. The rows have the shapes of
 * bench/imports.ts's file (time-ordered ids as Keel makes them, an owner, a company, two tags),
 * so the figure is the ceiling an import can approach on this machine, as pgbench is for the
 * request scenarios. Runs as the connecting role (RLS does not apply to a superuser: slightly
 * optimistic). Answers rows per second.
 */
export async function measureImportFloor(databaseUrl: string, importId: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: found } = await client.query<{ workspace_id: string; created_by: string; company_id: string }>(
      `select i.workspace_id, i.created_by, (select id from companies c where c.workspace_id = i.workspace_id limit 1) as company_id
       from imports i where i.id = $1`,
      [importId],
    );
    const { workspace_id: workspace, created_by: user, company_id: company } = found[0]!;
    await client.query("begin");
    const started = performance.now();
    // Ids as Keel makes them (time-ordered, so each index grows at its end): the millisecond and a
    // counter in front, random bits behind.
    await client.query(
      `create temporary table floor_rows on commit drop as
       select i, lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint * 1048576 + i), 16, '0') as stamp
       from generate_series(1, $1::int) i`,
      [rows],
    );
    const id = (salt: string) => `(stamp || substr(md5(i::text || '${salt}'), 1, 16))::uuid`;
    await client.query(
      `insert into contacts (workspace_id, id, created_by, first_name, last_name, email, phone, job_title,
         company_id, owner_id, tags)
       select $1, ${id("c")}, $2, 'Floor' || i, 'Last' || (i % 997), 'floor' || i || '@example.com',
         '+4917' || (100000000 + i), 'Engineer', $3, $2, '{a,b}'
       from floor_rows`,
      [workspace, user, company],
    );
    const record = `jsonb_build_object('id', ${id("c")}, 'firstName', 'Floor' || i, 'lastName', 'Last' || (i % 997),
      'email', 'floor' || i || '@example.com', 'phone', '+4917' || (100000000 + i), 'jobTitle', 'Engineer',
      'companyId', $3::uuid, 'ownerId', $2::uuid, 'tags', '["a","b"]'::jsonb, 'lifecycle', 'lead', 'version', 1,
      'createdAt', now(), 'updatedAt', now(), 'createdBy', $2::uuid, 'deletedAt', null, 'source', null,
      'lastActivityAt', null)`;
    await client.query(
      `insert into audit_logs (workspace_id, id, actor_type, actor_id, action, resource_type, resource_id, changes, request_id)
       select $1, ${id("a")}, 'user', $2, 'contact.created', 'contact', ${id("c")},
         (select jsonb_object_agg(key, jsonb_build_array(null, value)) from jsonb_each(${record}) where key not in ('id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'deletedAt', 'source', 'lastActivityAt')),
         'import:floor'
       from floor_rows`,
      [workspace, user, company],
    );
    await client.query(
      `insert into outbox_events (workspace_id, id, type, version, resource_type, resource_id, actor_id, payload)
       select $1, ${id("e")}, 'contact.created', 1, 'contact', ${id("c")}, $2, jsonb_build_object('record', ${record})
       from floor_rows`,
      [workspace, user, company],
    );
    await client.query(
      `insert into import_records (workspace_id, import_id, record_id, resource, action, before, line)
       select $1, $2, ${id("c")}, 'contacts', 'created', null, i + 1 from floor_rows`,
      [workspace, importId],
    );
    const seconds = (performance.now() - started) / 1000;
    return Math.round(rows / seconds);
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}
