import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { openPostgres, type Database } from "../src/server/db/client.ts";
import { migrate } from "../src/server/db/migrate.ts";
import { newId } from "../src/server/lib/ids.ts";
import { hashPassword } from "../src/server/modules/auth/passwords.ts";
import { contacts } from "../src/server/modules/contacts/contacts.table.ts";
import { outboxEvents } from "../src/server/modules/outbox/outbox.table.ts";
import { users } from "../src/server/modules/users/users.table.ts";
import { webhookDeliveries } from "../src/server/modules/webhooks/webhooks.table.ts";
import { createWorkspace } from "../src/server/modules/workspaces/index.ts";
import { freePort, sleep } from "../src/server/test/ports.ts";
import { startWebhookReceiver } from "../src/server/test/webhook-receiver.ts";
import { withSection } from "./doc-sections.ts";
import { runHttp, summarize, type Measurement } from "./load.ts";
import { measureTrailCost, type TrailCost, type TrailComparison } from "./trail.ts";

/**
 * `npm run bench:webhooks -- [--events N] [--duration S] [--connections C]`, with DATABASE_URL:
 * `keel serve` (workers on) in a child process on a fresh workspace, one endpoint subscribed to
 * `contact.created` on a receiver on loopback (answers 204 at once), then:
 *  (a) deliveries per second: N events written to the outbox in one transaction, timed from its
 *      commit until the receiver has them all (the relay, the delivery jobs and their log);
 *  (b) relay lag under write load: `POST /api/v1/contacts` from C connections for S seconds; for
 *      each event, from its transaction's start (`created_at`) to the creation of its delivery job
 *      (relay lag), and to its arrival at the receiver (delivery lag), p50/p95/max.
 * Writes bench/webhooks-results.json and the "webhooks" section of docs/benchmarks.md.
 */

const resultsFile = fileURLToPath(new URL("./webhooks-results.json", import.meta.url));
const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const benchPassword = "bench-webhooks-password-1";

