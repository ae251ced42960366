/**
 * Keel migrating several databases of one PostgreSQL cluster at the same moment (two Keels, or a
 * test run beside a restore): the role row-level security switches to belongs to the cluster, so
 * on a cluster that has never seen Keel they all create it at once (db/migrate.ts). Run with
 * `npm run test:faults`.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openPostgres, type DatabaseConnection } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.ts";

let cluster: PostgresCluster;
const opened: DatabaseConnection[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
});

afterAll(async () => {
  await Promise.all(opened.map((connection) => connection.close()));
  await cluster?.remove();
});

async function query(database: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: cluster.url.replace(/\/postgres$/, `/${database}`) });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

test("three databases of a new cluster migrate at once: all succeed, and each isolates its tenants", async () => {
  const databases = ["keel_one", "keel_two", "keel_three"];
  expect((await query("postgres", "select 1 from pg_roles where rolname = 'keel_app'")).rowCount).toBe(0);
  for (const database of databases) await query("postgres", `create database ${database}`);
  for (const database of databases) {
    opened.push(await openPostgres(cluster.url.replace(/\/postgres$/, `/${database}`), 2));
  }

  const results = await Promise.allSettled(opened.map((connection) => migrate(connection)));

  expect(
    results.map((result) =>
      result.status === "rejected" ? String((result.reason as Error).cause ?? result.reason) : "migrated",
    ),
  ).toEqual(databases.map(() => "migrated"));
  for (const database of databases) {
    const forced = await query(
      database,
      "select count(*)::int as n from pg_class where relname = 'contacts' and relrowsecurity and relforcerowsecurity",
    );
    expect(forced.rows[0]).toEqual({ n: 1 });
  }
});
