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

const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
const newCompany = (overrides: Record<string, unknown> = {}) => ({ name: `Acme ${unique()}`, ...overrides });
const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();

describe("POST /api/v1/companies", () => {
  it("creates a company owned by the caller, normalised, with Location and ETag", async () => {
    const response = await ws.manager.client.post(
      "/api/v1/companies",
      newCompany({
        domain: " Example.COM ",
        industry: "Software",
        phone: "+4930123456",
        address: { line1: "Main St 1", city: "Berlin", postalCode: "10115", country: "DE" },
        employeeCount: 250,
        annualRevenue: "1250000.50",
        tags: ["b2b", "b2b"],
      }),
    );
    expect(response.statusCode).toBe(201);
    const company = response.json();
    expect(response.headers.location).toBe(`/api/v1/companies/${company.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(company).toMatchObject({
      domain: "example.com",
      address: { line1: "Main St 1", city: "Berlin", postalCode: "10115", country: "DE" },
      employeeCount: 250,
      annualRevenue: "1250000.50",
      ownerId: ws.manager.userId,
      createdBy: ws.manager.userId,
      tags: ["b2b"],
      version: 1,
      deletedAt: null,
    });
  });

  it("answers 400 naming every bad field and stores nothing", async () => {
    const before = (await ws.admin.client.get("/api/v1/companies/count")).json().count;
    const response = await ws.admin.client.post("/api/v1/companies", {
      name: "",
      domain: "not a domain",
      phone: "call us",
      address: { city: "Berlin", planet: "Earth" },
      employeeCount: 2.5,
      annualRevenue: 100,
      ownerId: "nope",
      tags: "vip",
      industry: "x".repeat(101),
      color: "red",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(paths(response)).toEqual(
      [
        "address.planet",
        "annualRevenue",
        "color",
        "domain",
        "employeeCount",
        "industry",
        "name",
        "ownerId",
        "phone",
        "tags",
      ].sort(),
    );
    expect((await ws.admin.client.get("/api/v1/companies/count")).json().count).toBe(before);
  });

  it("refuses negative amounts and counts", async () => {
    const response = await ws.admin.client.post(
      "/api/v1/companies",
      newCompany({ employeeCount: -1, annualRevenue: "-5.00" }),
    );
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["annualRevenue", "employeeCount"]);
  });

  it("answers 409 for a name already used in the workspace, whatever its case, but not in another workspace", async () => {
    const name = `Globex ${unique()}`;
    expect((await ws.admin.client.post("/api/v1/companies", { name })).statusCode).toBe(201);
    const again = await ws.admin.client.post("/api/v1/companies", { name: name.toUpperCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ path: "name", message: expect.any(String) }]);
    expect((await other.admin.client.post("/api/v1/companies", { name })).statusCode).toBe(201);
  });

  it("answers 400 for an owner who is not a member of the workspace", async () => {
    const response = await ws.admin.client.post("/api/v1/companies", newCompany({ ownerId: other.admin.userId }));
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["ownerId"]);
  });
});

describe("GET /api/v1/companies/:id", () => {
  it("answers the company, with the owner on include=owner", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    const response = await ws.viewer.client.get(`/api/v1/companies/${company.id}?include=owner`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: company.id, name: company.name, owner: { id: ws.admin.userId } });
    expect(response.headers.etag).toBe('"1"');
  });

  it("answers 400 for a malformed id or unknown include, 404 for unknown ids and another workspace's", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    expect((await ws.admin.client.get("/api/v1/companies/123")).statusCode).toBe(400);
    expect((await ws.admin.client.get(`/api/v1/companies/${company.id}?include=contacts`)).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/companies/01900000-0000-7000-8000-000000000000")).statusCode).toBe(404);
    expect((await other.admin.client.get(`/api/v1/companies/${company.id}`)).statusCode).toBe(404);
  });

  it("answers 401 without a session", async () => {
    expect((await anonymous(app).get("/api/v1/companies")).statusCode).toBe(401);
  });
});

describe("PATCH /api/v1/companies/:id", () => {
  it("updates given fields only, replaces the address and bumps the version", async () => {
    const company = (
      await ws.admin.client.post("/api/v1/companies", newCompany({ industry: "Retail", address: { city: "Paris" } }))
    ).json();
    const response = await ws.admin.client.patch(
      `/api/v1/companies/${company.id}`,
      { domain: "ACME.io", address: { country: "FR" } },
      { "if-match": '"1"' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      domain: "acme.io",
      industry: "Retail",
      address: { country: "FR" },
      version: 2,
    });
    expect(response.json().address.city).toBeUndefined();
    expect(response.headers.etag).toBe('"2"');
  });

  it("answers 412 when If-Match is stale and changes nothing", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    await ws.admin.client.patch(`/api/v1/companies/${company.id}`, { industry: "A" });
    const stale = await ws.admin.client.patch(
      `/api/v1/companies/${company.id}`,
      { industry: "B" },
      { "if-match": "1" },
    );
    expect(stale.statusCode).toBe(412);
    expect((await ws.admin.client.get(`/api/v1/companies/${company.id}`)).json().industry).toBe("A");
  });

  it("answers 409 when renaming to a name in use and 400 for unknown fields", async () => {
    const first = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    const second = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    expect(
      (await ws.admin.client.patch(`/api/v1/companies/${second.id}`, { name: first.name.toLowerCase() })).statusCode,
    ).toBe(409);
    const unknown = await ws.admin.client.patch(`/api/v1/companies/${second.id}`, { version: 7, contacts: [] });
    expect(unknown.statusCode).toBe(400);
    expect(paths(unknown)).toEqual(["contacts", "version"]);
  });

  it("answers 404 for another workspace's company", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    expect((await other.admin.client.patch(`/api/v1/companies/${company.id}`, { industry: "x" })).statusCode).toBe(404);
    expect((await ws.admin.client.get(`/api/v1/companies/${company.id}`)).json().industry).toBeNull();
  });
});

describe("DELETE and restore", () => {
  it("soft-deletes (hidden from lists, still readable) and restores", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    expect((await ws.manager.client.delete(`/api/v1/companies/${company.id}`)).statusCode).toBe(204);
    expect((await ws.admin.client.get(`/api/v1/companies?filter[id]=${company.id}`)).json().data).toEqual([]);
    const trash = await ws.admin.client.get(`/api/v1/companies?filter[id]=${company.id}&filter[deleted]=true`);
    expect(trash.json().data).toHaveLength(1);
    expect((await ws.admin.client.get(`/api/v1/companies/${company.id}`)).json().deletedAt).not.toBeNull();
    const restored = await ws.manager.client.post(`/api/v1/companies/${company.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ deletedAt: null, version: 3 });
    const again = await ws.admin.client.post(`/api/v1/companies/${company.id}/restore`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe("The company is not deleted.");
  });

  it("frees the name while deleted and answers 409 on restore when it was taken meanwhile", async () => {
    const name = `Initech ${unique()}`;
    const first = (await ws.admin.client.post("/api/v1/companies", { name })).json();
    await ws.admin.client.delete(`/api/v1/companies/${first.id}`);
    expect((await ws.admin.client.post("/api/v1/companies", { name })).statusCode).toBe(201);
    expect((await ws.admin.client.post(`/api/v1/companies/${first.id}/restore`)).statusCode).toBe(409);
  });

  it("answers 412 for a stale If-Match and 404 for another workspace's company", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    expect((await ws.admin.client.delete(`/api/v1/companies/${company.id}`, { "if-match": "7" })).statusCode).toBe(412);
    expect((await other.admin.client.delete(`/api/v1/companies/${company.id}`)).statusCode).toBe(404);
    await ws.admin.client.delete(`/api/v1/companies/${company.id}`);
    expect((await other.admin.client.post(`/api/v1/companies/${company.id}/restore`)).statusCode).toBe(404);
  });
});

