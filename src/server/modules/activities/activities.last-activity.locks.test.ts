import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";

/**
 * The last-activity triggers (migration 0032) lock the records a statement may write in one
 * order, (workspace, id), before writing them: two statements over the same records then wait for
 * each other instead of deadlocking over rows locked in their join plans' orders (parallel import
 * batches did, at a million activities). Shown with two sessions of PostgreSQL: one holds a
 * record's lock, the other inserts activities of two records and waits; what it took meanwhile
 * shows the order. PostgreSQL only: the embedded database has one session.
 */

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Last activity locks");
});
afterAll(() => app.close());

/** Two contacts, the first with the lower id (ids are time-ordered). */
async function twoContacts(): Promise<[string, string]> {
  const ids: string[] = [];
  for (const lastName of ["Lower", "Higher"]) {
    const response = await ws.admin.client.post("/api/v1/contacts", { firstName: "Lock", lastName });
    expect(response.statusCode, response.body).toBe(201);
    ids.push(response.json<{ id: string }>().id);
  }
  expect(ids[0]! < ids[1]!).toBe(true);
  return [ids[0]!, ids[1]!];
}

async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  return client;
}

const lockContact = (client: pg.Client, id: string, nowait = false) =>
  client.query(
    `select 1 from contacts where workspace_id = $1 and id = $2 for no key update${nowait ? " nowait" : ""}`,
    [ws.id, id],
  );

/** Until `client`'s session waits on a lock (it is blocked inside its statement). */
async function waitingOnLock(observer: pg.Client, client: pg.Client): Promise<void> {
  const pid = (client as unknown as { processID: number }).processID;
  for (let tries = 0; tries < 200; tries++) {
    const { rows } = await observer.query("select wait_event_type from pg_stat_activity where pid = $1", [pid]);
    if (rows[0]?.wait_event_type === "Lock") return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the inserting session never waited on a lock");
}

/**
 * Holds `heldId` in session one, then has session two insert an activity for each contact in one
 * statement, in the order given (the trigger must not follow it); answers whether session one could
 * then lock `probeId` at once, and the contacts' last activity once both committed.
 */
async function race(heldId: string, probeId: string, activityOrder: [string, string]) {
  const [holder, inserter, observer] = [await session(), await session(), await session()];
  try {
    await holder.query("begin");
    await lockContact(holder, heldId);
    await inserter.query("begin");
    const occurredAt = new Date().toISOString();
    const insert = inserter.query(
      `insert into activities (workspace_id, id, type, subject, occurred_at, contact_id)
       select $1, v.id, 'note', 'Lock order', $2, v.contact_id
       from (values ($3::uuid, $4::uuid, 1), ($5::uuid, $6::uuid, 2)) as v(id, contact_id, position)
       order by v.position`,
      [ws.id, occurredAt, newId(), activityOrder[0], newId(), activityOrder[1]],
    );
    await waitingOnLock(observer, inserter);
    const probeFree = await lockContact(holder, probeId, true).then(
      () => true,
      (error: { code?: string }) => {
        if (error.code !== "55P03") throw error; // lock_not_available
        return false;
      },
    );
    if (!probeFree) await holder.query("rollback");
    else await holder.query("commit");
    await insert;
    await inserter.query("commit");
    const { rows } = await observer.query<{ id: string; last: Date | null }>(
      "select id, last_activity_at as last from contacts where workspace_id = $1 and id = any($2)",
      [ws.id, activityOrder],
    );
    return { probeFree, lastActivity: rows.map((row) => row.last?.toISOString()), occurredAt };
  } finally {
    await Promise.all([holder, inserter, observer].map((client) => client.end()));
  }
}

describe.skipIf(!testDatabaseUrl)("last activity triggers lock records in (workspace, id) order (PostgreSQL)", () => {
  it("waiting for the lower record, the statement has not taken the higher one", async () => {
    const [lower, higher] = await twoContacts();
    // Activities listed higher first: a trigger following the statement's order would lock it.
    const outcome = await race(lower, higher, [higher, lower]);
    expect(outcome.probeFree).toBe(true);
    expect(outcome.lastActivity).toEqual([outcome.occurredAt, outcome.occurredAt]);
  });

  it("waiting for the higher record, the statement already holds the lower one", async () => {
    const [lower, higher] = await twoContacts();
    const outcome = await race(higher, lower, [higher, lower]);
    expect(outcome.probeFree).toBe(false);
    expect(outcome.lastActivity).toEqual([outcome.occurredAt, outcome.occurredAt]);
  });
});
