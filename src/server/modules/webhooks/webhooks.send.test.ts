import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import type { ResolveHost } from "../../lib/outbound/destination.ts";
import { checkWebhookUrl } from "./webhooks.destination.ts";
import { sendWebhook, type WebhookMessage } from "./webhooks.send.ts";
import { newWebhookSecret } from "./webhooks.signing.ts";

type Hit = { path: string; headers: IncomingHttpHeaders; body: string };
type Receiver = { url: string; port: number; hits: Hit[] };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A real HTTP server on loopback that records every request and answers with `answer`. */
async function startReceiver(answer: (response: ServerResponse, request: IncomingMessage) => void): Promise<Receiver> {
  const hits: Hit[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    hits.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString() });
    answer(response, request);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, port, hits };
}

const answerWith =
  (status: number, body = "", headers: Record<string, string> = {}) =>
  (response: ServerResponse) =>
    response.writeHead(status, headers).end(body);

const loopbackAllowed = { allowedHosts: ["127.0.0.1"] };
const resolvesTo =
  (address: string): ResolveHost =>
  async () => [{ address, family: 4 }];

function messageTo(url: string, overrides: Partial<WebhookMessage> = {}): WebhookMessage {
  return {
    url,
    secret: newWebhookSecret(),
    id: "evt_01HZX3K4",
    type: "deal.won",
    timestamp: new Date("2026-03-01T10:00:00.000Z"),
    data: { id: "deal-1", name: "Fall intake: Ana Souza", value: "12500.00", currency: "EUR" },
    ...overrides,
  };
}