describe("roles", () => {
  it("lets agents create and edit their own companies but not others', and never delete or restore", async () => {
    const own = await ws.agent.client.post("/api/v1/companies", newCompany());
    expect(own.statusCode).toBe(201);
    expect(own.json().ownerId).toBe(ws.agent.userId);
    expect((await ws.agent.client.patch(`/api/v1/companies/${own.json().id}`, { industry: "x" })).statusCode).toBe(200);
    const managers = (await ws.manager.client.post("/api/v1/companies", newCompany())).json();
    expect((await ws.agent.client.patch(`/api/v1/companies/${managers.id}`, { industry: "x" })).statusCode).toBe(403);
    expect((await ws.agent.client.delete(`/api/v1/companies/${own.json().id}`)).statusCode).toBe(403);
    await ws.admin.client.delete(`/api/v1/companies/${own.json().id}`);
    expect((await ws.agent.client.post(`/api/v1/companies/${own.json().id}/restore`)).statusCode).toBe(403);
  });

  it("refuses agents giving a company to someone else", async () => {
    const response = await ws.agent.client.post("/api/v1/companies", newCompany({ ownerId: ws.manager.userId }));
    expect(response.statusCode).toBe(403);
    expect(paths(response)).toEqual(["ownerId"]);
  });

  it("lets viewers read but not write", async () => {
    const company = (await ws.admin.client.post("/api/v1/companies", newCompany())).json();
    expect((await ws.viewer.client.get("/api/v1/companies")).statusCode).toBe(200);
    expect((await ws.viewer.client.get("/api/v1/companies/count")).statusCode).toBe(200);
    expect((await ws.viewer.client.post("/api/v1/companies", newCompany())).statusCode).toBe(403);
    expect((await ws.viewer.client.patch(`/api/v1/companies/${company.id}`, { industry: "x" })).statusCode).toBe(403);
    expect((await ws.viewer.client.delete(`/api/v1/companies/${company.id}`)).statusCode).toBe(403);
  });
});

