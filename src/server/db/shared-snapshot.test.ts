import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace } from "../modules/workspaces/index.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import { openPostgres, type DatabaseConnection, type Transaction } from "./client.ts";
import { readInOneSnapshot } from "./shared-snapshot.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * Reads of one report side by side in one snapshot (shared-snapshot.ts), as the dashboard reads
 * its widgets: on a PostgreSQL server in two sessions, each seeing the same moment and only the
 * workspace's rows; on the embedded database one after another in the caller's transaction. A pool
 * of two connections shows that both are returned, whatever happened.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const snapshot = { isolationLevel: "repeatable read", accessMode: "read only" } as const;
type Rows<T> = { rows: T[] };

let connection: DatabaseConnection;
let ownsConnection = false;
const workspaces: string[] = [];
let adminUserId: string;

beforeAll(async () => {
  const shared = await testDatabase();
  adminUserId = (await createUser("Snapshot reads")).id;
  for (const name of ["Snapshot reads", "Snapshot neighbour"]) {
    const { id } = await createWorkspace(shared.db, { name, adminUserId });
    workspaces.push(id);
    await addContacts(shared, id, 30);
  }
  ownsConnection = Boolean(testDatabaseUrl);
  connection = testDatabaseUrl ? await openPostgres(testDatabaseUrl, 2) : shared;
});

afterAll(async () => {
  if (ownsConnection) await connection.close();
});

async function addContacts(on: DatabaseConnection, workspaceId: string, count: number): Promise<void> {
  await withWorkspaceTransaction(on.db, workspaceId, (tx) =>
    tx.execute(sql`insert into contacts (workspace_id, id, first_name, last_name, owner_id)
      select ${workspaceId}, gen_random_uuid(), 'Snapshot', 'Row ' || n, ${adminUserId} from generate_series(1, ${count}) n`),
  );
}

/** Contacts seen (no workspace condition: row-level security alone scopes them) and the session that saw them. */
async function seen(tx: Transaction): Promise<{ contacts: number; session: number }> {
  const result = (await tx.execute(
    sql`select count(*)::int as contacts, pg_backend_pid() as session from contacts`,
  )) as unknown as Rows<{ contacts: number; session: number }>;
  return result.rows[0]!;
}

const inSnapshot = <T>(work: (tx: Transaction) => Promise<T>) =>
  withWorkspaceTransaction(connection.db, workspaces[0]!, work, snapshot);

describe("reading in one snapshot", () => {
  it("answers every read under its name, all from the caller's moment, of the workspace's rows only", async () => {
    // On a server a change commits from another session after the caller's snapshot was taken and
    // before the reads. (The embedded database has one session, held by the transaction: a write
    // outside it would wait for it.)
    const added = testDatabaseUrl ? 5 : 0;
    const writer = await testDatabase();
    const read = await inSnapshot(async (tx) => {
      const before = await seen(tx);
      if (added > 0) await addContacts(writer, workspaces[0]!, added);
      const reads = await readInOneSnapshot(connection.db, tx, workspaces[0]!, {
        first: seen,
        // Starts while the first runs: on a server, in the second session.
        second: seen,
        third: async (t) => (await seen(t)).contacts,
      });
      return { before, ...reads };
    });
    expect(read.before.contacts).toBe(30);
    expect(read.first.contacts).toBe(30);
    expect(read.second.contacts).toBe(30);
    expect(read.third).toBe(30);
    if (testDatabaseUrl) expect(read.second.session).not.toBe(read.first.session);
    expect((await inSnapshot(seen)).contacts).toBe(30 + added);
  });

  it("throws the first failure, starts no read after it, waits for those running, and returns both connections", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      let otherFinished = false;
      const failing = inSnapshot((tx) =>
        readInOneSnapshot(connection.db, tx, workspaces[0]!, {
          failing: async () => {
            throw new Error("widget failed");
          },
          slow: async (t) => {
            await t.execute(sql`select pg_sleep(0.2)`);
            otherFinished = true;
          },
          never: async () => {
            throw new Error("a read started after a failure");
          },
        }),
      );
      await expect(failing).rejects.toThrow("widget failed");
      // On a server the second session had taken the slow read; the embedded database never starts it.
      expect(otherFinished).toBe(Boolean(testDatabaseUrl));
    }
    // A leaked connection would leave this pool of two waiting.
    expect((await inSnapshot(seen)).contacts).toBeGreaterThanOrEqual(30);
    const workspace = (await connection.db.execute(
      sql`select current_setting('app.workspace_id', true) as id`,
    )) as unknown as Rows<{ id: string | null }>;
    expect(workspace.rows[0]?.id ?? "").toBe("");
  });
});
