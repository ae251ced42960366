import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { seedDemoIfEmpty } from "../seed/index.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { tableChecksums, type TableChecksum } from "./backup-manifest.ts";
import { checkDumpVersion } from "./backup-pg-tools.ts";
import { keelCli } from "../../test/keel-cli.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const root = mkdtempSync(join(tmpdir(), "keel-pg-backup-"));

afterAll(() => rmSync(root, { recursive: true, force: true }));

type Result = { code: number; stdout: string; stderr: string };

function keel(env: Record<string, string>, ...args: string[]): Promise<Result> {
  // eslint-disable-next-line n/no-process-env -- the CLI reads its configuration from the environment
  const fullEnv = { ...process.env, LOG_LEVEL: "silent", KEEL_DATA_DIR: join(root, "data"), ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, keelCli(...args), { env: fullEnv }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("keel backup on a PostgreSQL server, without one", () => {
  it("names what to install when pg_dump is missing, and never prints the database password", async () => {
    const url = "postgres://keel:sekrit-password-9@127.0.0.1:1/keel";
    const missing = await keel(
      { DATABASE_URL: url, PG_DUMP_PATH: "/nonexistent/bin/pg_dump" },
      "backup",
      join(root, "x.keel-backup"),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "pg_dump was not found at /nonexistent/bin/pg_dump: install the PostgreSQL client",
    );
    expect(missing.stderr).toContain("apt-get install postgresql-client");
    expect(missing.stderr).toContain("PG_DUMP_PATH");
    // pg_dump found (or not) but no server answering: the error names neither the password nor the URL.
    const unreachable = await keel({ DATABASE_URL: url }, "backup", join(root, "y.keel-backup"));
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr + unreachable.stdout).not.toContain("sekrit-password-9");
    expect(existsSync(join(root, "y.keel-backup"))).toBe(false);
    // Two `keel` processes (each starts tsx): a loaded CI machine needed more than a minute.
  }, 180_000);

  it("explains a pg_dump older than the server", () => {
    expect(() => checkDumpVersion({ version: "14.11", major: 14 }, 16)).toThrow(
      /pg_dump 14.11 cannot back up a PostgreSQL 16 server.*apt-get install postgresql-client-16/,
    );
    expect(() => checkDumpVersion({ version: "17.2", major: 17 }, 15)).not.toThrow();
  });
});

/** A URL naming another database on the same server. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function checksumsOf(url: string): Promise<TableChecksum[]> {
  const connection = await openPostgres(url, 2);
  try {
    return await tableChecksums(connection.db);
  } finally {
    await connection.close();
  }
}

// A round trip needs databases of its own to create and drop, so it runs on the server CI names in
// TEST_DATABASE_URL (it creates two databases there and drops them). On the embedded database this
// file still runs the checks above; cli/backup.test.ts covers the embedded round trip.
if (testDatabaseUrl) {
  describe("keel backup and keel restore, PostgreSQL server", () => {
    const suffix = randomBytes(4).toString("hex");
    const sourceUrl = withDatabase(testDatabaseUrl, `keel_backup_src_${suffix}`);
    const targetUrl = withDatabase(testDatabaseUrl, `keel_backup_dst_${suffix}`);
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    const backupFile = join(root, "demo.keel-backup");
    const sourceKeys = join(root, "source-data");
    const targetKeys = join(root, "target-data");

    afterAll(async () => {
      for (const url of [sourceUrl, targetUrl]) {
        await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
      }
      await admin.end();
    });

    it("restores into a fresh database with every table, grant and row-level security policy", async () => {
      await admin.connect();
      for (const url of [sourceUrl, targetUrl]) await admin.query(`CREATE DATABASE ${new URL(url).pathname.slice(1)}`);
      const source = await openPostgres(sourceUrl, 2);
      await migrate(source);
      await seedDemoIfEmpty(source.db);
      await source.close();
      mkdirSync(sourceKeys);
      writeFileSync(join(sourceKeys, "encryption.key"), randomBytes(32).toString("hex"));

      const backup = await keel({ DATABASE_URL: sourceUrl, KEEL_DATA_DIR: sourceKeys }, "backup", backupFile);
      expect(backup.stderr).toBe("");
      expect(backup.stdout).toMatch(/Backed up \d+ tables/);
      const restore = await keel({ DATABASE_URL: targetUrl, KEEL_DATA_DIR: targetKeys }, "restore", backupFile);
      expect(restore.stderr).toBe("");
      expect(restore.stdout).toContain("every table's count and checksum verified");
      expect(readFileSync(join(targetKeys, "encryption.key"))).toEqual(
        readFileSync(join(sourceKeys, "encryption.key")),
      );

      const before = await checksumsOf(sourceUrl);
      expect(before.find((table) => table.name === "contacts")?.rows).toBeGreaterThan(0);
      expect(await checksumsOf(targetUrl)).toEqual(before);
      await expectRowLevelSecurityEnforced(targetUrl, sourceUrl);
    }, 240_000);

    it("refuses a database that holds tables without --force, and saves it first with it", async () => {
      const refused = await keel({ DATABASE_URL: targetUrl, KEEL_DATA_DIR: targetKeys }, "restore", backupFile);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("already holds tables");
      // A client still connected (a Keel server, say) would write into the restore: refused.
      const other = new pg.Client({ connectionString: targetUrl });
      await other.connect();
      const busy = await keel({ DATABASE_URL: targetUrl, KEEL_DATA_DIR: targetKeys }, "restore", backupFile, "--force");
      await other.end();
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain("1 other session is connected to this database");
      const forced = await keel(
        { DATABASE_URL: targetUrl, KEEL_DATA_DIR: targetKeys },
        "restore",
        backupFile,
        "--force",
      );
      expect(forced.stderr).toBe("");
      expect(readdirSync(root).some((name) => /^before-restore-.*\.keel-backup$/.test(name))).toBe(true);
      expect(await checksumsOf(targetUrl)).toEqual(await checksumsOf(sourceUrl));
      await expectRowLevelSecurityEnforced(targetUrl, sourceUrl);
    }, 240_000);
  });
}

type Rows = { rows: unknown[] };

/** Row-level security flags, policies and keel_app's grants: what a restore must carry over. */
async function securityState(url: string): Promise<unknown[][]> {
  const connection = await openPostgres(url, 2);
  try {
    const run = async (query: ReturnType<typeof sql>) => ((await connection.db.execute(query)) as unknown as Rows).rows;
    return [
      await run(sql`select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')
        order by 1`),
      await run(sql`select tablename, policyname, permissive, roles::text, qual, with_check from pg_policies
        where schemaname = 'public' order by 1, 2`),
      await run(sql`select table_name, privilege_type from information_schema.role_table_grants
        where grantee = 'keel_app' order by 1, 2`),
      await run(sql`select table_name, column_name, privilege_type from information_schema.column_privileges
        where grantee = 'keel_app' order by 1, 2, 3`),
    ];
  } finally {
    await connection.close();
  }
}

/** The same security as the source, every tenant table forcing it, and keel_app seeing one workspace's rows only. */
async function expectRowLevelSecurityEnforced(url: string, sourceUrl: string): Promise<void> {
  const state = await securityState(url);
  expect(state).toEqual(await securityState(sourceUrl));
  expect(state[1]!.length).toBeGreaterThan(10);
  const connection = await openPostgres(url, 2);
  try {
    const unforced = (await connection.db.execute(sql`
      select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'workspace_id'
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        and not (c.relrowsecurity and c.relforcerowsecurity)`)) as unknown as Rows;
    expect(unforced.rows).toEqual([]);
    const [workspace] = await connection.db.select({ id: workspaces.id }).from(workspaces).limit(1);
    const [own] = await connection.db
      .select({ n: count() })
      .from(contacts)
      .where(sql`workspace_id = ${workspace!.id}`);
    const seen = await withWorkspaceTransaction(connection.db, workspace!.id, (tx) =>
      tx.select({ n: count() }).from(contacts),
    );
    expect(seen[0]!.n).toBe(own!.n);
    expect(own!.n).toBeGreaterThan(0);
    const elsewhere = await withWorkspaceTransaction(connection.db, "00000000-0000-4000-8000-000000000000", (tx) =>
      tx.select({ n: count() }).from(contacts),
    );
    expect(elsewhere[0]!.n).toBe(0);
  } finally {
    await connection.close();
  }
}
