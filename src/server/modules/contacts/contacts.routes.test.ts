import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymous, createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const newContact = (overrides: Record<string, unknown> = {}) => ({
  firstName: "Ada",
  lastName: "Lovelace",
  email: `ada.${Math.random().toString(36).slice(2)}@example.com`,
  ...overrides,
});

describe("POST /api/v1/contacts", () => {
  it("creates a contact owned by the caller and answers 201 with Location and ETag", async () => {
    const response = await ws.manager.client.post("/api/v1/contacts", newContact({ tags: ["vip", "vip", " b2b "] }));
    expect(response.statusCode).toBe(201);
    const contact = response.json();
    expect(response.headers.location).toBe(`/api/v1/contacts/${contact.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(contact).toMatchObject({
      firstName: "Ada",
      ownerId: ws.manager.userId,
      version: 1,
      lifecycle: "lead",
      tags: ["vip", "b2b"],
    });
    expect(contact.createdBy).toBe(ws.manager.userId);
  });

  it("answers 400 naming every bad field, unknown fields included, and stores nothing", async () => {
    const before = (await ws.admin.client.get("/api/v1/contacts/count")).json().count;
    const response = await ws.admin.client.post("/api/v1/contacts", {
      firstName: "",
      email: "not-an-email",
      phone: "call me",
      lifecycle: "prospect",
      tags: "vip",
      companyId: "nope",
      color: "red",
      jobTitle: "x".repeat(201),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    const paths = response
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(
      ["color", "companyId", "email", "firstName", "jobTitle", "lifecycle", "phone", "tags"].sort(),
    );
    expect((await ws.admin.client.get("/api/v1/contacts/count")).json().count).toBe(before);
  });

  it("answers 400 for a body that is not JSON and 415 for another media type", async () => {
    const broken = await ws.admin.client.request("POST", "/api/v1/contacts", "{", {
      "content-type": "application/json",
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().type).toBe("/problems/validation");
    const text = await ws.admin.client.request("POST", "/api/v1/contacts", "hi", { "content-type": "text/plain" });
    expect(text.statusCode).toBe(415);
  });

  it("answers 409 for an e-mail already used in the workspace, whatever its case", async () => {
    const email = `dup.${Date.now()}@example.com`;
    expect((await ws.admin.client.post("/api/v1/contacts", newContact({ email }))).statusCode).toBe(201);
    const again = await ws.admin.client.post("/api/v1/contacts", newContact({ email: email.toUpperCase() }));
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ path: "email", message: expect.any(String) }]);
  });

  it("answers 409 for a phone number already used, but allows it in another workspace", async () => {
    const phone = `+49151${Date.now().toString().slice(-8)}`;
    expect((await ws.admin.client.post("/api/v1/contacts", newContact({ phone }))).statusCode).toBe(201);
    expect((await ws.admin.client.post("/api/v1/contacts", newContact({ phone }))).statusCode).toBe(409);
    expect((await other.admin.client.post("/api/v1/contacts", newContact({ phone }))).statusCode).toBe(201);
  });

  it("replays the first answer for the same Idempotency-Key and refuses the key for another body", async () => {
    const key = `key-${Date.now()}`;
    const body = newContact();
    const first = await ws.admin.client.post("/api/v1/contacts", body, { "idempotency-key": key });
    const second = await ws.admin.client.post("/api/v1/contacts", body, { "idempotency-key": key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(second.json().id).toBe(first.json().id);
    // The replay carries what the client needs to go on: where the record is, and its version.
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers.etag).toBe('"1"');
    const patch = { jobTitle: "Replayed" };
    const firstPatch = await ws.admin.client.patch(`/api/v1/contacts/${first.json().id}`, patch, {
      "idempotency-key": `${key}-patch`,
      "if-match": second.headers.etag as string,
    });
    const patchReplay = await ws.admin.client.patch(`/api/v1/contacts/${first.json().id}`, patch, {
      "idempotency-key": `${key}-patch`,
      "if-match": second.headers.etag as string,
    });
    expect(firstPatch.statusCode).toBe(200);
    expect(patchReplay.headers["idempotent-replayed"]).toBe("true");
    expect(patchReplay.headers.etag).toBe('"2"');
    const list = await ws.admin.client.get(`/api/v1/contacts?filter[email]=${encodeURIComponent(body.email)}`);
    expect(list.json().data).toHaveLength(1);
    const different = await ws.admin.client.post("/api/v1/contacts", newContact(), { "idempotency-key": key });
    expect(different.statusCode).toBe(422);
  });
});

describe("GET /api/v1/contacts/:id", () => {
  it("embeds the company and owner with include", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", { name: `Acme ${Date.now()}` })).json();
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact({ companyId: company.id }))).json();
    const response = await ws.viewer.client.get(`/api/v1/contacts/${contact.id}?include=company,owner`);
    expect(response.statusCode).toBe(200);
    expect(response.json().company).toEqual({ id: company.id, name: company.name });
    expect(response.json().owner).toMatchObject({ id: ws.admin.userId });
  });

  it("answers 400 for a malformed id and an unknown include, 404 for an unknown id", async () => {
    expect((await ws.admin.client.get("/api/v1/contacts/123")).statusCode).toBe(400);
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact())).json();
    expect((await ws.admin.client.get(`/api/v1/contacts/${contact.id}?include=secrets`)).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/contacts/01900000-0000-7000-8000-000000000000")).statusCode).toBe(404);
  });

  it("answers 401 without a session", async () => {
    const response = await anonymous(app).get("/api/v1/contacts");
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe("/problems/unauthenticated");
  });
});

describe("PATCH /api/v1/contacts/:id", () => {
  it("updates given fields only and bumps the version", async () => {
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact({ jobTitle: "CTO" }))).json();
    const response = await ws.admin.client.patch(
      `/api/v1/contacts/${contact.id}`,
      { lastName: "Byron" },
      { "if-match": '"1"' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ lastName: "Byron", jobTitle: "CTO", version: 2 });
    expect(response.headers.etag).toBe('"2"');
  });

  it("answers 412 when If-Match is stale and changes nothing", async () => {
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact())).json();
    await ws.admin.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle: "A" });
    const stale = await ws.admin.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle: "B" }, { "if-match": "1" });
    expect(stale.statusCode).toBe(412);
    expect((await ws.admin.client.get(`/api/v1/contacts/${contact.id}`)).json().jobTitle).toBe("A");
  });

  it("lets exactly one of two concurrent patches with the same If-Match win", async () => {
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact())).json();
    const [a, b] = await Promise.all([
      ws.admin.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle: "A" }, { "if-match": "1" }),
      ws.manager.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle: "B" }, { "if-match": "1" }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
  });

  it("answers 400 for a malformed If-Match", async () => {
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact())).json();
    const response = await ws.admin.client.patch(
      `/api/v1/contacts/${contact.id}`,
      { jobTitle: "A" },
      { "if-match": "abc" },
    );
    expect(response.statusCode).toBe(400);
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from lists, still readable) and restores", async () => {
    const contact = (await ws.admin.client.post("/api/v1/contacts", newContact())).json();
    expect((await ws.admin.client.delete(`/api/v1/contacts/${contact.id}`)).statusCode).toBe(204);
    const listed = await ws.admin.client.get(`/api/v1/contacts?filter[id]=${contact.id}`);
    expect(listed.json().data).toEqual([]);
    const trash = await ws.admin.client.get(`/api/v1/contacts?filter[id]=${contact.id}&filter[deleted]=true`);
    expect(trash.json().data).toHaveLength(1);
    // As a saved view writes the trash filter, with eq; no other operator.
    const withEq = await ws.admin.client.get(`/api/v1/contacts?filter[id]=${contact.id}&filter[deleted][eq]=true`);
    expect(withEq.json().data).toHaveLength(1);
    const withGte = await ws.admin.client.get(`/api/v1/contacts?filter[deleted][gte]=true`);
    expect(withGte.statusCode).toBe(400);
    expect(withGte.json().errors).toEqual([
      { path: "filter[deleted][gte]", message: "The trash filter takes eq only" },
    ]);
    expect((await ws.admin.client.get(`/api/v1/contacts/${contact.id}`)).json().deletedAt).not.toBeNull();
    expect((await ws.admin.client.patch(`/api/v1/contacts/${contact.id}`, { jobTitle: "x" })).statusCode).toBe(404);
    const restored = await ws.admin.client.post(`/api/v1/contacts/${contact.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deletedAt).toBeNull();
    expect((await ws.admin.client.post(`/api/v1/contacts/${contact.id}/restore`)).statusCode).toBe(409);
  });

  it("answers 409 when restoring a contact whose e-mail was taken meanwhile", async () => {
    const email = `again.${Date.now()}@example.com`;
    const first = (await ws.admin.client.post("/api/v1/contacts", newContact({ email }))).json();
    await ws.admin.client.delete(`/api/v1/contacts/${first.id}`);
    expect((await ws.admin.client.post("/api/v1/contacts", newContact({ email }))).statusCode).toBe(201);
    expect((await ws.admin.client.post(`/api/v1/contacts/${first.id}/restore`)).statusCode).toBe(409);
  });
});

describe("roles", () => {
  it("lets agents create and edit their own contacts but not others', and never delete", async () => {
    const own = await ws.agent.client.post("/api/v1/contacts", newContact());
    expect(own.statusCode).toBe(201);
    expect(own.json().ownerId).toBe(ws.agent.userId);
    expect((await ws.agent.client.patch(`/api/v1/contacts/${own.json().id}`, { jobTitle: "x" })).statusCode).toBe(200);
    const managers = (await ws.manager.client.post("/api/v1/contacts", newContact())).json();
    expect((await ws.agent.client.patch(`/api/v1/contacts/${managers.id}`, { jobTitle: "x" })).statusCode).toBe(403);
    expect((await ws.agent.client.delete(`/api/v1/contacts/${own.json().id}`)).statusCode).toBe(403);
    expect((await ws.agent.client.post(`/api/v1/contacts/${own.json().id}/restore`)).statusCode).toBe(403);
  });

  it("refuses agents giving a contact to someone else", async () => {
    const response = await ws.agent.client.post("/api/v1/contacts", newContact({ ownerId: ws.manager.userId }));
    expect(response.statusCode).toBe(403);
  });

  it("lets viewers read but not write", async () => {
    expect((await ws.viewer.client.get("/api/v1/contacts")).statusCode).toBe(200);
    expect((await ws.viewer.client.post("/api/v1/contacts", newContact())).statusCode).toBe(403);
  });
});

describe("GET /api/v1/contacts (lists)", () => {
  it("pages by cursor without gaps or repeats while rows are inserted", async () => {
    const tag = `page-${Date.now()}`;
    for (let i = 0; i < 7; i++)
      await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: `P${i}`, tags: [tag] }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const url: string = `/api/v1/contacts?filter[tags]=${tag}&sort=createdAt&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await ws.admin.client.get(url)).json();
      seen.push(...page.data.map((c: { firstName: string }) => c.firstName));
      cursor = page.nextCursor;
      if (inserted++ === 0)
        await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: "Late", tags: [tag] }));
    } while (cursor);
    expect(seen).toEqual(["P0", "P1", "P2", "P3", "P4", "P5", "P6", "Late"]);
  });

  it("sorts descending on a nullable-free key and pages the same way", async () => {
    const tag = `desc-${Date.now()}`;
    for (const name of ["b", "a", "c", "a"])
      await ws.admin.client.post("/api/v1/contacts", newContact({ lastName: name, tags: [tag] }));
    const first = (await ws.admin.client.get(`/api/v1/contacts?filter[tags]=${tag}&sort=-lastName&limit=2`)).json();
    const second = (
      await ws.admin.client.get(
        `/api/v1/contacts?filter[tags]=${tag}&sort=-lastName&limit=2&cursor=${first.nextCursor}`,
      )
    ).json();
    expect([...first.data, ...second.data].map((c: { lastName: string }) => c.lastName)).toEqual(["c", "b", "a", "a"]);
    expect(second.nextCursor).toBeNull();
  });

  it("filters with operators and counts with the same filters", async () => {
    const tag = `ops-${Date.now()}`;
    await ws.admin.client.post(
      "/api/v1/contacts",
      newContact({ firstName: "Grace", jobTitle: "Engineer", lifecycle: "customer", tags: [tag] }),
    );
    await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: "Alan", jobTitle: null, tags: [tag] }));
    const base = `filter[tags]=${tag}`;
    const names = async (query: string) =>
      (await ws.admin.client.get(`/api/v1/contacts?${base}&${query}&sort=firstName`))
        .json()
        .data.map((c: { firstName: string }) => c.firstName);
    expect(await names("filter[lifecycle]=customer")).toEqual(["Grace"]);
    expect(await names("filter[lifecycle][ne]=customer")).toEqual(["Alan"]);
    expect(await names("filter[jobTitle][contains]=engin")).toEqual(["Grace"]);
    expect(await names("filter[jobTitle][empty]=true")).toEqual(["Alan"]);
    expect(await names("filter[firstName]=Alan,Grace")).toEqual(["Alan", "Grace"]);
    expect(await names(`filter[ownerId]=me`)).toEqual(["Alan", "Grace"]);
    expect(await names(`filter[createdAt][gt]=2000-01-01T00:00:00Z`)).toEqual(["Alan", "Grace"]);
    expect((await ws.admin.client.get(`/api/v1/contacts/count?${base}&filter[lifecycle]=customer`)).json()).toEqual({
      count: 1,
    });
  });

  it("finds partial and misspelt names with q", async () => {
    const unique = `Zebulon${Date.now()}`;
    await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: unique, lastName: "Smith" }));
    const find = async (q: string) =>
      (await ws.admin.client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}`))
        .json()
        .data.map((c: { firstName: string }) => c.firstName);
    expect(await find(unique)).toContain(unique);
    expect(await find(unique.slice(0, 8))).toContain(unique);
    expect(await find(`${unique.slice(0, 4)}x${unique.slice(5)}`)).toContain(unique);
  });

  it("answers hostile search text with results, never an error", async () => {
    await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: "Siobhan", lastName: "O'Brien" }));
    for (const q of ["O'Brien", "a:*|b&!(c)", "\\'; drop table contacts; --", "!!!", "%_%", "x".repeat(200)]) {
      const response = await ws.admin.client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}`);
      expect(response.statusCode, q).toBe(200);
      expect((await ws.admin.client.get(`/api/v1/contacts/count?q=${encodeURIComponent(q)}`)).statusCode, q).toBe(200);
    }
    const found = await ws.admin.client.get(`/api/v1/contacts?q=${encodeURIComponent("O'Brien")}`);
    expect(found.json().data.map((c: { lastName: string }) => c.lastName)).toContain("O'Brien");
  });

  it("prefers exact matches, and falls back to similar names only when there are none", async () => {
    // Letters only: digits would share trigrams with other tests' time-stamped e-mails.
    const stem = `Quill${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`;
    await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: `${stem}a` }));
    await ws.admin.client.post("/api/v1/contacts", newContact({ firstName: `${stem}e` }));
    const find = async (q: string) =>
      (await ws.admin.client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}&sort=firstName`))
        .json()
        .data.map((c: { firstName: string }) => c.firstName);
    expect(await find(`${stem}a`)).toEqual([`${stem}a`]);
    expect(await find(`${stem}o`)).toEqual([`${stem}a`, `${stem}e`]);
    const count = await ws.admin.client.get(`/api/v1/contacts/count?q=${encodeURIComponent(`${stem}o`)}`);
    expect(count.json()).toEqual({ count: 2 });
  });

  it("answers 400 naming malformed cursors, filters, sorts and limits", async () => {
    const response = await ws.admin.client.get(
      "/api/v1/contacts?cursor=!!&filter[nope]=1&filter[createdAt][gt]=yesterday&filter[lifecycle][contains]=x&sort=phone&limit=500&extra=1",
    );
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["limit"]));
    const engine = await ws.admin.client.get(
      "/api/v1/contacts?cursor=!!&filter[nope]=1&filter[createdAt][gt]=yesterday&filter[lifecycle][contains]=x&sort=phone&extra=1",
    );
    expect(
      engine
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(
      ["cursor", "extra", "filter[createdAt][gt]", "filter[lifecycle][contains]", "filter[nope]", "sort"].sort(),
    );
    // The workspace holds many contacts by now, so a one-row page always has a next cursor.
    const cursor = (await ws.admin.client.get("/api/v1/contacts?limit=1")).json().nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const otherSort = await ws.admin.client.get(`/api/v1/contacts?sort=lastName&cursor=${cursor}`);
    expect(otherSort.statusCode).toBe(400);
    expect(otherSort.json().errors).toEqual([{ path: "cursor", message: expect.stringContaining("another sort") }]);
  });
});

