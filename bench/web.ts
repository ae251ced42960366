import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import pg from "pg";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { chromiumArgs, chromiumPath, hasChromium } from "../e2e/support/env.ts";
import { startServer, type RunningServer } from "../e2e/support/server.ts";
import { demoAccounts, demoPassword } from "../src/server/modules/seed/demo-accounts.ts";
import { benchPassword, benchUserEmail, benchmarkWorkspaceName } from "../src/server/modules/seed/large.seed.ts";
import { withSection } from "./doc-sections.ts";

/**
 * `npm run bench:web -- [--contacts N] [--email E --password P] [--runs R] [--rows 10000] [--step-rows S]`
 *
 * Measures the web app in Chromium against a Keel server started for the run (build, then serve):
 *  (a) first-load JavaScript: the scripts the browser fetches for sign-in + the dashboard (network
 *      log), summed raw, gzip (-9) and brotli (q11) — the build's precompressed encodings;
 *  (b) time to interactive of the contacts list: from navigation start of /contacts (signed in)
 *      until the first rows are rendered, and until the search box has taken a typed character;
 *  (c) frames dropped while scrolling 10,000 rows of the contacts table: the table's scroll
 *      container is scrolled by a few rows per animation frame until 10,000 rows have passed;
 *      a frame longer than 1.5 × the median frame interval counts as dropped.
 *
 * (b) and (c) need the big benchmark workspace: DATABASE_URL (or --database-url) of the database
 * `npm run bench` seeded; the workspace "Benchmark (N contacts)" (newest; --contacts, default
 * 1000000) and its first benchmark user are found as the API benchmark finds them, or pass
 * --email/--password (BENCH_EMAIL/BENCH_PASSWORD). Without a database, (a) runs on a fresh
 * embedded demo database and (b), (c) are reported as not measured.
 * Prints a table and writes bench/web-results.json.
 */

const resultsFile = fileURLToPath(new URL("./web-results.json", import.meta.url));
const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

type Credentials = { email: string; password: string; workspace: string };

type FirstLoad = {
  files: { url: string; raw: number; gzip: number; brotli: number; transferred: number; encoding: string | null }[];
  raw: number;
  gzip: number;
  brotli: number;
  transferred: number;
  budget: number;
};
type Interactive = { runs: { rowsMs: number; interactiveMs: number }[]; rowsMs: number; interactiveMs: number };
type Scroll = {
  rowsPassed: number;
  seconds: number;
  frames: number;
  medianFrameMs: number;
  droppedFrames: number;
  droppedPercent: number;
  longestFrameMs: number;
  stepRows: number;
  rowsLoaded: number;
  waitsForData: number;
};
type WebBenchResults = {
  date: string;
  machine: { cpus: number; cpu: string; memoryGb: number; node: string; chromium: string };
  database: "postgresql" | "embedded demo";
  workspace: string;
  firstLoadJs: FirstLoad;
  contactsInteractive: Interactive | { skipped: string };
  scroll: Scroll | { skipped: string };
};

class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${name} must be a positive integer`);
  return number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const kb = (bytes: number) => `${round(bytes / 1024)} KB`;

/** The benchmark workspace and its first user, as `npm run bench` finds them. */
async function benchCredentials(databaseUrl: string, contacts: number): Promise<Credentials> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const name = benchmarkWorkspaceName(contacts);
    const result = await client.query<{ id: string }>(
      "select id from workspaces where name = $1 order by created_at desc limit 1",
      [name],
    );
    const workspace = result.rows[0];
    if (!workspace) {
      throw new UsageError(
        `No workspace "${name}" in that database. Seed it with \`npm run bench -- --contacts ${contacts}\` ` +
          "(or `npm run keel -- seed --contacts N`), or pass --email and --password of a user of a big workspace.",
      );
    }
    return { email: benchUserEmail(workspace.id, 1), password: benchPassword, workspace: `${name} (${workspace.id})` };
  } finally {
    await client.end();
  }
}

async function newContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
  });
  context.setDefaultTimeout(60_000);
  // tsx compiles with keepNames: functions passed to page.evaluate may call esbuild's __name helper.
  await context.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
  return context;
}

