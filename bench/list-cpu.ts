import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import Fastify from "fastify";
import pg from "pg";
import { buildApp } from "../src/server/app.ts";
import { parseConfig } from "../src/server/config.ts";
import { openPostgres } from "../src/server/db/client.ts";
import { migrate } from "../src/server/db/migrate.ts";
import { benchPassword, benchUserEmail } from "../src/server/modules/seed/large.seed.ts";
import { benchmarkWorkspaceOf } from "./bench-workspace.ts";
import { listPath } from "./scenarios.ts";

/**
 * `DATABASE_URL=… tsx bench/list-cpu.ts [--contacts 20000] [--requests 2000] [--path list|record|…]
 * [--profile file] [--dump file] [--floor]`: the CPU time Keel's own process spends per list
 * request, not its throughput (which depends on whatever else shares the machine). Serves the app
 * in this process on DATABASE_URL (seeding a benchmark workspace when there is none), signs in,
 * warms up, then sends the benchmark's list request (or `--path`) sequentially through `inject`
 * and divides process.cpuUsage() by the number of requests. `--profile` writes a CPU profile of
 * that loop. `--dump` writes every answer of a fixed set of list URLs (and a hash of each), to
 * check that a change leaves them byte for byte. `--floor` then measures what the request costs
 * any Node.js server at least (measureFloors).
 */