describe("GET /api/v1/companies (lists)", () => {
  it("pages by cursor without gaps or repeats", async () => {
    const tag = `page-${unique()}`;
    for (let i = 0; i < 5; i++)
      await ws.admin.client.post("/api/v1/companies", newCompany({ name: `P${i} ${unique()}`, tags: [tag] }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/companies?filter[tags]=${tag}&sort=createdAt&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await ws.admin.client.get(url)).json();
      seen.push(...page.data.map((c: { name: string }) => c.name.slice(0, 2)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["P0", "P1", "P2", "P3", "P4"]);
  });

  it("sorts by name, filters with operators and counts with the same filters", async () => {
    const tag = `ops-${unique()}`;
    await ws.admin.client.post(
      "/api/v1/companies",
      newCompany({ name: `B ${tag}`, domain: "b.example", employeeCount: 50, tags: [tag] }),
    );
    await ws.admin.client.post(
      "/api/v1/companies",
      newCompany({ name: `A ${tag}`, industry: "Banking", employeeCount: 5, annualRevenue: "10.00", tags: [tag] }),
    );
    const names = async (query: string) =>
      (await ws.admin.client.get(`/api/v1/companies?filter[tags]=${tag}&${query}`))
        .json()
        .data.map((c: { name: string }) => c.name[0]);
    expect(await names("sort=name")).toEqual(["A", "B"]);
    expect(await names("sort=-name")).toEqual(["B", "A"]);
    expect(await names("filter[domain]=B.EXAMPLE")).toEqual(["B"]);
    expect(await names("filter[employeeCount][gte]=10")).toEqual(["B"]);
    expect(await names("filter[annualRevenue][empty]=false")).toEqual(["A"]);
    expect(await names("filter[industry][contains]=bank")).toEqual(["A"]);
    expect(await names("filter[ownerId]=me&sort=name")).toEqual(["A", "B"]);
    expect(
      (await ws.admin.client.get(`/api/v1/companies/count?filter[tags]=${tag}&filter[employeeCount][lt]=10`)).json(),
    ).toEqual({ count: 1 });
  });

  it("finds companies by partial name or domain with q, never another workspace's", async () => {
    const word = `Zyxcorp${unique()}`;
    await ws.admin.client.post("/api/v1/companies", newCompany({ name: word, domain: `${word.toLowerCase()}.com` }));
    await other.admin.client.post("/api/v1/companies", newCompany({ name: `${word} other` }));
    const found = (await ws.admin.client.get(`/api/v1/companies?q=${word.slice(0, 10)}`)).json().data;
    expect(found.map((c: { name: string }) => c.name)).toEqual([word]);
  });

  it("answers 400 for unsortable fields, unknown filters and bad filter values", async () => {
    const response = await ws.admin.client.get(
      "/api/v1/companies?sort=industry&filter[nope]=1&filter[employeeCount]=many&include=contacts",
    );
    expect(response.statusCode).toBe(400);
    expect(paths(response)).toEqual(["filter[employeeCount]", "filter[nope]", "include", "sort"].sort());
  });
});