type Percentiles = { p50: number; p95: number; max: number };
type Results = {
  command: string;
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; postgres: string; loadAverage: number[] };
  throughput: { events: number; seconds: number; perSecond: number; handedOverSeconds: number; logged: number };
  writeLoad: {
    connections: number;
    duration: number;
    writes: Measurement;
    events: number;
    relayLagMs: Percentiles;
    deliveryLagMs: Percentiles;
  };
  trail: TrailCost;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "2000" },
      duration: { type: "string", default: "15" },
      connections: { type: "string", default: "20" },
      rounds: { type: "string", default: "3" },
    },
  });
  const eventCount = Number(values.events);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      "DATABASE_URL is not set, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/keel_bench npm run bench:webhooks",
    );
  }
  const connection = await openPostgres(databaseUrl, 4);
  const receiver = await startWebhookReceiver();
  const keel = await startServe(databaseUrl);
  try {
    await migrate(connection);
    const { db } = connection;
    const { workspaceId, email } = await createBenchWorkspace(db);
    const base = `http://127.0.0.1:${keel.port}`;
    const headers = { cookie: await signIn(base, email), "x-workspace-id": workspaceId, accept: "application/json" };
    const created = await fetch(`${base}/api/v1/webhooks`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ url: receiver.url, events: ["contact.created"] }),
    });
    if (created.status !== 201) throw new Error(`creating the endpoint answered ${created.status}`);
    const endpointId = ((await created.json()) as { id: string }).id;

    // (a) N events at once: relay, jobs, receiver, log.
    log(`[bench:webhooks] (a) ${eventCount} events in one transaction`);
    const committedAt = await writeEvents(db, workspaceId, eventCount);
    await receiver.waitFor((received) => received.length >= eventCount, 600_000);
    const seconds = (Date.now() - committedAt) / 1000;
    const handedOverSeconds = await secondsUntilPublished(db, workspaceId, committedAt);
    const logged = await countLogged(db, workspaceId, endpointId);
    const throughput = {
      events: eventCount,
      seconds: round(seconds),
      perSecond: Math.round(eventCount / seconds),
      handedOverSeconds: round(handedOverSeconds),
      logged,
    };
    log(`[bench:webhooks] ${throughput.perSecond} deliveries/s (${eventCount} in ${throughput.seconds} s)`);

    // (b) Contacts created under load, each delivered.
    log(`[bench:webhooks] (b) POST /api/v1/contacts, ${connections} connections, ${duration} s`);
    const loadStarted = new Date();
    const receivedBefore = receiver.received.length;
    const tag = Date.now().toString(36);
    let index = 0;
    const writes = await runHttp(
      {
        next: () => ({
          method: "POST",
          path: "/api/v1/contacts",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({
            firstName: "Bench",
            lastName: `Hook ${index}`,
            email: `hook-${tag}-${index++}@example.com`,
          }),
        }),
      },
      { url: base, connections, duration, headers },
    );
    const expected = writes.requests;
    await receiver.waitFor((received) => received.length >= receivedBefore + expected, 600_000);
    const relayLagMs = await relayLag(db, workspaceId, loadStarted);
    const deliveryLagMs = percentiles(
      receiver.received.slice(receivedBefore).map((request) => {
        const sent = Date.parse((JSON.parse(request.body) as { timestamp: string }).timestamp);
        return request.receivedAt - sent;
      }),
    );
    log(`[bench:webhooks] relay lag p95 ${relayLagMs.p95} ms; delivery lag p95 ${deliveryLagMs.p95} ms`);

    // (c) What the audit entry and the events add to a create and an update: nothing delivered.
    const off = await fetch(`${base}/api/v1/webhooks/${endpointId}`, {
      method: "PATCH",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ active: false }),
    });
    if (off.status !== 200) throw new Error(`turning the endpoint off answered ${off.status}`);
    const rounds = Number(values.rounds);
    log(`[bench:webhooks] (c) create and update with and without the trail, ${rounds} rounds`);
    const updateIds = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId))
      .limit(5_000);
    const trail = await measureTrailCost({
      databaseUrl,
      headers,
      updateIds: updateIds.map((row) => row.id),
      connections,
      seconds: Math.max(4, Math.round(duration / 3)),
      rounds,
    });
    log(
      `[bench:webhooks] trail adds ${percent(trail.create.p95Overhead)} to create p95, ${percent(trail.update.p95Overhead)} to update p95 (one at a time)`,
    );

    const results: Results = {
      command: commandLine(databaseUrl, process.argv.slice(2)),
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
        node: process.version,
        postgres: await scalar(db, sql`select current_setting('server_version')`),
        loadAverage: os.loadavg().map((load) => round(load)),
      },
      throughput,
      writeLoad: { connections, duration, writes, events: expected, relayLagMs, deliveryLagMs },
      trail,
    };
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    const doc = await readFile(docFile, "utf8").catch(() => "# Benchmarks\n");
    // A blank line after the opening marker, as Prettier keeps Markdown.
    const updated = withSection(doc, "webhooks", markdown(results));
    await writeFile(docFile, updated.replace("<!-- webhooks:start -->\n", "<!-- webhooks:start -->\n\n"));
    console.log(markdown(results));
    log(`[bench:webhooks] wrote ${resultsFile} and the webhooks section of ${docFile}`);
  } finally {
    await keel.stop();
    await receiver.close();
    await connection.close();
  }
}

