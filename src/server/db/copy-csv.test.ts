import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../lib/ids.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import { openPostgres, type DatabaseConnection } from "./client.ts";
import { canCopyCsv, copyCsvPage, copyCsvSnapshot, CsvRecordReader } from "./copy-csv.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * Copying CSV (copy-csv.ts), what CSV exports do on a PostgreSQL server: every row as a CSV record
 * in order with its terminator, leading key fields taken off and read back, row-level security as
 * in any workspace transaction, one snapshot across statements, and however the reading ends the
 * pool stays usable and the workspace settings do not outlive the transaction. A pool of one
 * connection makes every later query run on the connection the reader used, or on its
 * replacement.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

describe("reading CSV records out of a COPY's bytes", () => {
  const copied = Buffer.from(
    [
      "2026-01-02 03:04:05+00,a1,Ada,Lovelace\n",
      '"Smith, ""Jr""",,"Line\nbreak, ""quoted""",x\n',
      ',"",é€😀,\n',
      '"k\n\n",b2,"",last\n',
    ].join(""),
  );

  const readAll = (chunks: Buffer[], keyFields: number) => {
    const reader = new CsvRecordReader({ keyFields, terminator: "\r\n" });
    let text = "";
    let rows = 0;
    let lastKeys: (string | null)[] | null = null;
    for (const chunk of chunks) {
      const records = reader.push(chunk);
      if (!records) continue;
      text += records.bytes.toString("utf8");
      rows += records.rows;
      lastKeys = records.lastKeys;
    }
    reader.finish();
    return { text, rows, lastKeys };
  };

  it("splits records at line feeds outside quotes, takes key fields off and reads the last one's, however the bytes are cut", () => {
    const whole = readAll([copied], 2);
    expect(whole).toEqual({
      text: 'Ada,Lovelace\r\n"Line\nbreak, ""quoted""",x\r\né€😀,\r\n"",last\r\n',
      rows: 4,
      lastKeys: ["k\n\n", "b2"],
    });
    for (let size = 1; size <= 7; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < copied.length; at += size) chunks.push(copied.subarray(at, at + size));
      expect(readAll(chunks, 2), `chunks of ${size} bytes`).toEqual(whole);
    }
  });

  it("reads quoted keys, empty texts and nulls as such", () => {
    const keysOf = (line: string) => readAll([Buffer.from(line)], 2).lastKeys;
    expect(keysOf('"Smith, ""Jr""",,rest\n')).toEqual(['Smith, "Jr"', null]);
    expect(keysOf(',"",rest\n')).toEqual([null, ""]);
    expect(readAll([Buffer.from('a,"b\n"\n\n"c"\n')], 0)).toEqual({
      text: 'a,"b\n"\r\n\r\n"c"\r\n',
      rows: 3,
      lastKeys: null,
    });
  });

  it("throws when the bytes end inside a record", () => {
    const reader = new CsvRecordReader({ keyFields: 0, terminator: "\n" });
    expect(reader.push(Buffer.from('a,"open\nstill open'))).toBeNull();
    expect(() => reader.finish()).toThrow(/inside a record/);
  });
});

describe.runIf(!testDatabaseUrl)("copying CSV on the embedded database", () => {
  it("is not offered: PGlite has no COPY to a client stream, so long reads stay queries", async () => {
    expect(canCopyCsv((await testDatabase()).db)).toBe(false);
  });
});

describe.skipIf(!testDatabaseUrl)("copying CSV on a PostgreSQL server", () => {
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
    const shape = { keyFields: 0, terminator };
    for await (const records of copyCsvSnapshot(connection.db, workspaces[0]!, statements, shape)) {
      chunks.push(Buffer.from(records.bytes));
      rows += records.rows;
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
    const { text, rows } = await copyAll([
      sql`select last_name, first_name, workspace_id from contacts order by last_name`,
    ]);
    expect(rows).toBe(2000);
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(2001);
    expect(lines.at(-1)).toBe("");
    for (const [i, copied] of lines.slice(0, -1).entries()) {
      const n = i + 1;
      // An empty text is `""`, a null an empty field.
      const firstName = n % 60 === 0 ? '""' : "é".repeat((n % 60) * 40);
      expect(copied).toBe(`Line ${String(n).padStart(4, "0")},${firstName},${workspaces[0]}`);
    }
    expect(canCopyCsv(connection.db)).toBe(true);
  });

  it("quotes as RFC 4180 asks, keeps backslashes and tabs as they are, and takes parameters", async () => {
    const odd = 'a\\b\tc\nd\re "q", \u0001';
    const statement = sql`select ${odd} || ${"!"}, null, '', 'plain' from contacts limit 2`;
    const { text, rows } = await copyAll([statement], "\n");
    expect(rows).toBe(2);
    const record = `"a\\b\tc\nd\re ""q"", \u0001!",,"",plain\n`;
    expect(text).toBe(record + record);
  });

  it("reads a page with its keys taken off each record, and the last record's keys", async () => {
    const statement = sql`select last_name, case when last_name = 'Line 0003' then null else 'k,"' || last_name || E'"\n' end, first_name
      from contacts order by last_name limit 3`;
    const page = await copyCsvPage(connection.db, workspaces[0]!, statement, { keyFields: 2, terminator: "\r\n" });
    expect(page.rows).toBe(3);
    expect(page.bytes.toString("utf8")).toBe(["é".repeat(40), "é".repeat(80), "é".repeat(120)].join("\r\n") + "\r\n");
    expect(page.lastKeys).toEqual(["Line 0003", null]);
    const after = await connectionState();
    expect(after).toMatchObject({ outsideTransaction: true });
    expect(after?.workspace ?? "").toBe("");
    expect(after?.role).not.toBe("keel_app");
    const quoted = await copyCsvPage(
      connection.db,
      workspaces[0]!,
      sql`select 'k,"' || last_name || E'"\n', first_name from contacts order by last_name limit 1`,
      { keyFields: 1, terminator: "\n" },
    );
    expect(quoted.lastKeys).toEqual(['k,"Line 0001"\n']);
    expect(quoted.bytes.toString("utf8")).toBe(`${"é".repeat(40)}\n`);
  });

  it("sees one snapshot across its statements", async () => {
    const count = sql`select count(*) from contacts`;
    const reader = copyCsvSnapshot(connection.db, workspaces[0]!, [count, count], { keyFields: 0, terminator: "\n" });
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
    const statements = [sql`select first_name from contacts`];
    for await (const records of copyCsvSnapshot(connection.db, workspaces[0]!, statements, {
      keyFields: 0,
      terminator: "\n",
    })) {
      expect(records.rows).toBeGreaterThan(0);
      break;
    }
    expect(await connectionState()).toMatchObject({ outsideTransaction: true });
    expect((await connectionState())?.workspace ?? "").toBe("");
    expect((await connectionState())?.role).not.toBe("keel_app");
  });

  it("fails with the statement's error, and the pool replaces the connection", async () => {
    const failing = sql`select (1 / (count(*) - count(*)))::text from contacts`;
    await expect(copyAll([failing])).rejects.toThrow(/division by zero/);
    expect(await connectionState()).toMatchObject({ workspace: null, outsideTransaction: true });
    await expect(
      copyCsvPage(connection.db, workspaces[0]!, failing, { keyFields: 0, terminator: "\n" }),
    ).rejects.toThrow(/division by zero/);
    expect(await connectionState()).toMatchObject({ workspace: null, outsideTransaction: true });
  });
});
