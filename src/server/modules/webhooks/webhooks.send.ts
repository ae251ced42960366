import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { StringDecoder } from "node:string_decoder";
import {
  DestinationRefusedError,
  checkDestinationBeforeConnect,
  guardedLookup,
  type CheckedDestination,
  type ResolveHost,
} from "../../lib/outbound/destination.ts";
import { deliveryHeaders } from "./webhooks.signing.ts";

/** How long one attempt may take, from the lookup to the last byte of the response excerpt. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

/** How much of a response body is read and kept for the delivery log; the rest is never read. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** One event for one endpoint. `timestamp` is when the event happened; `id` is the event's. */
export type WebhookMessage = {
  url: string;
  secret: string;
  id: string;
  type: string;
  timestamp: Date;
  data: unknown;
};

export type SendOptions = {
  allowedHosts: readonly string[];
  timeoutMs?: number;
  /** The resolver the socket's lookup uses; the system's unless given. */
  resolve?: ResolveHost;
};

/** `gone`: the receiver answered 410 and asks for its endpoint to be disabled now. */
export type DeliveryOutcome = "delivered" | "failed" | "gone";

export type DeliveryAttempt = {
  outcome: DeliveryOutcome;
  statusCode: number | null;
  durationMs: number;
  /** The first kilobyte of the response body; null when no response came. */
  responseExcerpt: string | null;
  /** Why the attempt failed, in a few words (`timeout`, `redirect not followed`, `HTTP 500`). */
  error: string | null;
};

type Exchange = { statusCode: number; excerpt: string } | { failure: string };

/**
 * Makes one delivery attempt: a signed Standard Webhooks POST, no redirects followed, at most
 * `timeoutMs`. Network failures and refused destinations are outcomes, never exceptions.
 */
export async function sendWebhook(message: WebhookMessage, options: SendOptions): Promise<DeliveryAttempt> {
  const startedAt = performance.now();
  const exchange = await exchangeWith(message, options);
  return { ...attemptOf(exchange), durationMs: Math.round(performance.now() - startedAt) };
}

async function exchangeWith(message: WebhookMessage, options: SendOptions): Promise<Exchange> {
  let destination: CheckedDestination;
  try {
    destination = checkDestinationBeforeConnect(message.url, { allowedHosts: options.allowedHosts });
  } catch (error) {
    if (error instanceof DestinationRefusedError) return { failure: error.message };
    throw error;
  }
  const body = JSON.stringify({ type: message.type, timestamp: message.timestamp.toISOString(), data: message.data });
  const headers = deliveryHeaders({ secret: message.secret, id: message.id, timestamp: unixSecondsNow(), body });
  const lookup = guardedLookup({ resolve: options.resolve, shouldCheck: !destination.isAllowed });
  return post(destination.url, headers, body, lookup, options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
}

function attemptOf(exchange: Exchange): Omit<DeliveryAttempt, "durationMs"> {
  if ("failure" in exchange) {
    return { outcome: "failed", statusCode: null, responseExcerpt: null, error: exchange.failure };
  }
  const { statusCode, excerpt } = exchange;
  const answered = { statusCode, responseExcerpt: excerpt };
  if (statusCode >= 200 && statusCode < 300) return { outcome: "delivered", ...answered, error: null };
  if (statusCode === 410) return { outcome: "gone", ...answered, error: "endpoint gone (410)" };
  if (statusCode >= 300 && statusCode < 400) return { outcome: "failed", ...answered, error: "redirect not followed" };
  return { outcome: "failed", ...answered, error: `HTTP ${statusCode}` };
}

/**
 * POSTs the body and settles with the status and the start of the response, or a failure. A fresh
 * agent per attempt, so no pooled socket bypasses the lookup; the timer covers the whole exchange.
 */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  lookup: LookupFunction,
  timeoutMs: number,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const timedOut = new Error("timeout");
    let hasResponse = false;
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent: false,
      lookup,
    });
    const timer = setTimeout(() => request.destroy(timedOut), timeoutMs);
    const settle = (exchange: Exchange) => {
      clearTimeout(timer);
      request.destroy();
      resolve(exchange);
    };
    request.on("error", (error) => {
      // Once the status is in, a timeout or reset only cuts the excerpt short: the response settles.
      if (!hasResponse) settle({ failure: error === timedOut ? "timeout" : describeNetworkError(error) });
    });
    request.on("response", (response) => {
      hasResponse = true;
      readExcerpt(response, (excerpt) => settle({ statusCode: response.statusCode ?? 0, excerpt }));
    });
    request.end(body);
  });
}

/** Reads at most RESPONSE_EXCERPT_BYTES of the body, then stops reading; calls back exactly once. */
function readExcerpt(response: IncomingMessage, done: (excerpt: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let isDone = false;
  const finish = () => {
    if (isDone) return;
    isDone = true;
    response.destroy();
    // StringDecoder keeps back a character cut in half at the limit instead of garbling it.
    done(new StringDecoder("utf8").write(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES)));
  };
  response.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_EXCERPT_BYTES) finish();
  });
  response.on("end", finish);
  response.on("close", finish);
  response.on("error", finish);
}

/** A few words for the delivery log, from a socket, DNS or TLS error. */
function describeNetworkError(error: Error): string {
  if (error instanceof DestinationRefusedError) return error.message;
  const code = codeOf(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "EPIPE":
      return "connection reset";
    case "ENOTFOUND":
      return "host not found";
    case "EAI_AGAIN":
      return "DNS lookup failed";
    case "ETIMEDOUT":
      return "timeout";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
  }
  if (code && /CERT|TLS|SSL|EPROTO/.test(code)) return `TLS error (${code})`;
  return `network error (${code ?? error.message})`;
}

/** The error's code; a connection that tried several addresses fails with an AggregateError of them. */
function codeOf(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined) return code;
  const [first] = error instanceof AggregateError ? (error.errors as Error[]) : [];
  return first ? codeOf(first) : undefined;
}

function unixSecondsNow(): number {
  return Math.floor(Date.now() / 1000);
}
