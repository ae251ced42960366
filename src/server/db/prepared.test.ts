import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFact } from "../modules/audit/audit.service.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";
import type { RequestContext } from "../lib/context.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import { openPostgres, type DatabaseConnection } from "./client.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * The statements every write sends are prepared once per connection on a PostgreSQL server
 * (client.ts `prepared`), the workspace settings go out with their BEGIN (`sentWithBegin`), and
 * neither changes what a request sees: the settings hold inside the transaction and end with it.
 * A pool of one connection makes the second transaction run on the connection of the first.
 * PGlite runs them as they are.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!testDatabaseUrl)("prepared hot statements on a PostgreSQL server", () => {
  let connection: DatabaseConnection;
  let workspaceId: string;
  let adminUserId: string;

  beforeAll(async () => {
    // The test database is migrated by the suite's shared connection; this pool is one of its own.
    const shared = await testDatabase();
    adminUserId = (await createUser("Prepared statements")).id;
    workspaceId = (await createWorkspace(shared.db, { name: "Prepared statements", adminUserId })).id;
    connection = await openPostgres(testDatabaseUrl!, 1);
  });

  afterAll(async () => {
    await connection?.close();
  });

  const rowsOf = async <T>(query: Promise<unknown>) => ((await query) as { rows: T[] }).rows;

  it("prepares the trail once, and the settings sent with BEGIN still end with each transaction", async () => {
    const preparedNames = async () =>
      (
        await rowsOf<{ name: string }>(
          connection.db.execute(sql`select name from pg_prepared_statements where not from_sql order by name`),
        )
      ).map((row) => row.name);
    expect(await preparedNames()).toEqual([]);

    const ctx = {
      db: connection.db,
      workspaceId,
      actor: { kind: "user", userId: adminUserId, role: "admin" },
      requestId: "prepared-statements-test",
    } satisfies RequestContext;
    const settingsSeen: { role: string; workspace: string | null }[] = [];
    for (let write = 0; write < 2; write++) {
      await withWorkspaceTransaction(connection.db, workspaceId, async (tx) => {
        settingsSeen.push(
          ...(await rowsOf<{ role: string; workspace: string | null }>(
            tx.execute(sql`select current_user as role, current_setting('app.workspace_id', true) as workspace`),
          )),
        );
        await recordFact(tx, ctx, { action: "settings.updated", resourceType: "workspace", resourceId: workspaceId });
      });
    }
    expect(await preparedNames()).toEqual(["record_fact"]);
    expect(settingsSeen).toEqual([
      { role: "keel_app", workspace: workspaceId },
      { role: "keel_app", workspace: workspaceId },
    ]);

    const [after] = await rowsOf<{ role: string; workspace: string | null }>(
      connection.db.execute(
        sql`select current_user as role, nullif(current_setting('app.workspace_id', true), '') as workspace`,
      ),
    );
    expect(after!.workspace).toBeNull();
    expect(after!.role).not.toBe("keel_app");
    const [entries] = await rowsOf<{ count: number }>(
      connection.db.execute(
        sql`select count(*)::int as count from audit_logs where workspace_id = ${workspaceId} and action = 'settings.updated'`,
      ),
    );
    expect(entries!.count).toBe(2);
  });

  it("runs a transaction without workspace settings, its BEGIN sent before its first statement", async () => {
    await expect(
      connection.db.transaction(async (tx) => {
        await tx.execute(sql`create temporary table prepared_test_rollback (id int)`);
        await tx.execute(sql`select 1/0`);
      }),
    ).rejects.toThrow();
    // Rolled back with the transaction: created outside one, the table would have stayed.
    const [left] = await rowsOf<{ table: string | null }>(
      connection.db.execute(sql`select to_regclass('pg_temp.prepared_test_rollback')::text as table`),
    );
    expect(left!.table).toBeNull();
  });
});
