import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkDestinationBeforeConnect, guardedLookup, type OutboundRules } from "./destination.ts";

/** The largest response body read: an OpenID discovery document or a key set is a few kilobytes. */
export const maxResponseBytes = 1024 * 1024;

/** How long a request may take when its caller gives no signal. */
const defaultTimeoutMs = 30_000;

/** The options of fetch a guarded fetch takes: those openid-client sends. */
export type GuardedFetchInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | Uint8Array | null;
  signal?: AbortSignal | null;
  /** Redirects are never followed: a 3xx is answered as it came. */
  redirect?: "manual";
};

export type GuardedFetch = (url: string, init?: GuardedFetchInit) => Promise<Response>;

/**
 * A fetch for URLs that people typed or that a provider named: each request's URL is checked
 * against `rules` before any connection, and its socket's lookup hands over only addresses that
 * pass (so DNS rebinding cannot send it inside). A fresh connection per request, so no pooled
 * socket skips the check; redirects are not followed; a body larger than maxResponseBytes fails
 * the request. Refusals reject with DestinationRefusedError.
 */
export function guardedFetch(rules: OutboundRules): GuardedFetch {
  return async (url, init = {}) => {
    const destination = checkDestinationBeforeConnect(url, rules);
    const lookup = guardedLookup({ resolve: rules.resolve, shouldCheck: !destination.isAllowed });
    const headers = { ...init.headers };
    let body: Buffer | null = null;
    if (init.body != null) {
      // Encoded as fetch encodes it, with its content type when the caller sets none (a form's).
      // (The DOM's typings take only a Uint8Array over an ArrayBuffer: a copy is one.)
      const encoded = new Response(init.body instanceof Uint8Array ? new Uint8Array(init.body) : init.body);
      body = Buffer.from(await encoded.arrayBuffer());
      const contentType = encoded.headers.get("content-type");
      const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
      if (contentType && !hasContentType) headers["content-type"] = contentType;
      headers["content-length"] = String(body.length);
    }
    const signal = init.signal ?? AbortSignal.timeout(defaultTimeoutMs);
    return send(destination.url, { method: init.method ?? "GET", headers, body }, lookup, signal);
  };
}

type OutgoingRequest = { method: string; headers: Record<string, string>; body: Buffer | null };

function send(url: URL, request: OutgoingRequest, lookup: LookupFunction, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const client = url.protocol === "https:" ? https : http;
    const outgoing = client.request(url, { method: request.method, headers: request.headers, agent: false, lookup });
    const onAbort = () => fail(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    let isSettled = false;
    const finish = () => {
      isSettled = true;
      signal.removeEventListener("abort", onAbort);
      outgoing.destroy();
    };
    function fail(error: unknown) {
      if (isSettled) return;
      finish();
      reject(error);
    }
    outgoing.on("error", fail);
    outgoing.on("response", (incoming) => {
      readBody(incoming, (error, body) => {
        if (error) return fail(error);
        if (isSettled) return;
        try {
          const response = responseOf(incoming, request.method, body);
          finish();
          resolve(response);
        } catch (thrown) {
          fail(thrown);
        }
      });
    });
    outgoing.end(request.body ?? undefined);
  });
}

/** Reads the whole body, at most maxResponseBytes of it; calls back exactly once. */
function readBody(incoming: IncomingMessage, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let isDone = false;
  const finish = (error: Error | null) => {
    if (isDone) return;
    isDone = true;
    if (error) incoming.destroy();
    done(error, Buffer.concat(chunks));
  };
  incoming.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxResponseBytes) finish(new Error(`the response is larger than ${maxResponseBytes} bytes`));
    else chunks.push(chunk);
  });
  incoming.on("end", () => finish(null));
  incoming.on("error", finish);
  incoming.on("close", () => finish(incoming.complete ? null : new Error("the response ended early")));
}

/** A fetch Response of what came; statuses fetch cannot represent fail the request. */
function responseOf(incoming: IncomingMessage, method: string, body: Buffer): Response {
  const status = incoming.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`unexpected HTTP status ${status}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, each);
  }
  const hasNoBody = method === "HEAD" || status === 204 || status === 205 || status === 304;
  return new Response(hasNoBody ? null : new Uint8Array(body), { status, headers });
}
