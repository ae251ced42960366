import { sql, type SQL } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordFact } from "../modules/audit/audit.service.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";
import type { RequestContext } from "../lib/context.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import { openPostgres, poolOf, type DatabaseConnection } from "./client.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * The statements every write sends are prepared once per connection on a PostgreSQL server
 * (client.ts `prepared`), a transaction's BEGIN and workspace settings go out with its first
 * statement (`sentWithBegin`), and neither changes what a request sees: the statement answers as it
 * does with parameters, and the settings hold inside the transaction and end with it.
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

  /** What the connection sends while `work` runs: each query's text, in order. */
  const sentDuring = async (work: () => Promise<unknown>) => {
    const send = vi.spyOn(pg.Client.prototype, "query");
    try {
      await work();
      return send.mock.calls.map(([config]) =>
        typeof config === "string" ? config : (config as { text: string }).text,
      );
    } finally {
      send.mockRestore();
    }
  };
  const inWorkspace = (statement: SQL) =>
    withWorkspaceTransaction(connection.db, workspaceId, (tx) =>
      rowsOf<Record<string, unknown>>(tx.execute(statement)),
    );
  /** PostgreSQL's error code, under Drizzle's wrapping of a failed query. */
  const codeOf = (error: { code?: string; cause?: { code?: string } }) => error.cause?.code ?? error.code;
  const settingsAfter = async () =>
    (
      await rowsOf<{ role: string; workspace: string | null }>(
        connection.db.execute(
          sql`select current_user as role, nullif(current_setting('app.workspace_id', true), '') as workspace`,
        ),
      )
    )[0];

  it("sends BEGIN and the settings with the first statement, its values written in, answering as with parameters", async () => {
    const ids = [workspaceId, adminUserId];
    const statement = sql`select ${adminUserId}::uuid as id, ${42}::int as number, ${2.5}::float8 as fraction,
      ${null}::text as nothing, ${new Date("2026-01-02T03:04:05.006Z")}::timestamptz as moment,
      ${sql.param(ids)}::uuid[] as ids, ${true}::boolean as yes,
      current_setting('app.workspace_id', true) as workspace, current_user as role`;
    let inside: Record<string, unknown>[] = [];
    const sent = await sentDuring(async () => {
      inside = await inWorkspace(statement);
    });
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(
      /^begin;\n.*set_config\('role', 'keel_app', true\).*;\nselect '[0-9a-f-]{36}'::uuid as id, '42'/s,
    );
    expect(sent[1]).toBe("commit");

    // The same statement outside a transaction, with parameters as node-postgres sends them.
    const [outside] = await rowsOf<Record<string, unknown>>(connection.db.execute(statement));
    expect(inside).toEqual([{ ...outside, workspace: workspaceId, role: "keel_app" }]);
    expect(inside[0]).toMatchObject({ id: adminUserId, number: 42, fraction: 2.5, nothing: null, yes: true });
    expect(await settingsAfter()).toMatchObject({ workspace: null });
  });

  it("keeps as parameters what a person typed, and what text cannot carry: sent after its opening", async () => {
    // PostgreSQL logs a failing statement's text, and leaves its parameters' values out.
    const typed = sql`select ${"O'Brien \\ x"}::text as name, ${adminUserId}::uuid as id`;
    const bytes = Buffer.from([0, 1, 2, 255]);
    const binary = sql`select ${bytes}::bytea as bytes, current_setting('app.workspace_id', true) as workspace`;
    for (const [statement, expected] of [
      [typed, { name: "O'Brien \\ x", id: adminUserId }],
      [binary, { bytes, workspace: workspaceId }],
    ] as const) {
      let rows: Record<string, unknown>[] = [];
      const sent = await sentDuring(async () => {
        rows = await inWorkspace(statement);
      });
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(/^begin;\n.*set_config[^;]*$/s);
      expect(sent[1]).toMatch(/^select \$1::/);
      expect(rows).toEqual([expected]);
    }

    // A NUL in a text value: refused by PostgreSQL as a parameter, as outside a transaction.
    const refusal = (statement: Promise<unknown>) => statement.then(() => null, codeOf);
    const nul = sql`select ${"before\0after"}::text as text`;
    expect(await refusal(inWorkspace(nul))).toBe(await refusal(connection.db.execute(nul)));
    expect(await refusal(inWorkspace(nul))).toBe("22021");
    expect(await settingsAfter()).toMatchObject({ workspace: null });
  });

  it("sends nothing for a transaction that ran no statement, committed or rolled back", async () => {
    const committed = await sentDuring(() => withWorkspaceTransaction(connection.db, workspaceId, async () => 42));
    expect(committed).toEqual([]);
    const rolledBack = await sentDuring(() =>
      expect(
        withWorkspaceTransaction(connection.db, workspaceId, () => Promise.reject(new Error("changed my mind"))),
      ).rejects.toThrow("changed my mind"),
    );
    expect(rolledBack).toEqual([]);
    // The connection is outside any transaction and without the settings afterwards.
    expect(await settingsAfter()).toMatchObject({ workspace: null });
    const pool = poolOf(connection.db)!;
    const next = await pool.connect();
    try {
      await expect(next.query("savepoint after_empty")).rejects.toMatchObject({ code: "25P01" });
    } finally {
      next.release();
    }
    // A transaction that did run a statement still ends with its COMMIT.
    const used = await sentDuring(() => inWorkspace(sql`select 1 as one`));
    expect(used).toEqual([expect.stringMatching(/^begin;\n.*select 1 as one$/s), "commit"]);
  });

  it("rolls back a first statement that fails with its opening, leaving the connection without the settings", async () => {
    const sent = await sentDuring(() =>
      expect(inWorkspace(sql`select 1 / ${0}::int as never`).catch(codeOf)).resolves.toBe("22012"),
    );
    expect(sent).toEqual([expect.stringMatching(/^begin;\n.*select 1 \/ '0'::int/s), "rollback"]);
    const after = await settingsAfter();
    expect(after!.workspace).toBeNull();
    expect(after!.role).not.toBe("keel_app");
  });

  it("forgets a BEGIN never sent when its client goes back to the pool", async () => {
    const pool = poolOf(connection.db)!;
    const careless = await pool.connect();
    await careless.query("begin");
    careless.release();
    // The pool's one connection again: its first statement runs outside any transaction block.
    const next = await pool.connect();
    try {
      await next.query("select 1");
      await expect(next.query("savepoint after_release")).rejects.toMatchObject({ code: "25P01" });
    } finally {
      next.release();
    }
  });

  it("runs a transaction without workspace settings, its BEGIN sent with its first statement", async () => {
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