/** `keel serve` with its workers, allowed to deliver to loopback, silent but for warnings. */
async function startServe(databaseUrl: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(`${repoRoot}node_modules/.bin/tsx`, ["src/server/cli/main.ts", "serve"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      // Production needs it (links in e-mails); the benchmark sends none.
      PUBLIC_URL: "http://127.0.0.1",
      COOKIE_SECURE: "false",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      KEEL_DEMO: "false",
      RATE_LIMIT_API_PER_MINUTE: "0",
      RATE_LIMIT_AUTH_PER_MINUTE: "0",
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let waited = 0; ; waited += 200) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || waited > 120_000) throw new Error("keel serve did not start");
    await sleep(200);
  }
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function createBenchWorkspace(db: Database): Promise<{ workspaceId: string; email: string }> {
  const userId = newId();
  const email = `webhooks-bench-${userId}@bench.keel.test`;
  await db
    .insert(users)
    .values({ id: userId, email, name: "Webhook bench", passwordHash: await hashPassword(benchPassword) });
  const workspace = await createWorkspace(db, {
    name: `Webhook benchmark ${new Date().toISOString()}`,
    adminUserId: userId,
  });
  return { workspaceId: workspace.id, email };
}

async function signIn(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: benchPassword }),
  });
  const cookie = response.headers.getSetCookie().find((value) => /keel_session=/.test(value));
  if (response.status !== 200 || !cookie) throw new Error(`sign-in answered ${response.status}`);
  return cookie.split(";")[0] ?? "";
}

/** Writes `count` contact.created events in one transaction; answers when it committed (ms). */
async function writeEvents(db: Database, workspaceId: string, count: number): Promise<number> {
  await db.transaction(async (tx) => {
    for (let offset = 0; offset < count; offset += 500) {
      const batch = Array.from({ length: Math.min(500, count - offset) }, (_, i) => {
        const id = newId();
        return {
          workspaceId,
          id: newId(),
          type: "contact.created",
          resourceType: "contact",
          resourceId: id,
          payload: { record: { id, firstName: "Bench", lastName: `Event ${offset + i}` } },
        };
      });
      await tx.insert(outboxEvents).values(batch);
    }
  });
  return Date.now();
}

async function secondsUntilPublished(db: Database, workspaceId: string, since: number): Promise<number> {
  const last = await scalar(
    db,
    sql`select extract(epoch from max(published_at))::text from outbox_events where workspace_id = ${workspaceId}`,
  );
  return Number(last) - since / 1000;
}

async function countLogged(db: Database, workspaceId: string, endpointId: string): Promise<number> {
  for (;;) {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId)));
    const n = rows[0]?.n ?? 0;
    // The last attempts are logged a moment after their request arrived.
    if (n > 0) {
      await sleep(1_000);
      const again = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId)));
      if ((again[0]?.n ?? 0) === n) return n;
    } else await sleep(200);
  }
}

/**
 * From each event's transaction start (`created_at`) to its hand-over: the creation of its first
 * attempt's job, for the events written since `since`.
 */
async function relayLag(db: Database, workspaceId: string, since: Date): Promise<Percentiles> {
  const rows = (await db.execute(sql`select extract(epoch from job.created_on - event.created_at) * 1000 as lag
    from outbox_events event
    join pgboss.job job on job.name = 'webhooks.deliver' and job.data->>'eventId' = event.id::text
      and job.data->>'attempt' = '1'
    where event.workspace_id = ${workspaceId} and event.created_at >= ${since.toISOString()}::timestamptz`)) as unknown as {
    rows: { lag: string | number }[];
  };
  return percentiles(rows.rows.map((row) => Number(row.lag)));
}

function percentiles(values: number[]): Percentiles {
  const { p50, p95, max } = summarize(values, 1, 0, {});
  return { p50: round(p50), p95: round(p95), max: round(max) };
}

async function scalar(db: Database, query: ReturnType<typeof sql>): Promise<string> {
  const result = (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return String(Object.values(result.rows[0] ?? {})[0] ?? "");
}

const round = (value: number) => Math.round(value * 10) / 10;
const percent = (share: number) => `${share >= 0 ? "+" : ""}${Math.round(share * 1000) / 10} %`;

function commandLine(databaseUrl: string, args: string[]): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = "…";
  return `DATABASE_URL=${url.toString()} npm run bench:webhooks${args.length ? ` -- ${args.join(" ")}` : ""}`;
}