async function signIn(page: Page, credentials: Credentials): Promise<void> {
  await page.getByLabel("E-mail").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  // Enter, not a click: a pointer left over the dashboard would preload the pages its links lead to.
  await page.getByLabel("Password").press("Enter");
  await page.getByRole("button", { name: /^Account menu for / }).waitFor();
}

/** (a) The scripts a new visitor's browser fetches for the sign-in page, signing in, and the dashboard. */
async function measureFirstLoad(browser: Browser, baseUrl: string, credentials: Credentials): Promise<FirstLoad> {
  const context = await newContext(browser, baseUrl);
  const page = await context.newPage();
  const scripts = new Map<string, Promise<FirstLoad["files"][number] | null>>();
  page.on("response", (response) => {
    const url = response.url();
    const type = response.headers()["content-type"] ?? "";
    const isScript =
      response.request().resourceType() === "script" || /javascript/.test(type) || /\.m?js(\?|$)/.test(url);
    if (!isScript || scripts.has(url) || !url.startsWith(baseUrl)) return;
    scripts.set(
      url,
      (async () => {
        const body = await response.body();
        const sizes = await response.request().sizes();
        return {
          url: url.slice(baseUrl.length),
          raw: body.length,
          gzip: gzipSync(body, { level: 9 }).length,
          brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
          transferred: sizes.responseBodySize,
          encoding: response.headers()["content-encoding"] ?? null,
        };
      })().catch(() => null),
    );
  });
  await page.goto("/sign-in");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await signIn(page, credentials);
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  await page.waitForLoadState("networkidle");
  const files = (await Promise.all(scripts.values())).filter((f) => f !== null);
  await context.close();
  const sum = (key: "raw" | "gzip" | "brotli" | "transferred") => files.reduce((total, f) => total + f[key], 0);
  return {
    files,
    raw: sum("raw"),
    gzip: sum("gzip"),
    brotli: sum("brotli"),
    transferred: sum("transferred"),
    budget: 300 * 1024,
  };
}

/** (b) Navigation start → first contact rows rendered, and → the search box has taken a character. */
async function measureInteractive(
  browser: Browser,
  baseUrl: string,
  credentials: Credentials,
  runs: number,
): Promise<Interactive> {
  const context = await newContext(browser, baseUrl);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await signIn(page, credentials);
  // One visit first: the browser cache then holds the scripts, as for someone using the app daily.
  await page.goto("/contacts");
  await page.locator("[data-testid=data-table-scroll] tbody tr[data-index]").first().waitFor();
  const results: Interactive["runs"] = [];
  for (let run = 0; run < runs; run++) {
    await page.goto("about:blank");
    await page.goto("/contacts", { waitUntil: "commit" });
    const rowsHandle = await page.waitForFunction(
      () =>
        document.querySelector("[data-testid=data-table-scroll] tbody tr[data-index]") ? performance.now() : false,
      undefined,
      { polling: "raf", timeout: 120_000 },
    );
    const rowsMs = (await rowsHandle.jsonValue()) as number;
    const search = page.getByRole("searchbox", { name: "Search contacts" });
    await search.press("x");
    const typedHandle = await page.waitForFunction(
      () =>
        (document.querySelector('input[type="search"]') as HTMLInputElement | null)?.value === "x"
          ? performance.now()
          : false,
      undefined,
      { polling: "raf" },
    );
    const interactiveMs = (await typedHandle.jsonValue()) as number;
    results.push({ rowsMs: round(rowsMs), interactiveMs: round(interactiveMs) });
    log(
      `[bench:web] contacts list run ${run + 1}: rows at ${round(rowsMs)} ms, search box took input at ${round(interactiveMs)} ms`,
    );
  }
  await context.close();
  return {
    runs: results,
    rowsMs: round(median(results.map((r) => r.rowsMs))),
    interactiveMs: round(median(results.map((r) => r.interactiveMs))),
  };
}