describe("phone numbers", () => {
  const setCountry = async (defaultPhoneCountry: string | null) => {
    const response = await ws.admin.client.patch("/api/v1/workspace", { defaultPhoneCountry });
    expect(response.statusCode, response.body).toBe(200);
  };

  it("stores any common way of writing one in E.164, local ones in the workspace's phone country", async () => {
    await setCountry("DE");
    try {
      const local = await ws.admin.client.post("/api/v1/contacts", newContact({ phone: "030 2345 6789" }));
      expect(local.statusCode, local.body).toBe(201);
      expect(local.json().phone).toBe("+493023456789");
      const abroad = await ws.admin.client.patch(`/api/v1/contacts/${local.json().id}`, { phone: "+1 (415) 555-2671" });
      expect(abroad.statusCode, abroad.body).toBe(200);
      expect(abroad.json().phone).toBe("+14155552671");
      // The same number written another way is the same number: 409, as for any repeat.
      const again = await ws.admin.client.post("/api/v1/contacts", newContact({ phone: "001 415 555 2671" }));
      expect(again.statusCode).toBe(409);
    } finally {
      await setCountry(null);
    }
  });

  it("answers 400 on phone for a local number without a phone country, or a number that cannot exist", async () => {
    const before = (await ws.admin.client.get("/api/v1/contacts/count")).json().count;
    const local = await ws.admin.client.post("/api/v1/contacts", newContact({ phone: "030 2345 6789" }));
    expect(local.statusCode).toBe(400);
    expect(local.json().errors).toEqual([
      { path: "phone", message: expect.stringContaining("Must start with + and the country code") },
    ]);
    const impossible = await ws.admin.client.post("/api/v1/contacts", newContact({ phone: "+49 12" }));
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().errors).toEqual([
      { path: "phone", message: expect.stringContaining("Must be a phone number") },
    ]);
    expect((await ws.admin.client.get("/api/v1/contacts/count")).json().count).toBe(before);
  });
});
