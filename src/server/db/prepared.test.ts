import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFact } from "../modules/audit/audit.service.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";
import type { RequestContext } from "../lib/context.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import { openPostgres, type DatabaseConnection } from "./client.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * The statements every request and every write send are prepared once per connection on a
 * PostgreSQL server (client.ts `prepared`), and preparing them changes nothing a request sees:
 * the workspace settings still end with the transaction. A pool of one connection makes the
 * second transaction run on the connection of the first. PGlite runs them unprepared.
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

  it("prepares the workspace settings and the trail once, and the settings still end with each transaction", async () => {
    const rowsOf = async <T>(query: Promise<unknown>) => ((await query) as { rows: T[] }).rows;
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
    for (let write = 0; write < 2; write++) {
      await withWorkspaceTransaction(connection.db, workspaceId, (tx) =>
        recordFact(tx, ctx, { action: "settings.updated", resourceType: "workspace", resourceId: workspaceId }),
      );
    }
    expect(await preparedNames()).toEqual(["record_fact", "workspace_settings"]);

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
});
