import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DestinationRefusedError, type ResolveHost } from "./destination.ts";
import { guardedFetch, maxResponseBytes } from "./fetch.ts";

type Hit = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
type Server = { port: number; hits: Hit[] };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A real HTTP server on loopback that records every request and answers with `answer`. */
async function startServer(answer: (response: ServerResponse) => void): Promise<Server> {
  const hits: Hit[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    hits.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body });
    answer(response);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, hits };
}

const json =
  (body: unknown, status = 200) =>
  (response: ServerResponse) =>
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
const resolvesTo =
  (address: string): ResolveHost =>
  async () => [{ address, family: 4 }];

describe("guardedFetch", () => {
  it("fetches from an allowed host, as fetch would", async () => {
    const server = await startServer(json({ issuer: "http://127.0.0.1" }));
    const fetch = guardedFetch({ allowedHosts: ["127.0.0.1"], isHttpsRequired: true });
    const response = await fetch(`http://127.0.0.1:${server.port}/.well-known/openid-configuration`, {
      method: "GET",
      headers: { accept: "application/json" },
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ issuer: "http://127.0.0.1" });
    expect(server.hits[0]).toMatchObject({ method: "GET", path: "/.well-known/openid-configuration" });
  });

  it("sends a form as fetch encodes it", async () => {
    const server = await startServer(json({ access_token: "token" }));
    const fetch = guardedFetch({ allowedHosts: ["127.0.0.1"] });
    const body = new URLSearchParams({ grant_type: "authorization_code", code: "a b" });
    await fetch(`http://127.0.0.1:${server.port}/token`, { method: "POST", headers: {}, body });
    expect(server.hits[0]).toMatchObject({ method: "POST", body: "grant_type=authorization_code&code=a+b" });
    expect(server.hits[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
  });

  it("connects to the address the lookup handed over, for an allowed name", async () => {
    const server = await startServer(json({}));
    const fetch = guardedFetch({ allowedHosts: ["idp.campus.internal"], resolve: resolvesTo("127.0.0.1") });
    expect((await fetch(`http://idp.campus.internal:${server.port}/`)).status).toBe(200);
    expect(server.hits[0]?.headers.host).toBe(`idp.campus.internal:${server.port}`);
  });

  it("refuses, before any connection, a name that now resolves inside (DNS rebinding)", async () => {
    const server = await startServer(json({}));
    const fetch = guardedFetch({ allowedHosts: [], isHttpsRequired: true, resolve: resolvesTo("127.0.0.1") });
    const refused = fetch(`https://idp.example.com:${server.port}/.well-known/openid-configuration`);
    await expect(refused).rejects.toThrow(DestinationRefusedError);
    await expect(refused).rejects.toThrow("destination refused: resolves to a loopback address");
    expect(server.hits).toHaveLength(0);
  });

  it("refuses internal addresses, other schemes and plain http where the rules forbid them", async () => {
    const server = await startServer(json({}));
    const fetch = guardedFetch({ allowedHosts: [], isHttpsRequired: true, resolve: resolvesTo("93.184.215.14") });
    await expect(fetch(`http://127.0.0.1:${server.port}/`)).rejects.toThrow("is a loopback address");
    await expect(fetch("https://169.254.169.254/latest/meta-data/")).rejects.toThrow("is a cloud metadata address");
    await expect(fetch("http://idp.example.com/")).rejects.toThrow("plain http to a host that is not allowed");
    await expect(fetch("file:///etc/passwd")).rejects.toThrow("only http and https URLs are allowed");
    expect(server.hits).toHaveLength(0);
  });

  it("answers a redirect as it came, without following it", async () => {
    const server = await startServer((response) =>
      response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    );
    const fetch = guardedFetch({ allowedHosts: ["127.0.0.1"] });
    const response = await fetch(`http://127.0.0.1:${server.port}/jwks`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
    expect(server.hits).toHaveLength(1);
  });

  it("fails a response larger than it reads, and a request its signal aborts", async () => {
    const huge = await startServer((response) => response.end("x".repeat(maxResponseBytes + 1)));
    const fetch = guardedFetch({ allowedHosts: ["127.0.0.1"] });
    await expect(fetch(`http://127.0.0.1:${huge.port}/`)).rejects.toThrow(/larger than/);
    const silent = await startServer(() => undefined);
    const signal = AbortSignal.timeout(50);
    await expect(fetch(`http://127.0.0.1:${silent.port}/`, { signal })).rejects.toMatchObject({
      name: "TimeoutError",
    });
  });
});
