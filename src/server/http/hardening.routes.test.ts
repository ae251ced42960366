import { once } from "node:events";
import { Agent, request as httpRequest } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { buildApp } from "../app.ts";
import { parseConfig } from "../config.ts";
import type { Database } from "../db/client.ts";
import { hashToken } from "../modules/auth/sessions.ts";
import {
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  testPassword,
  type TestWorkspace,
} from "../test/create-test-app.ts";
import { encodeCursor } from "../lib/cursor.ts";
import { describeError } from "./logging.ts";

let app: FastifyInstance;
let workspace: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  workspace = await createTestWorkspace(app, "Hardening");
});
afterAll(() => app.close());
afterEach(() => vi.useRealTimers());

const lists = ["contacts", "companies", "leads", "deals", "activities", "tasks"];

/** A test app with its own configuration (and, optionally, a stream that receives its logs). */
async function appWith(env: Record<string, string>, logStream?: Writable): Promise<FastifyInstance> {
  const { db } = await testDatabase();
  const limitsOff = { RATE_LIMIT_API_PER_MINUTE: "0", RATE_LIMIT_AUTH_PER_MINUTE: "0" };
  const built = await buildApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...limitsOff, ...env }), {
    db,
    ...(logStream ? { logStream } : {}),
  });
  await built.ready();
  return built;
}

