import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openPostgres } from "../src/server/db/client.ts";
import { migrate } from "../src/server/db/migrate.ts";
import { benchUserEmail } from "../src/server/modules/seed/large.seed.ts";
import { benchmarkWorkspaceOf } from "./bench-workspace.ts";
import { withSection } from "./doc-sections.ts";
import { round, startServe } from "./keel-serve.ts";
import { signIn } from "./scenarios.ts";

/**
 * `DATABASE_URL=… tsx bench/list-sorts.ts [--contacts N] [--requests R]`: every list's sorts at
 * scale, against PRODUCT.md §10's list target (p95 ≤ 25 ms over one connection). On the
 * benchmark workspace of `npm run bench` (the newest "Benchmark (N contacts)", seeded when
 * missing), `keel serve` in a child process answers each sorted list R times in a row over one
 * connection: its first page, and a deep page (the cursor after 20 pages), which keyset paging
 * must serve as fast. Writes bench/list-sorts-results.json and the "list-sorts" section of
 * docs/benchmarks.md.
 */

const resultsFile = fileURLToPath(new URL("./list-sorts-results.json", import.meta.url));
const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const log = (line: string) => process.stderr.write(`[bench:list-sorts] ${line}\n`);
const targetP95Ms = 25;
const deepPages = 20;

/** The sorts a user picks by clicking a column header, list by list (50 rows a page, as the web app asks). */
const sortedLists = [
  "contacts?sort=lastName",
  "contacts?sort=-createdAt",
  "contacts?sort=ownerId",
  "contacts?sort=-lastActivityAt",
  "contacts?filter%5Blifecycle%5D=customer&sort=lastName",
  "companies?sort=name",
  "companies?sort=-employeeCount",
  "leads?sort=-score",
  "leads?sort=-estimatedValue",
  "leads?sort=status",
  "deals?sort=-value",
  "deals?sort=expectedCloseDate",
  "deals?sort=stageId",
  "deals?sort=ownerId",
  "deals?sort=-lastActivityAt",
  "tasks",
  "tasks?sort=dueAt",
  "tasks?sort=-priority",
  "activities?sort=-occurredAt",
].map((query) => `/api/v1/${query}${query.includes("?") ? "&" : "?"}limit=50`);

type Timing = { p50Ms: number; p95Ms: number };
type SortResult = { path: string; first: Timing; deep: Timing; deepPage: number };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { contacts: { type: "string" }, requests: { type: "string" } } });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("Set DATABASE_URL to a PostgreSQL database (as for npm run bench).");
  const contacts = Number(values.contacts ?? 1_000_000);
  const requests = Number(values.requests ?? 40);
  const workspaceId = await benchmarkWorkspace(databaseUrl, contacts);
  const keel = await startServe(databaseUrl, os.tmpdir());
  try {
    const base = `http://127.0.0.1:${keel.port}`;
    const cookie = await signIn(base, benchUserEmail(workspaceId, 1));
    const results: SortResult[] = [];
    for (const path of sortedLists) {
      const result = await measureSort(base, { cookie }, path, requests);
      log(`${path}: first p95 ${result.first.p95Ms} ms, page ${result.deepPage} p95 ${result.deep.p95Ms} ms`);
      results.push(result);
    }
    await report(contacts, requests, results);
  } finally {
    await keel.stop();
  }
}

/** The benchmark workspace of that size on DATABASE_URL, migrated and seeded when missing. */
async function benchmarkWorkspace(databaseUrl: string, contacts: number): Promise<string> {
  const connection = await openPostgres(databaseUrl, 4);
  try {
    await migrate(connection);
    return await benchmarkWorkspaceOf(connection, contacts);
  } finally {
    await connection.close();
  }
}

async function measureSort(
  base: string,
  headers: Record<string, string>,
  path: string,
  requests: number,
): Promise<SortResult> {
  let deepPath = path;
  let deepPage = 1;
  for (; deepPage <= deepPages; deepPage++) {
    const { nextCursor } = (await get(base, headers, deepPath)) as { nextCursor: string | null };
    if (!nextCursor) break;
    deepPath = `${path}&cursor=${encodeURIComponent(nextCursor)}`;
  }
  return {
    path,
    first: await timed(base, headers, path, requests),
    deep: await timed(base, headers, deepPath, requests),
    deepPage,
  };
}

async function get(base: string, headers: Record<string, string>, path: string): Promise<unknown> {
  const response = await fetch(`${base}${path}`, { headers });
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** One request after another (one connection: fetch keeps it alive), after five to warm up. */
async function timed(base: string, headers: Record<string, string>, path: string, requests: number): Promise<Timing> {
  for (let i = 0; i < 5; i++) await get(base, headers, path);
  const durations: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await get(base, headers, path);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  const at = (share: number) =>
    round(durations[Math.min(durations.length - 1, Math.ceil(share * durations.length) - 1)]!);
  return { p50Ms: at(0.5), p95Ms: at(0.95) };
}

/** `contacts?sort=lastName` for `/api/v1/contacts?sort=lastName&limit=50`; the default order named. */
function listAndSort(path: string): string {
  const query = decodeURIComponent(path.replace("/api/v1/", "").replace(/[?&]limit=50$/, ""));
  return query.includes("?") ? query : `${query} (default order)`;
}

async function report(contacts: number, requests: number, results: SortResult[]): Promise<void> {
  const loadAverage = os.loadavg().map(round);
  const command = `DATABASE_URL=… tsx bench/list-sorts.ts --contacts ${contacts} --requests ${requests}`;
  const date = new Date().toISOString();
  await writeFile(
    resultsFile,
    `${JSON.stringify({ command, date, contacts, requests, loadAverage, results }, null, 2)}\n`,
  );
  const verdict = (ms: number) => (ms <= targetP95Ms ? "pass" : `miss by ${round(ms - targetP95Ms)} ms`);
  const rows = results.map(
    (r) =>
      `| \`${listAndSort(r.path)}\` | ${r.first.p50Ms} / ${r.first.p95Ms} | ${r.deepPage} | ${r.deep.p50Ms} / ${r.deep.p95Ms} | ${verdict(Math.max(r.first.p95Ms, r.deep.p95Ms))} |`,
  );
  // On a busy machine the tails measure the other work as well: say so next to the figures.
  const busy = loadAverage[0]! > os.cpus().length;
  const body = [
    "## Sorted lists",
    "",
    `\`${command}\` on PostgreSQL, ${date.slice(0, 10)}; ${os.cpus().length} cores, Node ${process.version},`,
    `load average ${loadAverage.join(" / ")}.`,
    "",
    `Every list's sorts on the benchmark workspace (${contacts.toLocaleString("en")} contacts), 50 rows a page,`,
    `${requests} requests in a row over one connection after 5 to warm up: the first page, and the page`,
    `the cursor reaches after ${deepPages} pages. Target (PRODUCT.md §10): p95 ≤ ${targetP95Ms} ms.`,
    ...(busy
      ? [
          "",
          `The machine was busy with other work (load average ${loadAverage[0]} on ${os.cpus().length} cores): the p95`,
          "figures include its waits; the p50 figures are closer to what an idle machine answers.",
        ]
      : []),
    "",
    "| list and sort | first page p50 / p95 ms | deep page | deep page p50 / p95 ms | verdict |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
  const doc = await readFile(docFile, "utf8");
  await writeFile(docFile, withSection(doc, "list-sorts", body));
}

await main();