const paths = {
  list: listPath,
  companies: "/api/v1/companies?limit=50&include=owner",
  leads: "/api/v1/leads?limit=50&include=contacts,company,owner",
  deals: "/api/v1/deals?limit=50&include=company,contact,owner,stage",
  contactsIncluded: "/api/v1/contacts?limit=50&include=company,owner&sort=lastName",
  contactsByOwner: "/api/v1/contacts?limit=50&sort=ownerId",
  contactsSearch: "/api/v1/contacts?q=garcia&limit=50",
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contacts: { type: "string", default: "20000" },
      requests: { type: "string", default: "2000" },
      path: { type: "string", default: "list" },
      dump: { type: "string" },
      trace: { type: "boolean", default: false },
      floor: { type: "boolean", default: false },
      profile: { type: "string" },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required (a PostgreSQL database of your own)");
  const wanted = Number(values.contacts);
  const requests = Number(values.requests);

  const connection = await openPostgres(databaseUrl, 4);
  await migrate(connection);
  const workspaceId = await benchmarkWorkspaceOf(connection, wanted);
  const config = parseConfig({
    ...process.env,
    NODE_ENV: "production",
    // Production needs it (links in e-mails); the benchmark sends none.
    PUBLIC_URL: "http://127.0.0.1",
    LOG_LEVEL: "silent",
    KEEL_DEMO: "false",
    RATE_LIMIT_API_PER_MINUTE: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "0",
  });
  const app = await buildApp(config, { db: connection.db });
  try {
    const headers = { cookie: await signIn(app, benchUserEmail(workspaceId, 1)), "x-workspace-id": workspaceId };
    const get = async (url: string) => {
      const response = await app.inject({ method: "GET", url, headers });
      if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${response.body}`);
      return response.body;
    };
    if (values.dump) await dumpAnswers(get, values.dump);
    const url =
      values.path === "record" ? await recordPath(get) : (paths[values.path as keyof typeof paths] ?? values.path);
    for (let i = 0; i < 300; i++) await get(url);
    if (values.trace) await traced(() => get(url));
    const profiler = values.profile ? await startProfiler() : null;
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < requests; i++) await get(url);
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    if (profiler && values.profile) await writeFile(values.profile, JSON.stringify(await profiler.stop()));
    const perRequest = (used.user + used.system) / requests;
    console.log(
      `${url}: ${requests} requests, CPU ${perRequest.toFixed(0)} µs/request ` +
        `(user ${(used.user / requests).toFixed(0)}, system ${(used.system / requests).toFixed(0)}), ` +
        `wall ${((wall * 1000) / requests).toFixed(0)} µs/request`,
    );
    if (values.floor) await measureFloors(databaseUrl, get, url, requests);
  } finally {
    await app.close();
    await connection.close();
  }
}

/** `--path record`: the benchmark's record request (includes company and owner), of the list's first contact. */
async function recordPath(get: (url: string) => Promise<string>): Promise<string> {
  const [first] = (JSON.parse(await get(listPath)) as { data: { id: string }[] }).data;
  if (!first) throw new Error("The benchmark's list is empty");
  return `/api/v1/contacts/${first.id}?include=company,owner`;
}

async function signIn(app: Awaited<ReturnType<typeof buildApp>>, email: string): Promise<string> {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/sign-in",
    payload: { email, password: benchPassword },
  });
  // `__Host-keel_session` where cookies are Secure, plain `keel_session` otherwise.
  const session = response.cookies.find((c) => c.name.endsWith("keel_session"));
  if (!session) throw new Error(`Sign-in as ${email} answered ${response.statusCode}: ${response.body}`);
  return `${session.name}=${session.value}`;
}

/** A CPU profile of the measured loop only (not of start-up and seeding), for `--profile file.cpuprofile`. */
async function startProfiler(): Promise<{ stop: () => Promise<object> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  return {
    stop: async () => {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      return profile;
    },
  };
}

type SentStatement = { name: string; text: string; values: unknown[]; rowMode?: string; types?: unknown };

/** Calls `seen` with each statement `work` sends through node-postgres (name, text, parameters). */
async function watchingStatements(work: () => Promise<unknown>, seen: (statement: SentStatement) => void) {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as
      string | { text: string; name?: string; values?: unknown[]; rowMode?: string; types?: unknown };
    const text = typeof config === "string" ? config : config.text;
    const name = typeof config === "string" ? "" : (config.name ?? "");
    const values = (args[1] ?? (typeof config === "string" ? [] : config.values)) as unknown[];
    const { rowMode, types } = typeof config === "string" ? {} : config;
    seen({ name, text, values: Array.isArray(values) ? values : [], rowMode, types });
    return query.apply(this, args);
  } as never;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query as never;
  }
}

/** Prints each statement `work` sends (name, text, parameters) to stderr. */
async function traced(work: () => Promise<unknown>): Promise<void> {
  await watchingStatements(work, ({ name, text, values }) =>
    process.stderr.write(`[${name}] ${text.replace(/\s+/g, " ").slice(0, 400)} ${JSON.stringify(values)}\n`),
  );
}

/**
 * `--floor`: what any Node.js server answering this request with node-postgres must spend at
 * least, measured the same way as Keel: (1) the statements Keel sent for one request, replayed
 * `requests` times through node-postgres (the same texts, parameters, prepared-statement names,
 * row mode and type parsers as Keel's queries asked for) and nothing else; (2) Fastify answering
 * Keel's own response body, as a fixed string, through `inject`.
 */
async function measureFloors(
  databaseUrl: string,
  get: (url: string) => Promise<string>,
  url: string,
  requests: number,
): Promise<void> {
  const statements: SentStatement[] = [];
  const body = await (async () => {
    let answer = "";
    await watchingStatements(
      async () => (answer = await get(url)),
      (statement) => statements.push(statement),
    );
    return answer;
  })();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const replay = async () => {
      for (const { name, text, values, rowMode, types } of statements) {
        await client.query({ ...(name ? { name } : {}), text, values, rowMode, types } as pg.QueryConfig);
      }
    };
    const driver = await cpuPerRun(replay, requests);
    console.log(`  node-postgres alone, the same ${statements.length} statements: CPU ${driver.toFixed(0)} µs/request`);
  } finally {
    await client.end();
  }
  const bare = Fastify();
  bare.get("/fixed", (_request, reply) => reply.type("application/json").send(body));
  await bare.ready();
  try {
    const fixed = async () => void (await bare.inject({ method: "GET", url: "/fixed" }));
    const http = await cpuPerRun(fixed, requests);
    console.log(`  Fastify answering the same ${body.length}-byte body: CPU ${http.toFixed(0)} µs/request`);
  } finally {
    await bare.close();
  }
}

/** Process CPU per run of `work`, after 300 runs to warm up. */
async function cpuPerRun(work: () => Promise<void>, runs: number): Promise<number> {
  for (let i = 0; i < 300; i++) await work();
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) await work();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / runs;
}

/** Every answer of `paths` and of the list's next two pages, with a hash of each, into `file`. */
async function dumpAnswers(get: (url: string) => Promise<string>, file: string): Promise<void> {
  const lines: string[] = [];
  for (const [name, path] of Object.entries(paths)) {
    let url = path;
    for (let page = 0; page < 3; page++) {
      const body = await get(url);
      lines.push(`${name}#${page} ${createHash("sha256").update(body).digest("hex")}`, body);
      const next = (JSON.parse(body) as { nextCursor: string | null }).nextCursor;
      if (!next) break;
      url = `${path}&cursor=${encodeURIComponent(next)}`;
    }
  }
  await writeFile(file, `${lines.join("\n")}\n`);
}

await main();