/** Collects log lines in memory. */
function logCollector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("hostile input answers 400 naming the field, never 500", () => {
  const nul = "a\u0000b";

  it.each([
    ["a body field", "POST", "/api/v1/contacts", { firstName: nul, lastName: "X" }, "firstName"],
    [
      "a nested body field",
      "POST",
      "/api/v1/views",
      { name: "V", resource: "contacts", filters: [{ field: "firstName", op: "eq", value: nul }] },
      "filters.0.value",
    ],
    ["a view name", "POST", "/api/v1/views", { name: nul, resource: "contacts" }, "name"],
    ["a lone surrogate", "POST", "/api/v1/companies", { name: "Acme \ud800" }, "name"],
    ["a key", "POST", "/api/v1/contacts", { firstName: "A", lastName: "B", custom: { [nul]: 1 } }, `custom.${nul}`],
  ])("%s", async (_what, method, url, body, path) => {
    const response = await workspace.admin.client.request(method as "POST", url, body);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json().errors).toEqual([expect.objectContaining({ path })]);
  });

  it("refuses a body that is not valid UTF-8, instead of keeping replacement characters", async () => {
    const lastName = `Utf8-${Date.now()}`;
    const invalid = [Buffer.from([0xff, 0xfe]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc3])];
    for (const bytes of invalid) {
      const body = Buffer.concat([
        Buffer.from(`{"firstName":"Bad`),
        bytes,
        Buffer.from(`Name","lastName":"${lastName}"}`),
      ]);
      for (const [method, url] of [
        ["POST", "/api/v1/contacts"],
        ["PATCH", "/api/v1/me"],
      ] as const) {
        const response = await workspace.admin.client.request(method, url, body, {
          "content-type": "application/json",
        });
        expect(response.statusCode, `${method} ${url} ${bytes.toString("hex")}`).toBe(400);
        expect(response.headers["content-type"]).toContain("application/problem+json");
        expect(response.json().detail).toBe("The body is not valid UTF-8.");
      }
      const vcard = Buffer.concat([
        Buffer.from("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bad"),
        bytes,
        Buffer.from("\r\nEND:VCARD\r\n"),
      ]);
      const cards = await workspace.admin.client.request("POST", "/api/v1/contacts/vcards", vcard, {
        "content-type": "text/vcard",
      });
      expect(cards.statusCode).toBe(400);
      expect(cards.json().detail).toBe("The body is not valid UTF-8.");
    }
    const stored = await workspace.admin.client.get(`/api/v1/contacts?filter[lastName]=${lastName}`);
    expect(stored.json().data).toEqual([]);
    // Valid UTF-8 of every length still passes, byte order mark included.
    const fine = await workspace.admin.client.request(
      "POST",
      "/api/v1/contacts",
      Buffer.from(`\ufeff{"firstName":"Zoë 😀 Ünal","lastName":"${lastName}"}`),
      { "content-type": "application/json" },
    );
    expect(fine.statusCode, fine.body).toBe(201);
    expect(fine.json().firstName).toBe("Zoë 😀 Ünal");
  });

  it("refuses a forged cursor whose values do not fit their sort keys, naming the cursor", async () => {
    const id = "01a24c34-abf4-7466-b251-59af0457db2c";
    const forged: [string, string, (string | null)[]][] = [
      ["contacts", "-createdAt", ["not-a-date", id]],
      ["contacts", "-createdAt", ["2026-02-30T10:00:00Z", id]],
      ["contacts", "ownerId", ["not-a-uuid", id]],
      ["companies", "employeeCount", ["many", id]],
      ["companies", "employeeCount", ["99999999999", id]],
      ["deals", "value", ["1e9", id]],
      ["deals", "expectedCloseDate", ["2026-13-01", id]],
    ];
    for (const [list, sort, values] of forged) {
      const cursor = encodeCursor({ sort, values });
      const response = await workspace.admin.client.get(`/api/v1/${list}?sort=${sort}&cursor=${cursor}`);
      expect(response.statusCode, `${list} ${sort} ${values[0]}`).toBe(400);
      expect(response.json().errors).toEqual([{ path: "cursor", message: "Malformed cursor" }]);
    }
    // Values as the lists write them still page on.
    const page = await workspace.admin.client.get("/api/v1/contacts?sort=-createdAt&limit=1");
    const next = page.json().nextCursor as string | null;
    if (next)
      expect((await workspace.admin.client.get(`/api/v1/contacts?sort=-createdAt&cursor=${next}`)).statusCode).toBe(
        200,
      );
    const valid = encodeCursor({ sort: "-createdAt", values: ["2026-01-12 02:23:21.123456+00", id] });
    expect((await workspace.admin.client.get(`/api/v1/contacts?sort=-createdAt&cursor=${valid}`)).statusCode).toBe(200);
  });

  it("refuses NUL in q and in filter values on every list and count", async () => {
    for (const list of lists) {
      for (const query of [`q=${encodeURIComponent(nul)}`, `filter[id]=${encodeURIComponent(nul)}`]) {
        for (const suffix of ["", "/count"]) {
          const response = await workspace.admin.client.get(`/api/v1/${list}${suffix}?${query}`);
          expect(response.statusCode, `${list}${suffix}?${query}`).toBe(400);
          expect(response.json().errors[0].path).toMatch(/^(q|filter\[id\])$/);
        }
      }
    }
  });

  it("refuses prototype-reaching keys in a body, naming them, and changes nothing", async () => {
    const contact = (
      await workspace.admin.client.post("/api/v1/contacts", { firstName: "Proto", lastName: "Type" })
    ).json();
    const cases: [string, string, string][] = [
      ["POST", "/api/v1/companies", '{"name":"Proto Co","__proto__":{"isAdmin":true}}'],
      ["PATCH", `/api/v1/contacts/${contact.id}`, '{"custom":{"constructor":{"prototype":{"polluted":1}}}}'],
    ];
    const paths = [];
    for (const [method, url, payload] of cases) {
      const response = await workspace.admin.client.request(method as "POST", url, payload, {
        "content-type": "application/json",
      });
      expect(response.statusCode, url).toBe(400);
      paths.push(response.json().errors[0].path);
    }
    expect(paths).toEqual(["__proto__", "custom.constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await workspace.admin.client.get(`/api/v1/contacts/${contact.id}`)).json().version).toBe(1);
  });

  it("refuses impossible dates and out-of-range integers in filters, naming the filter", async () => {
    for (const [list, query] of [
      ["contacts", "filter[createdAt][gte]=2024-02-30"],
      ["contacts", "filter[createdAt][gte]=0000-01-01"],
      ["deals", "filter[expectedCloseDate]=2023-02-29"],
      ["deals", "filter[probability]=9999999999"],
      ["companies", "filter[employeeCount][gt]=-2147483649"],
    ]) {
      for (const suffix of ["", "/count"]) {
        const response = await workspace.admin.client.get(`/api/v1/${list}${suffix}?${query}`);
        expect(response.statusCode, `${list}${suffix}?${query}`).toBe(400);
        expect(response.json().errors[0]).toMatchObject({
          path: query?.split("=")[0],
          message: expect.stringMatching(/^Must be /),
        });
      }
    }
    const fine = await workspace.admin.client.get("/api/v1/contacts?filter[createdAt][gte]=2024-02-29T10:00");
    expect(fine.statusCode).toBe(200);
  });

  it("takes a page size only as digits, on every kind of list", async () => {
    const urls = ["/api/v1/contacts", "/api/v1/audit-logs", "/api/v1/jobs", "/api/v1/imports", "/api/v1/webhooks"];
    for (const url of urls) {
      for (const limit of ["0x10", "1e1", "%205", "5.0", "-1", "0", "", "999999999999999999999"]) {
        const response = await workspace.admin.client.get(`${url}?limit=${limit}`);
        expect(response.statusCode, `${url}?limit=${limit}`).toBe(400);
        expect(response.json().errors[0]).toMatchObject({ path: "limit", message: expect.any(String) });
      }
      const fine = await workspace.admin.client.get(`${url}?limit=007`);
      expect(fine.statusCode, url).toBe(200);
    }
    const twoContacts = await workspace.admin.client.get("/api/v1/contacts?limit=2");
    expect(twoContacts.json().data.length).toBeLessThanOrEqual(2);
  });

  it("refuses NUL in the sign-in e-mail", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      payload: { email: `x${nul}@example.com`, password: "whatever-password" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: "email" })]);
  });

  it("refuses names and tags made only of invisible characters, and keeps those inside visible text", async () => {
    const invisible = "\u200B\u200D\u2060\uFEFF\u00AD \u200C";
    const refused = await workspace.admin.client.post("/api/v1/contacts", {
      firstName: invisible,
      tags: ["vip", "\u200B"],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual(
      expect.arrayContaining([
        { path: "firstName", message: "Required" },
        { path: "tags.1", message: "Required" },
      ]),
    );
    const company = await workspace.admin.client.post("/api/v1/companies", { name: "\u200B" });
    expect(company.statusCode).toBe(400);
    expect(company.json().errors).toEqual([{ path: "name", message: "Required" }]);
    // Hangul fillers, a blank Braille pattern, variation selectors, combining marks with no
    // letter, Khmer and Mongolian invisibles, a private-use character.
    for (const name of [
      "\u3164",
      "\u115F\u1160",
      "\uFFA0",
      "\u2800",
      "\uFE0F\u{E0100}",
      "\u0301\u034F",
      "\u17B4\u180B",
      "\uE000",
    ]) {
      const refusedName = await workspace.admin.client.post("/api/v1/companies", { name });
      expect(refusedName.statusCode, JSON.stringify(name)).toBe(400);
    }
    const contact = (await workspace.admin.client.post("/api/v1/contacts", { firstName: "Ida" })).json<{
      id: string;
    }>();
    const call = await workspace.admin.client.post("/api/v1/activities", {
      type: "call",
      subject: "\u200B\u200D",
      contactId: contact.id,
    });
    expect(call.statusCode).toBe(400);
    expect(call.json().errors).toEqual([expect.objectContaining({ path: "subject" })]);

    // A zero-width joiner inside an emoji, a soft hyphen inside a word, combining marks on their
    // letters (Devanagari, decomposed accents) are part of visible text.
    const kept = await workspace.admin.client.post("/api/v1/contacts", {
      firstName: "Zoë 👩\u200D💻",
      lastName: "Stein\u00ADmeier",
    });
    expect(kept.statusCode).toBe(201);
    expect(kept.json()).toMatchObject({ firstName: "Zoë 👩\u200D💻", lastName: "Stein\u00ADmeier" });
    for (const firstName of ["प्रिया", "Jose\u0301", "☺\uFE0F"]) {
      expect((await workspace.admin.client.post("/api/v1/contacts", { firstName })).statusCode, firstName).toBe(201);
    }
  });

  it("refuses JSON nested deeper than any field takes, without recursing", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const response = await workspace.admin.client.request("POST", "/api/v1/contacts", deep, {
      "content-type": "application/json",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toMatch(/Nested more than/);
  });

  it.each(["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf", "isPrototypeOf"])(
    "answers 400 to filter[%s], sort and include by it, on every list, count and view",
    async (name) => {
      for (const list of lists) {
        for (const query of [
          `filter[${name}]=x`,
          `filter[${name}][eq]=x`,
          `sort=${name}`,
          `sort=-${name}`,
          `include=${name}`,
        ]) {
          const response = await workspace.admin.client.get(`/api/v1/${list}?${query}`);
          expect(response.statusCode, `${list}?${query}`).toBe(400);
        }
        const count = await workspace.admin.client.get(`/api/v1/${list}/count?filter[${name}]=x`);
        expect(count.statusCode, `${list}/count`).toBe(400);
      }
      const view = await workspace.admin.client.post("/api/v1/views", {
        name: `View ${name}`,
        resource: "contacts",
        filters: [{ field: name, op: "eq", value: "x" }],
        sort: name,
      });
      expect(view.statusCode).toBe(400);
      expect(view.json().errors.map((e: { path: string }) => e.path)).toEqual(
        expect.arrayContaining(["filters.0.field", "sort"]),
      );
    },
  );
});

describe("errors outside the routes are problem+json too", () => {
  it("answers 414 problem+json to a path id longer than the router takes", async () => {
    const url = `/api/v1/contacts/${"a".repeat(250)}`;
    for (const method of ["PATCH", "POST", "DELETE"] as const) {
      const response = await workspace.admin.client.request(method, url, method === "DELETE" ? undefined : {});
      expect(response.statusCode, method).toBe(414);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json()).toMatchObject({ status: 414, type: "/problems/uri-too-long" });
    }
    // A GET falls through to "no such route", problem+json as well.
    const read = await workspace.admin.client.get(url);
    expect(read.statusCode).toBe(404);
    expect(read.headers["content-type"]).toContain("application/problem+json");
  });

  it("answers 405 with Allow to a method a known path does not answer, and 404 to an unknown path", async () => {
    const cases: Array<[method: "PUT" | "DELETE" | "PATCH", url: string, allow: string]> = [
      ["PUT", "/api/v1/contacts?limit=5", "GET, HEAD, POST"],
      ["DELETE", "/api/v1/dashboard", "GET, HEAD"],
      ["PUT", "/api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1", "DELETE, GET, HEAD, PATCH"],
      ["PATCH", "/", "GET, HEAD"],
      // A static path beside `/:id` answers its own methods, not the record's.
      ["PUT", "/api/v1/contacts/count", "GET, HEAD"],
      ["PUT", "/api/v1/contacts/bulk", "POST"],
      // An export refuses HEAD (405 itself): GET only.
      ["PUT", "/api/v1/contacts/export", "GET"],
      ["DELETE", "/api/v1/exports/0190f6c2-0000-7000-8000-0000000000c1/download", "GET"],
    ];
    for (const [method, url, allow] of cases) {
      const response = await workspace.admin.client.request(method, url, method === "DELETE" ? undefined : {});
      expect(response.statusCode, `${method} ${url}`).toBe(405);
      expect(response.headers.allow, `${method} ${url}`).toBe(allow);
      expect(response.headers["content-type"]).toContain("application/problem+json");
      expect(response.json()).toMatchObject({ status: 405, type: "/problems/method-not-allowed" });
    }
    for (const [method, url] of [
      ["POST", "/api/v1/nothing-here"],
      ["DELETE", "/api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1/nothing"],
      ["POST", "/contacts"],
    ] as const) {
      const response = await workspace.admin.client.request(method, url, {});
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.headers.allow).toBeUndefined();
    }
  });

  it("answers 400 problem+json to a malformed URL", async () => {
    const response = await app.inject({ url: "/api/v1/contacts/%E0%A4%A" });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("answers 431 problem+json to headers larger than the server takes, over a real socket", async () => {
    const listening = await appWith({});
    try {
      await listening.listen({ host: "127.0.0.1", port: 0 });
      const { port } = listening.server.address() as { port: number };
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.write(`GET /api/v1/contacts?x=${"a".repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
        });
        let received = "";
        socket.on("data", (data) => (received += String(data)));
        socket.on("close", () => resolve(received));
        socket.on("error", reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 431 /);
      expect(raw).toContain("Content-Type: application/problem+json");
      expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4))).toMatchObject({ status: 431 });
    } finally {
      await listening.close();
    }
  });

  it("keeps 403 and 404 of the framework as what they are, never a 400", async () => {
    const root = await app.inject({ url: "/" });
    expect(root.statusCode).toBe(200);
    expect(root.headers["content-type"]).toContain("text/html");
  });
});

describe("a database that cannot be reached", () => {
  it("answers 503 problem+json with Retry-After, and /readyz 503", async () => {
    // A real pool on a port nobody listens on: every connection is refused.
    const pool = new pg.Pool({
      connectionString: "postgres://nobody@127.0.0.1:9/none",
      connectionTimeoutMillis: 2_000,
    });
    const db = drizzle(pool) as unknown as Database;
    const unreachable = await buildApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), { db });
    try {
      const ready = await unreachable.inject({ url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      const me = await unreachable.inject({ url: "/api/v1/me", headers: { cookie: "keel_session=some-token" } });
      expect(me.statusCode).toBe(503);
      expect(me.headers["retry-after"]).toBe("2");
      expect(me.headers["content-type"]).toContain("application/problem+json");
      expect(me.json()).toMatchObject({ status: 503, type: "/problems/unavailable" });
      expect(me.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await unreachable.close();
      await pool.end();
    }
  });
});

describe("logs", () => {
  it("never carry query strings, bodies, cookies or a failed query's values", async () => {
    const logs = logCollector();
    const logged = await appWith({ LOG_LEVEL: "info" }, logs.stream);
    try {
      const secret = "ann.secret@example.com";
      await logged.inject({
        url: `/api/v1/contacts?q=${encodeURIComponent(secret)}`,
        headers: { cookie: `keel_session=${workspace.admin.client.token}` },
      });
      await logged.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        payload: { email: secret, password: "wrong-password-123" },
      });
      expect(logs.text()).toContain('"path":"/api/v1/contacts"');
      expect(logs.text()).not.toContain(secret);
      expect(logs.text()).not.toContain(workspace.admin.client.token ?? "no token");
      expect(logs.text()).not.toContain("wrong-password-123");
    } finally {
      await logged.close();
    }
  });

  it("tell a client that hung up mid-body from a database failure", async () => {
    const logs = logCollector();
    const logged = await appWith({ LOG_LEVEL: "info" }, logs.stream);
    try {
      await logged.listen({ host: "127.0.0.1", port: 0 });
      const { port } = logged.server.address() as AddressInfo;
      const socket = connect(port, "127.0.0.1");
      await once(socket, "connect");
      socket.write(
        "POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          `Cookie: keel_session=${workspace.admin.client.token}\r\nContent-Length: 100\r\n\r\n{"firstName":`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await vi.waitFor(() =>
        expect(logs.text()).toContain("the client closed the request before sending its whole body"),
      );
      expect(logs.text()).not.toContain("database unavailable");
    } finally {
      await logged.close();
    }
  });

  it("close a connection whose request body stalls, but not one whose body keeps coming slowly", async () => {
    const logs = logCollector();
    const idle = await appWith({ LOG_LEVEL: "info", IDLE_TIMEOUT_SECONDS: "1" }, logs.stream);
    try {
      await idle.listen({ host: "127.0.0.1", port: 0 });
      const { port } = idle.server.address() as AddressInfo;
      const body = JSON.stringify({ firstName: "Slow", lastName: `Trickle-${Date.now()}` });
      const head =
        "POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        `Cookie: keel_session=${workspace.admin.client.token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

      const stalled = connect(port, "127.0.0.1");
      await once(stalled, "connect");
      const started = Date.now();
      stalled.write(head + body.slice(0, 5));
      await once(stalled, "close");
      expect(Date.now() - started).toBeLessThan(5_000);

      // A byte every 400 ms for longer than the idle time: nothing stalls, so it is answered.
      const slow = connect(port, "127.0.0.1");
      await once(slow, "connect");
      let answer = "";
      slow.on("data", (chunk: Buffer) => (answer += chunk.toString()));
      slow.write(head);
      for (const [index, character] of [...body].entries()) {
        slow.write(character);
        if (index % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 400));
      }
      await vi.waitFor(() => expect(answer).toMatch(/^HTTP\/1\.1 201 /), { timeout: 10_000 });
      slow.destroy();
      expect(logs.text()).not.toContain("database unavailable");
    } finally {
      await idle.close();
    }
  }, 30_000);

  it("leave a request whose body has arrived to work longer than the idle time, and keep-alive requests after it", async () => {
    const { db } = await testDatabase();
    const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", IDLE_TIMEOUT_SECONDS: "1" });
    const working = await buildApp(config, { db });
    working.post("/test/works-a-while", async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return { done: true };
    });
    try {
      await working.listen({ host: "127.0.0.1", port: 0 });
      const { port } = working.server.address() as AddressInfo;
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const post = () =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const sent = httpRequest(
            {
              port,
              host: "127.0.0.1",
              method: "POST",
              path: "/test/works-a-while",
              agent,
              headers: { "content-type": "application/json" },
            },
            (response) => {
              let body = "";
              response.on("data", (chunk: Buffer) => (body += chunk.toString()));
              response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
            },
          );
          sent.on("error", reject);
          sent.end(JSON.stringify({ any: "body" }));
        });
      // Twice on one kept-alive socket: the first answer's timer must not cut the second.
      for (let request = 0; request < 2; request++) {
        expect(await post()).toEqual({ status: 200, body: '{"done":true}' });
      }
      agent.destroy();
    } finally {
      await working.close();
    }
  }, 30_000);

  it("describe a failed query by SQLSTATE, never by its values", async () => {
    const { db } = await testDatabase();
    const failure = await db.execute(sql`select cast(${"ann.secret@example.com"} as integer)`).catch((e: unknown) => e);
    const described = JSON.stringify(describeError(failure));
    expect(described).toContain('"sqlState":"22P02"');
    expect(described).not.toContain("ann.secret");
  });
});

