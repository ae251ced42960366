import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace } from "../modules/workspaces/index.ts";
import { openPostgres, type DatabaseConnection } from "./client.ts";
import { migrate } from "./migrate.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * Keel connecting as a non-superuser owner, as docs/operations.md advises for production: the
 * owner is a member of keel_app (to switch to it) but must not be held to keel_app's workspace
 * policy, or it reads no memberships at sign-in. Needs a PostgreSQL server (TEST_DATABASE_URL)
 * on which this test creates a role and a database of its own; PGlite has only a superuser.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const owner = `keel_owner_${suffix}`;
const database = `keel_owner_db_${suffix}`;

describe.skipIf(!testDatabaseUrl)("a non-superuser owner role", () => {
  let admin: pg.Client;
  let connection: DatabaseConnection;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    // CREATEROLE: what docs/operations.md asks of the owner once (to create or grant keel_app).
    await admin.query(`create role ${owner} login createrole`);
    await admin.query(`create database ${database} owner ${owner}`);
    const url = new URL(testDatabaseUrl!);
    url.username = owner;
    url.password = "";
    url.pathname = `/${database}`;
    connection = await openPostgres(url.toString(), 2);
    await migrate(connection);
  });

  afterAll(async () => {
    await connection?.close();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`drop role if exists ${owner}`);
    await admin.end();
  });

  it("reads every workspace's rows outside a workspace transaction, while keel_app sees only its own", async () => {
    const { db } = connection;
    type Rows = { rows: Record<string, unknown>[] };
    const rowsOf = async (query: Promise<unknown>) => ((await query) as Rows).rows;
    const [user] = (await rowsOf(
      db.execute(
        sql`insert into users (id, email, name) values (gen_random_uuid(), 'owner-test@example.com', 'Owner') returning id`,
      ),
    )) as { id: string }[];
    const first = await createWorkspace(db, { name: "First", adminUserId: user!.id });
    const second = await createWorkspace(db, { name: "Second", adminUserId: user!.id });

    const memberships = await rowsOf(db.execute(sql`select workspace_id from memberships where user_id = ${user!.id}`));
    expect(memberships).toHaveLength(2);
    const seen = await rowsOf(
      withWorkspaceTransaction(db, first.id, (tx) =>
        tx.execute(sql`select workspace_id from memberships where user_id = ${user!.id}`),
      ),
    );
    expect(seen).toEqual([{ workspace_id: first.id }]);
    expect(second.id).not.toBe(first.id);
    const privileges = await rowsOf(
      db.execute(
        sql`select pg_has_role(current_user, 'keel_app', 'MEMBER') as member, pg_has_role(current_user, 'keel_app', 'USAGE') as inherits`,
      ),
    );
    expect(privileges).toEqual([{ member: true, inherits: false }]);
  });
});
