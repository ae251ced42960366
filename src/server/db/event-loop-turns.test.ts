import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDatabase } from "../test/create-test-app.ts";

/**
 * A job's loop of transactions must leave the event loop its turns: on embedded PGlite, whose
 * statements run synchronously and settle as microtasks, it once kept a server from answering any
 * request until an import ended (client.ts takeTurns). A timer stands for a request: it fires
 * only when the event loop gets a turn.
 */
const cap = 3_000;

async function statementsBeforeATimerFires(run: () => Promise<unknown>): Promise<number> {
  let done = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop && done < cap) {
      await run();
      done++;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const seen = done;
  stop = true;
  await loop;
  return seen;
}

describe("a loop of database work and the event loop", () => {
  it("lets a timer fire between transactions", async () => {
    const { db } = await testDatabase();
    const seen = await statementsBeforeATimerFires(() => db.transaction((tx) => tx.execute(sql`select 1`)));
    expect(seen).toBeLessThan(cap);
  });

  it("lets a timer fire between statements outside a transaction", async () => {
    const { db } = await testDatabase();
    const seen = await statementsBeforeATimerFires(() => db.execute(sql`select 1`));
    expect(seen).toBeLessThan(cap);
  });
});
