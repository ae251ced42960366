import { randomBytes } from "node:crypto";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { spawnKeel, waitReady, type KeelProcess } from "./faults/keel-process.ts";
import { closeOnWorkerExit } from "./worker-exit.ts";

/**
 * KEEL_TEST_PROCESSES=2 with TEST_DATABASE_URL: the API suites run against two `keel serve`
 * processes at once. Every test app then has two processes on the test database with its
 * configuration (same encryption key; its jobs left to nobody, as the test app's are), and its
 * clients send each request to the next process in turn over HTTP, as a load balancer would. A
 * suite that passes so proves that any process gives the answers one gives: sessions, caches,
 * idempotency keys and versions live in the database (or Redis), not in a process.
 */
// eslint-disable-next-line n/no-process-env -- tests choose their database and processes like CI does
const { TEST_DATABASE_URL: testDatabaseUrl, KEEL_TEST_PROCESSES: processCount = "1" } = process.env;

export const isAlternating = Boolean(testDatabaseUrl) && Number(processCount) > 1;

const processesOf = new WeakMap<FastifyInstance, readonly KeelProcess[]>();
let turn = 0;

/** How many requests each process (by its base URL) answered: what the alternation test checks. */
export const answeredBy = new Map<string, number>();

/** The environment a test app and its processes share when alternating: one encryption key for all. */
export const alternatingEnvironment: Record<string, string> = isAlternating
  ? { ENCRYPTION_KEY: randomBytes(32).toString("hex") }
  : {};

/** The processes of this worker, by the configuration they run with: test files share them. */
const started = new Map<string, Promise<KeelProcess[]>>();

/**
 * Gives the app processes with its configuration (when alternating): the worker's processes of the
 * same configuration, else two new ones, stopped when the worker stops (worker-exit.ts).
 */
export async function startAlternates(app: FastifyInstance, env: Record<string, string>): Promise<void> {
  if (!isAlternating || !testDatabaseUrl) return;
  const key = JSON.stringify(Object.entries(env).sort());
  let processes = started.get(key);
  if (!processes) {
    processes = spawnProcesses(testDatabaseUrl, env);
    started.set(key, processes);
    processes.then(
      (ready) => closeOnWorkerExit(async () => void (await Promise.all(ready.map((keel) => keel.stop())))),
      () => started.delete(key),
    );
  }
  processesOf.set(app, await processes);
}

async function spawnProcesses(databaseUrl: string, env: Record<string, string>): Promise<KeelProcess[]> {
  const spawned = await Promise.all(
    Array.from({ length: Number(processCount) }, () =>
      spawnKeel(
        { databaseUrl },
        // The test app's own settings, and nothing of the demo: the test database is shared.
        { NODE_ENV: "test", KEEL_DEMO: "false", WORKERS: "false", LOG_LEVEL: "warn", ...env },
      ),
    ),
  );
  try {
    await Promise.all(spawned.map((keel) => waitReady(keel)));
    return spawned;
  } catch (error) {
    await Promise.all(spawned.map((keel) => keel.stop()));
    throw error;
  }
}

/** The next process to send a request of `app`'s clients to, or null when the app answers them itself. */
export function nextProcess(app: FastifyInstance): KeelProcess | null {
  const processes = processesOf.get(app);
  if (!processes?.length) return null;
  return processes[turn++ % processes.length] ?? null;
}

/**
 * A request over HTTP to a process, answered in the shape `app.inject` answers in (status, headers,
 * body, json()), so that a test reads either the same way. A body that is an object goes as JSON,
 * as inject sends it.
 */
export async function requestOverHttp(
  keel: KeelProcess,
  method: InjectOptions["method"],
  url: string,
  payload: InjectOptions["payload"],
  headers: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const isJson =
    payload !== undefined && payload !== null && typeof payload === "object" && !(payload instanceof Uint8Array);
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  const response = await fetch(`${keel.baseUrl}${url}`, {
    method: String(method),
    headers: { ...(isJson && !hasContentType ? { "content-type": "application/json" } : {}), ...headers },
    redirect: "manual",
    ...(payload === undefined ? {} : { body: isJson ? JSON.stringify(payload) : (payload as BodyInit) }),
  });
  answeredBy.set(keel.baseUrl, (answeredBy.get(keel.baseUrl) ?? 0) + 1);
  const raw = Buffer.from(await response.arrayBuffer());
  const text = raw.toString("utf8");
  const answered: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => (answered[name] = value));
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) answered["set-cookie"] = cookies.length === 1 ? cookies[0]! : cookies;
  return {
    statusCode: response.status,
    statusMessage: response.statusText,
    headers: answered,
    rawPayload: raw,
    payload: text,
    body: text,
    json: () => JSON.parse(text) as unknown,
  } as unknown as LightMyRequestResponse;
}