describe("sendWebhook", () => {
  it("delivers a Standard Webhooks POST that the reference library verifies", async () => {
    const receiver = await startReceiver(answerWith(200, "ok"));
    const message = messageTo(receiver.url);
    const attempt = await sendWebhook(message, loopbackAllowed);
    expect(attempt).toMatchObject({ outcome: "delivered", statusCode: 200, responseExcerpt: "ok", error: null });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    const [hit] = receiver.hits;
    expect(hit?.path).toBe("/hooks");
    expect(hit?.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Keel-Webhooks/1",
      "webhook-id": message.id,
    });
    expect(Math.abs(Number(hit?.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    const verified = new Webhook(message.secret).verify(hit?.body ?? "", hit?.headers as Record<string, string>);
    expect(verified).toEqual({ type: "deal.won", timestamp: "2026-03-01T10:00:00.000Z", data: message.data });
  });

  it("counts any 2xx as delivered", async () => {
    for (const status of [201, 202, 204, 299]) {
      const receiver = await startReceiver(answerWith(status));
      expect(await sendWebhook(messageTo(receiver.url), loopbackAllowed)).toMatchObject({
        outcome: "delivered",
        statusCode: status,
      });
    }
  });

  it("sends the same webhook-id on every attempt at one event, each freshly signed", async () => {
    const receiver = await startReceiver(answerWith(503, "busy"));
    const message = messageTo(receiver.url);
    await sendWebhook(message, loopbackAllowed);
    await sendWebhook(message, loopbackAllowed);
    expect(receiver.hits.map((hit) => hit.headers["webhook-id"])).toEqual([message.id, message.id]);
    for (const hit of receiver.hits) {
      expect(() => new Webhook(message.secret).verify(hit.body, hit.headers as Record<string, string>)).not.toThrow();
    }
  });

  it("fails on a 500 and keeps the status and the start of the answer", async () => {
    const receiver = await startReceiver(answerWith(500, "database is down"));
    expect(await sendWebhook(messageTo(receiver.url), loopbackAllowed)).toMatchObject({
      outcome: "failed",
      statusCode: 500,
      responseExcerpt: "database is down",
      error: "HTTP 500",
    });
  });

  it("answers gone on a 410, so the caller disables the endpoint", async () => {
    const receiver = await startReceiver(answerWith(410, "unsubscribed"));
    expect(await sendWebhook(messageTo(receiver.url), loopbackAllowed)).toMatchObject({
      outcome: "gone",
      statusCode: 410,
      responseExcerpt: "unsubscribed",
    });
  });

  it.each([301, 302, 307, 308])("does not follow a %i redirect", async (status) => {
    const target = await startReceiver(answerWith(200));
    const receiver = await startReceiver(answerWith(status, "", { location: target.url }));
    expect(await sendWebhook(messageTo(receiver.url), loopbackAllowed)).toMatchObject({
      outcome: "failed",
      statusCode: status,
      error: "redirect not followed",
    });
    expect(receiver.hits).toHaveLength(1);
    expect(target.hits).toHaveLength(0);
  });

  it("gives up on a receiver slower than the timeout", async () => {
    const receiver = await startReceiver(() => {}); // reads the request, never answers
    const attempt = await sendWebhook(messageTo(receiver.url), { ...loopbackAllowed, timeoutMs: 200 });
    expect(attempt).toMatchObject({ outcome: "failed", statusCode: null, responseExcerpt: null, error: "timeout" });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(190);
    expect(attempt.durationMs).toBeLessThan(2000);
  });

  it("reads only the first kilobyte of an endless answer", async () => {
    const receiver = await startReceiver((response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      const chunk = "x".repeat(64 * 1024);
      const pour = () => {
        while (!response.destroyed && response.write(chunk));
      };
      response.on("drain", pour);
      pour();
    });
    const attempt = await sendWebhook(messageTo(receiver.url), { ...loopbackAllowed, timeoutMs: 5000 });
    expect(attempt).toMatchObject({ outcome: "delivered", statusCode: 200 });
    expect(attempt.responseExcerpt).toBe("x".repeat(1024));
    expect(attempt.durationMs).toBeLessThan(2000);
  });

  it("cuts the excerpt between characters, never inside one", async () => {
    const receiver = await startReceiver(answerWith(500, "€".repeat(1000))); // 3 bytes each
    const { responseExcerpt } = await sendWebhook(messageTo(receiver.url), loopbackAllowed);
    expect(responseExcerpt).toBe("€".repeat(341));
  });

  it("reports a refused connection without throwing", async () => {
    const receiver = await startReceiver(answerWith(200));
    await Promise.all(closers.splice(0).map((close) => close()));
    expect(await sendWebhook(messageTo(receiver.url), loopbackAllowed)).toMatchObject({
      outcome: "failed",
      statusCode: null,
      error: "connection refused",
    });
  });

  describe("refused destinations", () => {
    it.each([
      ["127.0.0.1", "is a loopback address"],
      ["2130706433", "is a loopback address"],
      ["0x7f.1", "is a loopback address"],
      ["127.1", "is a loopback address"],
      ["[::ffff:127.0.0.1]", "is a loopback address"],
      ["localhost", "resolves to a loopback address"],
    ])("never connects to %s unless it is allowed", async (host, reason) => {
      const receiver = await startReceiver(answerWith(200));
      const attempt = await sendWebhook(messageTo(`http://${host}:${receiver.port}/hooks`), { allowedHosts: [] });
      expect(attempt).toMatchObject({ outcome: "failed", statusCode: null, error: `destination refused: ${reason}` });
      expect(receiver.hits).toHaveLength(0);
    });

    it("refuses metadata, private and IPv6 loopback literals before connecting", async () => {
      for (const url of ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:9/"]) {
        const attempt = await sendWebhook(messageTo(url), { allowedHosts: [], timeoutMs: 1000 });
        expect(attempt.error).toMatch(/^destination refused: is a (cloud metadata|private|loopback) address$/);
      }
    });

    it("refuses other schemes and credentials in the URL", async () => {
      const refused = async (url: string) => (await sendWebhook(messageTo(url), { allowedHosts: [] })).error;
      expect(await refused("ftp://example.com/")).toBe("destination refused: only http and https URLs are allowed");
      expect(await refused("https://user:pass@example.com/")).toBe(
        "destination refused: the URL contains a user name or password",
      );
    });

    it("delivers to localhost when it is an allowed host", async () => {
      const receiver = await startReceiver(answerWith(204));
      const url = `http://localhost:${receiver.port}/hooks`;
      expect(await sendWebhook(messageTo(url), { allowedHosts: ["localhost"] })).toMatchObject({
        outcome: "delivered",
      });
      expect(receiver.hits).toHaveLength(1);
    });

    it("refuses at connect time a name that resolved to a public address when its endpoint was created", async () => {
      const receiver = await startReceiver(answerWith(200));
      const url = `http://rebind.example.com:${receiver.port}/hooks`;
      await checkWebhookUrl(url, { allowedHosts: [], resolve: resolvesTo("93.184.215.14") });
      const attempt = await sendWebhook(messageTo(url), { allowedHosts: [], resolve: resolvesTo("127.0.0.1") });
      expect(attempt).toMatchObject({
        outcome: "failed",
        statusCode: null,
        error: "destination refused: resolves to a loopback address",
      });
      expect(receiver.hits).toHaveLength(0);
    });

    it("connects to the address the lookup handed over, for an allowed name", async () => {
      const receiver = await startReceiver(answerWith(200));
      const url = `http://receiver.internal:${receiver.port}/hooks`;
      const attempt = await sendWebhook(messageTo(url), {
        allowedHosts: ["receiver.internal"],
        resolve: resolvesTo("127.0.0.1"),
      });
      expect(attempt.outcome).toBe("delivered");
      expect(receiver.hits[0]?.headers.host).toBe(`receiver.internal:${receiver.port}`);
    });
  });
});
