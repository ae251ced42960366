/**
 * Concurrent HTTP load on a running Keel during a fault: writers POST contacts (a unique e-mail
 * and an Idempotency-Key each, the same request retried on 503, 409 or no answer, as a client
 * should), readers GET lists and single contacts. Every answer is recorded.
 */
import { randomUUID } from "node:crypto";
import { sleep } from "../ports.ts";

export type Outcome = {
  kind: "write" | "read";
  method: string;
  path: string;
  /** 0 when no HTTP answer came (connection refused or reset, timeout). */
  status: number;
  contentType: string;
  retryAfter: string | null;
  /** The body of a non-2xx answer (first 2,000 characters), or the error of a request that got none. */
  error: string | null;
  at: number;
};

export type Write = { email: string; key: string; attempts: number; lastStatus: number; id: string | null };

export type Load = {
  domain: string;
  outcomes: Outcome[];
  writes: Write[];
  acknowledged: () => Write[];
  /** Stops starting new requests; a write in retry keeps retrying for `retryForMs`. */
  stop: (options?: { retryForMs?: number }) => Promise<void>;
};

export type Client = { baseUrl: string; cookie: string };

type Run = Client & { outcomes: Outcome[]; writes: Write[]; stopped: boolean; retryUntil: number };

const requestTimeoutMs = 15_000;
/**
 * A write is retried for at most this long, then given up (left unacknowledged): longer than the
 * outages the scenarios cause (5 s stopped) plus a restart on a busy machine.
 */
const maxRetryMs = 15_000;

/** One request; records its outcome and returns it with the parsed JSON of a 2xx answer. */
async function call(
  run: Run,
  kind: Outcome["kind"],
  method: string,
  path: string,
  init: { body?: unknown; key?: string } = {},
): Promise<{ outcome: Outcome; json: unknown }> {
  const headers: Record<string, string> = { cookie: run.cookie, accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.key) headers["idempotency-key"] = init.key;
  const base = { kind, method, path, status: 0, contentType: "", retryAfter: null, error: null };
  let outcome: Outcome;
  let json: unknown = null;
  try {
    const response = await fetch(`${run.baseUrl}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    const ok = response.status >= 200 && response.status < 300;
    if (ok && text) json = JSON.parse(text) as unknown;
    outcome = {
      ...base,
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      retryAfter: response.headers.get("retry-after"),
      error: ok ? null : text.slice(0, 2_000),
      at: Date.now(),
    };
  } catch (error) {
    outcome = { ...base, error: describeError(error), at: Date.now() };
  }
  run.outcomes.push(outcome);
  return { outcome, json };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.name}: ${error.message}${cause}`;
}

const isRetryable = (status: number) => status === 0 || status === 503 || status === 409;

function retryDelay(outcome: Outcome): number {
  const seconds = Number(outcome.retryAfter);
  // Honour Retry-After, but no more than a second: the run must stay short.
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1_000, 1_000) : 200;
}

/** Sends one write until it gets a definitive answer, or until its retry window closes. */
async function submit(run: Run, write: Write, body: unknown): Promise<void> {
  const giveUpAt = Date.now() + maxRetryMs;
  for (;;) {
    write.attempts++;
    const { outcome, json } = await call(run, "write", "POST", "/api/v1/contacts", { body, key: write.key });
    write.lastStatus = outcome.status;
    if (outcome.status === 201) {
      write.id = (json as { id: string }).id;
      return;
    }
    if (!isRetryable(outcome.status) || Date.now() > Math.min(run.retryUntil, giveUpAt)) return;
    await sleep(retryDelay(outcome));
  }
}

async function writer(run: Run, domain: string, n: number): Promise<void> {
  for (let i = 0; !run.stopped; i++) {
    const write: Write = { email: `w${n}-${i}@${domain}`, key: randomUUID(), attempts: 0, lastStatus: 0, id: null };
    run.writes.push(write);
    await submit(run, write, { firstName: `Writer ${n}`, lastName: `Fault ${i}`, email: write.email });
  }
}

async function reader(run: Run, n: number): Promise<void> {
  for (let i = 0; !run.stopped; i++) {
    const list = await call(run, "read", "GET", "/api/v1/contacts?limit=50");
    const ids = ((list.json as { data?: { id: string }[] } | null)?.data ?? []).map((c) => c.id);
    const known = run.writes.filter((w) => w.id).map((w) => w.id as string);
    const pool = i % 2 === 0 && known.length > 0 ? known : ids;
    const id = pool[(n * 7 + i) % Math.max(pool.length, 1)];
    const single = id ? await call(run, "read", "GET", `/api/v1/contacts/${id}`) : list;
    // A failing server answers at once: pause, or the loops would spin.
    if (list.outcome.status !== 200 || single.outcome.status !== 200) await sleep(50);
  }
}

/** Starts the loops at once; stop() ends them. E-mails are `w<writer>-<n>@<domain>`. */
export function startLoad(client: Client, domain: string, loops = { writers: 8, readers: 8 }): Load {
  const run: Run = { ...client, outcomes: [], writes: [], stopped: false, retryUntil: Number.POSITIVE_INFINITY };
  const running = [
    ...Array.from({ length: loops.writers }, (_, n) => writer(run, domain, n)),
    ...Array.from({ length: loops.readers }, (_, n) => reader(run, n)),
  ];
  return {
    domain,
    outcomes: run.outcomes,
    writes: run.writes,
    acknowledged: () => run.writes.filter((w) => w.id !== null),
    stop: async ({ retryForMs = 10_000 } = {}) => {
      run.stopped = true;
      run.retryUntil = Date.now() + retryForMs;
      await Promise.all(running);
    },
  };
}