/** (c) Scrolls the contacts table by `stepRows` rows per animation frame until `rows` rows have passed. */
async function measureScroll(
  browser: Browser,
  baseUrl: string,
  credentials: Credentials,
  rows: number,
  stepRows: number,
): Promise<Scroll> {
  const context = await newContext(browser, baseUrl);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await signIn(page, credentials);
  await page.goto("/contacts");
  await page.locator("[data-testid=data-table-scroll] tbody tr[data-index]").first().waitFor();
  await page.waitForLoadState("networkidle");
  const result = await page.evaluate(
    async ({ rows, stepRows }) => {
      const scroller = document.querySelector<HTMLElement>("[data-testid=data-table-scroll]");
      const firstRow = scroller?.querySelector<HTMLElement>("tbody tr[data-index]");
      if (!scroller || !firstRow) throw new Error("No contacts table on the page");
      const rowHeight = firstRow.getBoundingClientRect().height;
      const target = rows * rowHeight;
      const frames: number[] = [];
      let waits = 0;
      let stalledSince = 0;
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        let last = performance.now();
        const tick = (now: number) => {
          frames.push(now - last);
          last = now;
          if (scroller.scrollTop >= target) return resolve();
          const before = scroller.scrollTop;
          scroller.scrollTop = Math.min(target, before + stepRows * rowHeight);
          if (scroller.scrollTop <= before) {
            // At the end of the loaded rows: the next page is on its way.
            if (!stalledSince) {
              stalledSince = now;
              waits += 1;
            } else if (now - stalledSince > 60_000) {
              return reject(new Error(`No more rows after ${Math.round(before / rowHeight)} rows (waited 60 s)`));
            }
          } else {
            stalledSince = 0;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(tick);
        });
      });
      return {
        frames,
        seconds: (performance.now() - started) / 1000,
        rowsPassed: Math.floor(scroller.scrollTop / rowHeight),
        waits,
        rowsLoaded: Math.round(scroller.scrollHeight / rowHeight),
      };
    },
    { rows, stepRows },
  );
  await context.close();
  const intervals = result.frames.slice(1);
  const medianFrameMs = median(intervals);
  const dropped = intervals.filter((ms) => ms > 1.5 * medianFrameMs).length;
  return {
    rowsPassed: result.rowsPassed,
    seconds: round(result.seconds),
    frames: intervals.length,
    medianFrameMs: round(medianFrameMs, 2),
    droppedFrames: dropped,
    droppedPercent: round((100 * dropped) / Math.max(1, intervals.length), 2),
    longestFrameMs: round(Math.max(...intervals)),
    stepRows,
    rowsLoaded: result.rowsLoaded,
    waitsForData: result.waits,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      contacts: { type: "string", default: "1000000" },
      email: { type: "string" },
      password: { type: "string" },
      runs: { type: "string", default: "5" },
      rows: { type: "string", default: "10000" },
      "step-rows": { type: "string", default: "4" },
    },
  });
  if (!hasChromium)
    throw new UsageError(`Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL;
  const contacts = positiveInteger("--contacts", values.contacts);
  const runs = positiveInteger("--runs", values.runs);
  const rows = positiveInteger("--rows", values.rows);
  const stepRows = positiveInteger("--step-rows", values["step-rows"]);
  const email = values.email ?? process.env.BENCH_EMAIL;
  const password = values.password ?? process.env.BENCH_PASSWORD;

  let credentials: Credentials;
  if (email && password) credentials = { email, password, workspace: `the workspace of ${email}` };
  else if (databaseUrl) credentials = await benchCredentials(databaseUrl, contacts);
  else {
    const admin = demoAccounts.find((a) => a.role === "admin");
    credentials = { email: admin?.email ?? "", password: demoPassword, workspace: "the demo workspace (embedded)" };
    log("[bench:web] no DATABASE_URL: first-load JavaScript only, on a fresh embedded demo database");
  }

  log("[bench:web] building the web app and starting Keel…");
  const server: RunningServer = await startServer(process.env, {
    databaseUrl,
    nodeEnv: "production",
    logFile: fileURLToPath(new URL("../test-results/bench-web-server.log", import.meta.url)),
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    log(`[bench:web] Keel at ${server.baseUrl}; ${credentials.workspace}`);
    const firstLoadJs = await measureFirstLoad(browser, server.baseUrl, credentials);
    log(
      `[bench:web] first load: ${firstLoadJs.files.length} scripts, ${kb(firstLoadJs.gzip)} gzip, ${kb(firstLoadJs.brotli)} brotli`,
    );
    const noDatabase = { skipped: "needs DATABASE_URL of the benchmark database (npm run bench seeds it)" };
    const contactsInteractive =
      databaseUrl || email ? await measureInteractive(browser, server.baseUrl, credentials, runs) : noDatabase;
    const scroll =
      databaseUrl || email ? await measureScroll(browser, server.baseUrl, credentials, rows, stepRows) : noDatabase;

    const results: WebBenchResults = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model.trim() ?? "unknown",
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        chromium: browser.version(),
      },
      database: databaseUrl ? "postgresql" : "embedded demo",
      workspace: credentials.workspace,
      firstLoadJs,
      contactsInteractive,
      scroll,
    };
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
    const doc = await readFile(docFile, "utf8").catch(() => "# Benchmarks\n");
    await writeFile(docFile, withSection(doc, "web-app", webSection(results)));
    log(`[bench:web] results in ${resultsFile} and docs/benchmarks.md`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

function tableRows(results: WebBenchResults): [string, string, string][] {
  const { firstLoadJs: js, contactsInteractive: tti, scroll } = results;
  return [
    [
      "First-load JS (sign-in + dashboard)",
      `${kb(js.gzip)} gzip, ${kb(js.brotli)} brotli (${kb(js.raw)} raw, ${js.files.length} files)`,
      `≤ 300 KB compressed: gzip ${js.gzip <= js.budget ? "met" : `over by ${kb(js.gzip - js.budget)}`}, ` +
        `brotli ${js.brotli <= js.budget ? "met" : `over by ${kb(js.brotli - js.budget)}`}`,
    ],
    "skipped" in tti
      ? ["Contacts list: time to interactive", "not measured", tti.skipped]
      : [
          "Contacts list: time to interactive",
          `${tti.interactiveMs} ms (rows at ${tti.rowsMs} ms)`,
          `median of ${tti.runs.length}, from navigation start`,
        ],
    "skipped" in scroll
      ? ["Scrolling rows: frames dropped", "not measured", scroll.skipped]
      : [
          `Scrolling ${scroll.rowsPassed.toLocaleString("en")} rows: frames dropped`,
          `${scroll.droppedFrames} of ${scroll.frames} (${scroll.droppedPercent} %)`,
          `median frame ${scroll.medianFrameMs} ms, longest ${scroll.longestFrameMs} ms, ${scroll.stepRows} rows/frame, ` +
            `${scroll.seconds} s, ${scroll.waitsForData} waits for the next page`,
        ],
  ];
}

/** The "Web app" section of docs/benchmarks.md. */
function webSection(results: WebBenchResults): string {
  const rows = tableRows(results).map((r) => `| ${r.join(" | ")} |`);
  const machine = results.machine;
  return [
    "## Web app",
    "",
    "`DATABASE_URL=postgres://…/keel_bench npm run bench:web` (the database `npm run bench` seeded): Keel is built",
    "and served for the run and driven in Chromium (headless, no GPU) on the same machine.",
    `Last run ${results.date}, ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node},`,
    `Chromium ${machine.chromium}, ${results.database}, workspace ${results.workspace}.`,
    "",
    "| measure | result | notes |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "- **First load** is every script the browser fetches to show the sign-in page and then the",
    "  dashboard, compressed as the server sends it (the build precompresses with brotli and gzip).",
    "  Each page is its own chunk; the dashboard's chart library loads after its figures.",
    "- **Time to interactive** runs from navigation start of `/contacts`, signed in, until the first",
    "  rows are in the table and the search box has taken a typed character.",
    "- **Scrolling** moves the table a few rows per animation frame until 10,000 rows have passed; a",
    "  frame longer than 1.5 × the median frame interval counts as dropped. Rows are fetched 100 at",
    "  a time, two pages ahead; only the visible rows are in the page. The browser, the server and",
    "  PostgreSQL share the machine's cores, so frames are dropped mostly while a page of rows is",
    "  fetched and rendered.",
  ].join("\n");
}

function printTable(results: WebBenchResults): void {
  const rows = tableRows(results);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i]?.length ?? 0), ["measure", "result", "notes"][i]?.length ?? 0),
  );
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(line(["measure", "result", "notes"]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