/** A Markdown table with its columns padded, as Prettier writes them. */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function markdown(results: Results): string {
  const { throughput: t, writeLoad: w } = results;
  const rows = [
    [
      `Deliveries per second (${t.events.toLocaleString("en-US")} events written at once, until all received)`,
      `**${t.perSecond}** (${t.seconds} s; all handed over after ${t.handedOverSeconds} s; ${t.logged.toLocaleString("en-US")} attempts logged)`,
    ],
    [
      `Writes under load (\`POST /api/v1/contacts\`, ${w.connections} connections, ${w.duration} s)`,
      `${w.writes.rps} req/s, p95 ${w.writes.p95} ms, ${w.writes.failures} failures`,
    ],
    [
      `Relay lag, event written → its delivery job created (${w.events.toLocaleString("en-US")} events)`,
      `p50 ${w.relayLagMs.p50} ms, **p95 ${w.relayLagMs.p95} ms**, max ${w.relayLagMs.max} ms`,
    ],
    [
      "Delivery lag, event written → at the receiver",
      `p50 ${w.deliveryLagMs.p50} ms, p95 ${w.deliveryLagMs.p95} ms, max ${w.deliveryLagMs.max} ms`,
    ],
  ];
  const trailRow = (name: string, comparison: TrailComparison) => [
    name,
    `${comparison.with.p95} ms (p50 ${comparison.with.p50})`,
    `${comparison.without.p95} ms (p50 ${comparison.without.p50})`,
    `**${percent(comparison.p95Overhead)}**`,
    `${comparison.with.loadedRps} / ${comparison.without.loadedRps} req/s (${percent(-comparison.throughputCost)})`,
  ];
  const { trail } = results;
  const trailTable = markdownTable(
    [
      "request",
      "p95 with audit + event",
      "p95 without",
      "added by the trail",
      `throughput at ${trail.connections} connections, with / without`,
    ],
    [trailRow("`POST /api/v1/contacts`", trail.create), trailRow("`PATCH /api/v1/contacts/:id`", trail.update)],
  );
  return `## Audit, events and webhooks

Generated by \`npm run bench:webhooks\` (bench/webhooks.ts): \`keel serve\` in a child process (HTTP,
the relay and the delivery workers in one process), one endpoint subscribed to \`contact.created\` on a
receiver on loopback that answers 204 at once.

- Command: \`${results.command}\`
- Date: ${results.date}; ${results.machine.cpus} cores (${results.machine.cpuModel}), Node ${results.machine.node},
  PostgreSQL ${results.machine.postgres}; the load generator, the receiver, Keel and PostgreSQL share the machine
  (load average at the end, 1/5/15 min: ${results.machine.loadAverage.join(", ")}).

${markdownTable(["measure", "figure"], rows)}

The relay runs every 250 ms (at once again after a full batch of 500 events) and hands a batch
over in statements of a thousand jobs. An event also waits for every transaction that began before
its own to end, on the whole PostgreSQL server: under write load, relay lag is mostly the length of
the writes in flight. An attempt costs one read (attempt, endpoint and event at once), the request
and one write transaction for its log; each process takes batches of 10 attempts, 4 batches at a
time. The load average above counts other work this machine ran meanwhile.

**What the trail costs a write.** Every create and update writes its audit entry and its events in
its own transaction. Two more Keels on the same database (bench/server.ts, no workers), one as
shipped and one whose audit and outbox inserts are never sent (\`KEEL_BENCH_TRAIL=off\`, a wrapper
of the database handle that exists only in the benchmark), take turns: ${trail.rounds} rounds of ${trail.seconds} s of requests one at a time (p50 and p95: the time
a request takes), then ${trail.rounds} rounds of ${trail.seconds} s from ${trail.connections} connections (throughput); each figure is
the median of the rounds. The background work the trail brings (the sealer hashing the audit log,
the relay marking events published) runs beside the "with" Keel, in \`keel serve\`. The endpoint is off: nothing is
delivered. Under load the two cores are shared by the load generator, three Keels and PostgreSQL,
so throughput varies by a fifth from round to round (bench/webhooks-results.json keeps every round).

${trailTable}`;
}

await main();
