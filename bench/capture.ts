import { AsyncLocalStorage } from "node:async_hooks";
import { readFile, rename, writeFile } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Request } from "autocannon";
import pg from "pg";
import pgUtils from "pg/lib/utils.js";
import { PreparingClient } from "../src/server/db/client.ts";

/** One statement as node-postgres sent it: its text and its parameters as sent (text, or null). */
export type CapturedStatement = { text: string; params: (string | null)[] };

/** Everything one HTTP request sent to PostgreSQL, in order, and when the request arrived. */
export type CapturedRequest = { name: string; startedAt: number; statements: CapturedStatement[] };

/** The request header that asks for a capture; its value names the file. */
export const captureHeader = "x-keel-bench-capture";

const capturedName = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Statement capture for the benchmark's pgbench baseline. Every statement node-postgres sends on
 * behalf of a request carrying `x-keel-bench-capture: <name>` (what authentication reads, BEGIN,
 * the `set_config` of role and workspace, its queries, COMMIT) is written to
 * `<folder>/<name>.json` once the answer is sent.
 *
 * Why here and not PostgreSQL's statement log: `log_statement` needs a superuser, a reload and
 * access to the server's log files, and mixes in every other session; the driver sees exactly
 * what this process sends, parameters included. The request is followed with AsyncLocalStorage
 * from the moment the HTTP server receives it, so background work running meanwhile (outbox
 * relay, jobs) is left out. Only for a Keel process started for capture: async context tracking
 * costs every request something, so the measured process never runs with it.
 */
export function captureStatements(server: Server, folder: string): void {
  const requests = new AsyncLocalStorage<CapturedStatement[]>();
  recordDriverQueries(requests);
  const [handler, ...others] = server.listeners("request") as RequestHandler[];
  if (!handler || others.length > 0) throw new Error("expected one request handler on Keel's HTTP server");
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const name = request.headers[captureHeader];
    if (typeof name !== "string" || !capturedName.test(name)) return handler(request, response);
    const captured: CapturedRequest = { name, startedAt: Date.now(), statements: [] };
    response.once("finish", () => {
      writeCapture(folder, captured).catch((error: unknown) =>
        process.stderr.write(`capture ${name}: ${String(error)}\n`),
      );
    });
    requests.run(captured.statements, () => handler(request, response));
  });
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Records the statements of the current request as Keel's driver client receives them: a client's
 * `query` (transactions check a client out of the pool) and the pool's `query` (statements outside
 * a transaction). The pool's own dispatch to a client runs outside the request's context, so a
 * pool statement is recorded once. Recorded before the client sends a transaction's opening with
 * its first statement as one simple query (db/client.ts), so each statement keeps its parameters
 * apart, which the pgbench script rotates and makes anew.
 */
function recordDriverQueries(requests: AsyncLocalStorage<CapturedStatement[]>): void {
  const clientQuery = PreparingClient.prototype.query as (...args: unknown[]) => unknown;
  const poolQuery = pg.Pool.prototype.query as (...args: unknown[]) => unknown;
  PreparingClient.prototype.query = function (this: PreparingClient, ...args: unknown[]) {
    requests.getStore()?.push(statementOf(args[0], args[1]));
    return clientQuery.apply(this, args);
  } as typeof PreparingClient.prototype.query;
  pg.Pool.prototype.query = function (this: pg.Pool, ...args: unknown[]) {
    requests.getStore()?.push(statementOf(args[0], args[1]));
    return requests.exit(() => poolQuery.apply(this, args));
  } as typeof pg.Pool.prototype.query;
}

function statementOf(config: unknown, values: unknown): CapturedStatement {
  const query = (typeof config === "string" ? { text: config } : config) as { text: string; values?: unknown[] };
  const params = Array.isArray(values) ? values : (query.values ?? []);
  return { text: query.text, params: params.map(sentValue) };
}

/** A parameter as node-postgres puts it on the wire, in PostgreSQL's text format. */
function sentValue(value: unknown): string | null {
  const prepared = pgUtils.prepareValue(value);
  return Buffer.isBuffer(prepared) ? `\\x${prepared.toString("hex")}` : prepared;
}

async function writeCapture(folder: string, captured: CapturedRequest): Promise<void> {
  const file = join(folder, `${captured.name}.json`);
  await writeFile(`${file}.partial`, JSON.stringify(captured, null, 2));
  await rename(`${file}.partial`, file);
}

/**
 * Sends `request` to a Keel started with KEEL_BENCH_CAPTURE=`folder`, asking for a capture
 * named `name`, and reads back the statements it sent once the file is written.
 */
export async function captureRequest(
  base: string,
  folder: string,
  name: string,
  request: Request & { headers: Record<string, string> },
): Promise<CapturedRequest> {
  const file = join(folder, `${name}.json`);
  const response = await fetch(`${base}${request.path ?? "/"}`, {
    method: request.method ?? "GET",
    headers: { ...request.headers, [captureHeader]: name },
    body: request.body,
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${request.method ?? "GET"} ${request.path} answered ${response.status}`);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(20)) {
    const text = await readFile(file, "utf8").catch(() => null);
    if (text !== null) return JSON.parse(text) as CapturedRequest;
  }
  throw new Error(`Keel wrote no capture of ${request.method ?? "GET"} ${request.path} within 10 s`);
}