describe("cross-origin writes with the session cookie", () => {
  const host = "keel.example.com";
  const own = `http://${host}`;
  const body = { firstName: "Cross", lastName: "Origin" };

  it.each([
    ["another origin", { origin: "https://evil.example" }],
    ["an opaque origin", { origin: "null" }],
    ["a cross-site fetch", { "sec-fetch-site": "cross-site" }],
    ["a same-site fetch from a sibling", { "sec-fetch-site": "same-site" }],
  ])("refuses %s with 403, and changes nothing", async (_what, headers) => {
    const before = (await workspace.admin.client.get("/api/v1/contacts/count")).json().count;
    for (const [method, url, payload] of [
      ["POST", "/api/v1/contacts", body],
      ["POST", "/api/v1/auth/sign-in", { email: workspace.admin.email, password: testPassword }],
    ] as const) {
      const response = await workspace.admin.client.request(method, url, payload, { host, ...headers });
      expect(response.statusCode, url).toBe(403);
      expect(response.headers["content-type"]).toContain("application/problem+json");
    }
    expect((await workspace.admin.client.get("/api/v1/contacts/count")).json().count).toBe(before);
  });

  it("refuses a cross-origin PATCH, DELETE and body-less POST …/complete", async () => {
    const task = (await workspace.admin.client.post("/api/v1/tasks", { title: "Cross-origin target" })).json();
    const evil = { host, origin: "https://evil.example" };
    expect((await workspace.admin.client.patch(`/api/v1/tasks/${task.id}`, { title: "x" }, evil)).statusCode).toBe(403);
    expect(
      (await workspace.admin.client.request("POST", `/api/v1/tasks/${task.id}/complete`, undefined, evil)).statusCode,
    ).toBe(403);
    expect((await workspace.admin.client.delete(`/api/v1/tasks/${task.id}`, evil)).statusCode).toBe(403);
    const after = (await workspace.admin.client.get(`/api/v1/tasks/${task.id}`)).json();
    expect(after).toMatchObject({ title: "Cross-origin target", status: "open", version: task.version });
  });

  it("accepts its own origin, a same-origin fetch and clients that send neither header", async () => {
    const allowed: Record<string, string>[] = [{ origin: own }, { "sec-fetch-site": "same-origin" }, {}];
    for (const headers of allowed) {
      const response = await workspace.admin.client.request("POST", "/api/v1/contacts", body, { host, ...headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(201);
    }
  });

  it("accepts the origins of CORS_ORIGINS", async () => {
    const configured = await appWith({ CORS_ORIGINS: "https://app.example.com" });
    try {
      const response = await configured.inject({
        method: "POST",
        url: "/api/v1/contacts",
        payload: body,
        headers: {
          host,
          origin: "https://app.example.com",
          cookie: `keel_session=${workspace.admin.client.token}`,
          "x-workspace-id": workspace.id,
        },
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers["access-control-allow-origin"]).toBe("https://app.example.com");
      expect(response.headers["access-control-allow-credentials"]).toBe("true");
      // The page may read the version (for If-Match) and where the record is.
      const exposed = String(response.headers["access-control-expose-headers"]).toLowerCase().split(/, */);
      expect(exposed).toEqual(expect.arrayContaining(["etag", "location", "retry-after", "idempotent-replayed"]));
      // A preflight for a change or a delete, with the headers such a request sends, is allowed.
      const changing = await configured.inject({
        method: "OPTIONS",
        url: "/api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1",
        headers: {
          host,
          origin: "https://app.example.com",
          "access-control-request-method": "PATCH",
          "access-control-request-headers": "content-type,if-match,idempotency-key",
        },
      });
      expect(changing.statusCode).toBe(204);
      expect(String(changing.headers["access-control-allow-methods"]).split(/, */)).toEqual(
        expect.arrayContaining(["PATCH", "DELETE", "PUT"]),
      );
      const preflight = await configured.inject({
        method: "OPTIONS",
        url: "/api/v1/contacts",
        headers: { host, origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await configured.close();
    }
  });
});

describe("caching", () => {
  it("sends Cache-Control: no-store on every /api/v1 answer, errors included", async () => {
    for (const response of [
      await workspace.admin.client.get("/api/v1/contacts"),
      await workspace.admin.client.get("/api/v1/me"),
      await app.inject({ url: "/api/v1/me" }),
      await workspace.admin.client.get("/api/v1/contacts/not-a-uuid"),
    ]) {
      expect(response.headers["cache-control"]).toBe("no-store");
    }
  });
});

describe("sessions", () => {
  it("ends a session left unused longer than the idle time-out", async () => {
    const { db } = await testDatabase();
    const member = await createTestWorkspace(app, "Idle");
    const client = member.agent.client;
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    await db.execute(
      sql`update sessions set last_seen_at = now() - interval '13 hours' where token_hash = ${hashToken(client.token ?? "")}`,
    );
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6_000 }); // past the session cache
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("keeps a session in use alive past the idle time-out since sign-in", async () => {
    const { db } = await testDatabase();
    const member = await createTestWorkspace(app, "Busy");
    const tokenHash = hashToken(member.agent.client.token ?? "");
    await db.execute(
      sql`update sessions set last_seen_at = now() - interval '11 hours' where token_hash = ${tokenHash}`,
    );
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6_000 });
    expect((await member.agent.client.get("/api/v1/me")).statusCode).toBe(200);
    const rows = await db.execute(
      sql`select last_seen_at > now() - interval '1 minute' as fresh from sessions where token_hash = ${tokenHash}`,
    );
    expect((rows as unknown as { rows: { fresh: boolean }[] }).rows[0]?.fresh).toBe(true);
  });

  it("stops a session revoked by another process within 5 seconds", async () => {
    const { db } = await testDatabase();
    const member = await createTestWorkspace(app, "Revoked elsewhere");
    const client = member.viewer.client;
    expect((await client.get("/api/v1/me")).statusCode).toBe(200);
    // Another process revokes it: this process only learns it from the database.
    await db.execute(sql`update sessions set revoked_at = now() where token_hash = ${hashToken(client.token ?? "")}`);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5_001 });
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("sets a Secure __Host- cookie on a request that came over HTTPS, through a trusted proxy", async () => {
    const proxied = await appWith({ TRUST_PROXY: "true" });
    const user = await createUser("Proxied");
    try {
      const signIn = (headers: Record<string, string>) =>
        proxied.inject({
          method: "POST",
          url: "/api/v1/auth/sign-in",
          payload: { email: user.email, password: testPassword },
          headers,
        });
      const secure = await signIn({ "x-forwarded-proto": "https", host: "crm.example.com" });
      expect(secure.statusCode).toBe(200);
      const cookie = secure.cookies.find((c) => c.name === "__Host-keel_session");
      expect(cookie).toMatchObject({ secure: true, path: "/", httpOnly: true });
      expect(cookie).not.toHaveProperty("domain");
      const me = (cookieHeader: string) =>
        proxied.inject({ url: "/api/v1/me", headers: { cookie: cookieHeader, "x-forwarded-proto": "https" } });
      expect((await me(`__Host-keel_session=${cookie?.value}`)).statusCode).toBe(200);
      // Over HTTPS a plain cookie (planted by a sibling subdomain, say) is not a session.
      expect((await me(`keel_session=${cookie?.value}`)).statusCode).toBe(401);

      const plain = await signIn({});
      expect(plain.cookies.find((c) => c.name === "keel_session")?.secure).toBeFalsy();
    } finally {
      await proxied.close();
    }
  });

  it("makes the cookie Secure in production even over plain HTTP (TLS ends before Keel)", async () => {
    const production = await appWith({ NODE_ENV: "production", PUBLIC_URL: "https://crm.example.com" });
    const user = await createUser("Production");
    try {
      const response = await production.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        payload: { email: user.email, password: testPassword },
      });
      expect(response.cookies.find((c) => c.name === "__Host-keel_session")?.secure).toBe(true);
    } finally {
      await production.close();
    }
  });
});

describe("demo mode in production", () => {
  it("publishes no demo accounts or password unless KEEL_DEMO=true", async () => {
    const production = await appWith({ NODE_ENV: "production", PUBLIC_URL: "https://crm.example.com" });
    try {
      expect((await production.inject({ url: "/api/v1/auth/options" })).json()).toEqual({
        demoAccounts: [],
        demoPassword: null,
      });
    } finally {
      await production.close();
    }
  });
});

describe("workspace creation", () => {
  it("is capped per user: the sixth answers 422, and nothing is created", async () => {
    const member = await createTestWorkspace(app, "Cap");
    const client = member.viewer.client;
    for (let i = 1; i <= 5; i++) {
      expect((await client.post("/api/v1/workspaces", { name: `Mine ${i}` })).statusCode).toBe(201);
    }
    const sixth = await client.post("/api/v1/workspaces", { name: "One too many" });
    expect(sixth.statusCode).toBe(422);
    expect(sixth.json().detail).toMatch(/5 workspaces/);
    const me = (await client.get("/api/v1/me")).json();
    expect(me.workspaces.filter((w: { name: string }) => w.name.startsWith("Mine"))).toHaveLength(5);
    expect(me.workspaces.some((w: { name: string }) => w.name === "One too many")).toBe(false);
  });

  it("counts racing requests one after the other", async () => {
    const member = await createTestWorkspace(app, "Race");
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => member.agent.client.post("/api/v1/workspaces", { name: `Race ${i}` })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(3);
  });

  it("takes its cap from WORKSPACES_PER_USER", async () => {
    const capped = await appWith({ WORKSPACES_PER_USER: "1" });
    const member = await createTestWorkspace(app, "Cap of one");
    try {
      const create = (name: string) =>
        capped.inject({
          method: "POST",
          url: "/api/v1/workspaces",
          payload: { name },
          headers: { cookie: `keel_session=${member.manager.client.token}` },
        });
      expect((await create("First")).statusCode).toBe(201);
      expect((await create("Second")).statusCode).toBe(422);
    } finally {
      await capped.close();
    }
  });
});
