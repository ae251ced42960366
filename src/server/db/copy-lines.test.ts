import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../lib/ids.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import { openPostgres, type DatabaseConnection } from "./client.ts";
import { canCopyLines, copyLines } from "./copy-lines.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * Copying lines in one snapshot (copy-lines.ts), what CSV export jobs do on a PostgreSQL server:
 * every row's text in order with its terminator, row-level security as in any workspace
 * transaction, one snapshot across statements, and however the reading ends the pool stays usable
 * and the workspace settings do not outlive the transaction. A pool of one connection makes every
 * later query run on the connection the reader used, or on its replacement.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

describe.runIf(!testDatabaseUrl)("copying lines on the embedded database", () => {
  it("is not offered: PGlite has no COPY to a client stream, so long reads stay page by page", async () => {
    expect(canCopyLines((await testDatabase()).db)).toBe(false);
  });
});

describe.skipIf(!testDatabaseUrl)("copying lines in one snapshot on a PostgreSQL server", () => {
  let connection: DatabaseConnection;
  const workspaces: string[] = [];

  beforeAll(async () => {
    const shared = await testDatabase();
    const adminUserId = (await createUser("Copy lines")).id;
    for (const name of ["Copy lines", "Copy neighbour"]) {
      const { id } = await createWorkspace(shared.db, { name, adminUserId });
      workspaces.push(id);
      // Long names too, so rows cross the chunks the connection delivers.
      await withWorkspaceTransaction(shared.db, id, (tx) =>
        tx.execute(sql`insert into contacts (workspace_id, id, first_name, last_name, owner_id)
          select ${id}, gen_random_uuid(), repeat('é', n % 60 * 40), 'Line ' || lpad(n::text, 4, '0'), ${adminUserId}
          from generate_series(1, 2000) n`),
      );
    }
    connection = await openPostgres(testDatabaseUrl!, 1);
  });

  afterAll(async () => {
    await connection?.close();
  });

  const copyAll = async (statements: ReturnType<typeof sql>[], terminator = "\r\n") => {
    const chunks: Buffer[] = [];
    let rows = 0;
    for await (const lines of copyLines(connection.db, workspaces[0]!, statements, terminator)) {
      chunks.push(Buffer.from(lines.bytes));
      rows += lines.rows;
    }
    return { text: Buffer.concat(chunks).toString("utf8"), rows };
  };

  /** What the pool's one connection carries after the reader: no transaction, no workspace setting. */
  const connectionState = async () =>
    (
      (await connection.db.execute(
        sql`select current_setting('app.workspace_id', true) as workspace, current_user as role, now() = statement_timestamp() as "outsideTransaction"`,
      )) as unknown as { rows: { workspace: string | null; role: string; outsideTransaction: boolean }[] }
    ).rows[0];

  it("copies every row of the workspace in order, each with its terminator, under row-level security", async () => {
    // No workspace condition: row-level security alone keeps the neighbour's contacts out.
    const line = sql`select last_name || ',' || first_name || ',' || workspace_id from contacts order by last_name`;
    const { text, rows } = await copyAll([line]);
    expect(rows).toBe(2000);
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(2001);
    expect(lines.at(-1)).toBe("");
    for (const [i, copied] of lines.slice(0, -1).entries()) {
      const n = i + 1;
      expect(copied).toBe(`Line ${String(n).padStart(4, "0")},${"é".repeat((n % 60) * 40)},${workspaces[0]}`);
    }
    expect(canCopyLines(connection.db)).toBe(true);
  });

  it("keeps backslashes, tabs and line breaks of a line as they are, and takes parameters", async () => {
    const odd = "a\\b\tc\nd\re\u0001";
    const { text, rows } = await copyAll([sql`select ${odd} || ${"!"} from contacts limit 2`], "\n");
    expect(rows).toBe(2);
    expect(text).toBe(`${odd}!\n${odd}!\n`);
  });

  it("sees one snapshot across its statements", async () => {
    const count = sql`select count(*)::text from contacts`;
    const reader = copyLines(connection.db, workspaces[0]!, [count, count], "\n");
    const first = await reader.next();
    // Written by another connection while the reader holds its snapshot.
    const shared = await testDatabase();
    await withWorkspaceTransaction(shared.db, workspaces[0]!, (tx) =>
      tx.execute(sql`insert into contacts (workspace_id, id, first_name, last_name)
        values (${workspaces[0]}, ${newId()}, 'Late', 'Arrival')`),
    );
    const second = await reader.next();
    expect((await reader.next()).done).toBe(true);
    expect(first.value?.bytes.toString()).toBe("2000\n");
    expect(second.value?.bytes.toString()).toBe("2000\n");
    expect((await copyAll([count], "\n")).text).toBe("2001\n");
  });

  it("leaves the pool usable and no settings behind when the reader stops early", async () => {
    for await (const lines of copyLines(connection.db, workspaces[0]!, [sql`select first_name from contacts`], "\n")) {
      expect(lines.rows).toBeGreaterThan(0);
      break;
    }
    expect(await connectionState()).toMatchObject({ outsideTransaction: true });
    expect((await connectionState())?.workspace ?? "").toBe("");
    expect((await connectionState())?.role).not.toBe("keel_app");
  });

  it("fails with the statement's error, and the pool replaces the connection", async () => {
    await expect(copyAll([sql`select (1 / (count(*) - count(*)))::text from contacts`])).rejects.toThrow(
      /division by zero/,
    );
    expect(await connectionState()).toMatchObject({ workspace: null, outsideTransaction: true });
  });
});
