/**
 * An import whose worker dies mid-file: Keel on PostgreSQL is killed with SIGKILL while the
 * `imports.run` job is writing batches, another Keel starts, and the import must end completed
 * with every row written exactly once. pg-boss runs the job again once it expires (2 minutes),
 * and the job continues from the last batch that committed. The same for a dry run
 * (`imports.dry-run`): it must end with every row counted, and every error stored, once. Run with
 * `npm run test:faults -- src/server/test/faults/imports.faults.ts`.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { sleep } from "../ports.ts";
import { signIn, startKeel, type KeelProcess } from "./keel-process.ts";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.ts";

let cluster: PostgresCluster;
const running: KeelProcess[] = [];
// Twenty batches (imports.run.ts batchRows): the kill lands after the first commits, mid-file.
const rows = 20_000;

beforeAll(async () => {
  cluster = await startPostgresCluster();
});

afterAll(async () => {
  for (const keel of running) await keel.stop();
  await cluster?.remove();
});

type ImportState = {
  id: string;
  status: string;
  rowsDone: number;
  created: number;
  failed: number;
  dryRun: Record<string, number> | null;
};

async function call<T>(keel: KeelProcess, cookie: string, method: string, path: string, body?: FormData): Promise<T> {
  const response = await fetch(`${keel.baseUrl}/api/v1${path}`, { method, headers: { cookie }, body: body ?? null });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await sleep(250);
  }
}

test("kill -9 during an import: another worker finishes it, each row written once", async () => {
  const first = await startKeel({ databaseUrl: cluster.url });
  running.push(first);
  const cookie = await signIn(first.baseUrl);
  // Ten last names: each group stays under the 10,000 rows the count endpoint counts exactly.
  const lines = Array.from({ length: rows }, (_, i) => `Kill${i},KillNineImport${i % 10},kill${i}@faults.test`);
  const form = new FormData();
  form.append("resource", "contacts");
  form.append("file", new Blob([["First Name,Last Name,Email", ...lines].join("\n")]), "kill.csv");
  const uploaded = await call<ImportState>(first, cookie, "POST", "/imports", form);
  await call(first, cookie, "POST", `/imports/${uploaded.id}/start`);

  const read = (keel: KeelProcess, session: string) => () =>
    call<ImportState>(keel, session, "GET", `/imports/${uploaded.id}`);
  const midway = await until(read(first, cookie), (state) => state.rowsDone >= 1_000, 120_000);
  expect(midway.status).toBe("running");
  expect(midway.rowsDone).toBeLessThan(rows);
  await first.kill9();

  const second = await startKeel({ databaseUrl: cluster.url });
  running.push(second);
  const secondCookie = await signIn(second.baseUrl);
  const done = await until(read(second, secondCookie), (state) => state.status !== "running", 480_000);
  expect(done).toMatchObject({ status: "completed", rowsDone: rows, created: rows, failed: 0 });

  let count = 0;
  for (let group = 0; group < 10; group++) {
    const path = `/contacts/count?filter[lastName][eq]=KillNineImport${group}`;
    count += (await call<{ count: number }>(second, secondCookie, "GET", path)).count;
  }
  expect(count).toBe(rows);
}, 600_000);

test("kill -9 during a dry run: another worker finishes it, each row counted once, nothing written", async () => {
  const first = await startKeel({ databaseUrl: cluster.url });
  running.push(first);
  const cookie = await signIn(first.baseUrl);
  // Every thousandth row has a bad e-mail: twenty errors, one in each batch.
  const lines = Array.from({ length: rows }, (_, i) =>
    i % 1_000 === 7 ? `Dry${i},KillNineDryRun,not-an-email` : `Dry${i},KillNineDryRun,dry${i}@faults.test`,
  );
  const form = new FormData();
  form.append("resource", "contacts");
  form.append("file", new Blob([["First Name,Last Name,Email", ...lines].join("\n")]), "dry.csv");
  const uploaded = await call<ImportState>(first, cookie, "POST", "/imports", form);
  const accepted = await call<ImportState>(first, cookie, "POST", `/imports/${uploaded.id}/dry-run`);
  expect(accepted).toMatchObject({ status: "validating", rowsDone: 0 });

  const read = (keel: KeelProcess, session: string) => () =>
    call<ImportState>(keel, session, "GET", `/imports/${uploaded.id}`);
  const midway = await until(read(first, cookie), (state) => state.rowsDone >= 1_000, 120_000);
  expect(midway.status).toBe("validating");
  expect(midway.rowsDone).toBeLessThan(rows);
  await first.kill9();

  const second = await startKeel({ databaseUrl: cluster.url });
  running.push(second);
  const secondCookie = await signIn(second.baseUrl);
  const done = await until(read(second, secondCookie), (state) => state.status !== "validating", 480_000);
  expect(done).toMatchObject({
    status: "uploaded",
    created: 0,
    dryRun: { rowsTotal: rows, wouldCreate: rows - 20, wouldUpdate: 0, wouldSkip: 0, failed: 20 },
  });
  const errors = await call<{ data: { line: number }[]; nextCursor: string | null }>(
    second,
    secondCookie,
    "GET",
    `/imports/${uploaded.id}/errors?limit=500`,
  );
  expect(errors.data.map((error) => error.line)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1_000 + 9));
  const path = "/contacts/count?filter[lastName][eq]=KillNineDryRun";
  expect((await call<{ count: number }>(second, secondCookie, "GET", path)).count).toBe(0);
}, 600_000);
