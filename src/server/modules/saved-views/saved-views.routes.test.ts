import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SavedView } from "../../../shared/schemas/saved-view.ts";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 10)}`;

const createView = async (member: Member, body: Record<string, unknown> = {}): Promise<SavedView> => {
  const response = await member.client.post("/api/v1/views", { name: unique("View"), resource: "contacts", ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};

const idsOf = (page: { data: { id: string }[] }) => page.data.map((view) => view.id);

describe("POST /api/v1/views", () => {
  it("saves a private view owned by the caller and answers 201 with Location and ETag", async () => {
    const response = await ws.agent.client.post("/api/v1/views", {
      name: "My hot contacts",
      resource: "contacts",
      filters: [
        { field: "ownerId", op: "eq", value: "me" },
        { field: "lifecycle", op: "in", value: "lead,customer" },
        { field: "createdAt", op: "gte", value: "2026-01-01T00:00:00Z" },
      ],
      sort: "-createdAt,lastName",
      columns: ["firstName", "lastName", "email", "company", "firstName"],
      q: "  ada ",
    });
    expect(response.statusCode, response.body).toBe(201);
    const view = response.json();
    expect(response.headers.location).toBe(`/api/v1/views/${view.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(view).toEqual({
      id: expect.any(String),
      version: 1,
      name: "My hot contacts",
      resource: "contacts",
      visibility: "private",
      ownerId: ws.agent.userId,
      filters: [
        { field: "ownerId", op: "eq", value: "me" },
        { field: "lifecycle", op: "in", value: "lead,customer" },
        { field: "createdAt", op: "gte", value: "2026-01-01T00:00:00Z" },
      ],
      sort: "-createdAt,lastName",
      columns: ["firstName", "lastName", "email", "company"],
      q: "ada",
      columnWidths: {},
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it("lets viewers keep private views, with the list's defaults when nothing is given", async () => {
    const view = await createView(ws.viewer, { resource: "tasks" });
    expect(view).toMatchObject({
      visibility: "private",
      filters: [],
      sort: null,
      columns: [],
      q: null,
      columnWidths: {},
    });
  });

  it("answers 400 naming every bad field of the body", async () => {
    const response = await ws.admin.client.post("/api/v1/views", {
      name: "",
      resource: "invoices",
      visibility: "public",
      filters: [{ field: "email", op: "like", value: "x" }],
      columns: "all",
      color: "red",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths.sort()).toEqual(["color", "columns", "filters.0.op", "name", "resource", "visibility"].sort());
  });

  it("answers 400 naming filters, sort, search and columns that the list itself would refuse", async () => {
    const response = await ws.admin.client.post("/api/v1/views", {
      name: unique("Broken"),
      resource: "deals",
      filters: [
        { field: "colour", op: "eq", value: "red" },
        { field: "status", op: "contains", value: "op" },
        { field: "value", op: "gt", value: "lots" },
        { field: "ownerId", op: "eq", value: "someone" },
        { field: "stageId", op: "in", value: "not-a-uuid,also-not" },
        { field: "name", op: "eq", value: "A" },
        { field: "name", op: "eq", value: "B" },
        { field: "deleted", op: "gt", value: "true" },
      ],
      sort: "-probability",
      columns: ["name", "value"],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: "filters.0.field", message: 'Unknown field "colour"' },
      { path: "filters.1.op", message: 'Operator "contains" does not apply to this field' },
      { path: "filters.2.value", message: "Must be a decimal number" },
      { path: "filters.3.value", message: "Must be a UUID or me" },
      { path: "filters.4.value", message: "Must be a UUID" },
      { path: "filters.6.op", message: "This field already has a filter with this operator" },
      { path: "filters.7.op", message: "The trash filter takes eq only" },
      { path: "sort", message: 'Cannot sort by "probability"' },
    ]);
    expect((await ws.admin.client.get("/api/v1/views?resource=deals")).json().data).toEqual([]);
  });

  it("takes any well-formed column key and refuses others", async () => {
    const saved = await ws.admin.client.post("/api/v1/views", {
      name: `Columns ${Date.now()}`,
      resource: "contacts",
      columns: ["name", "company", "createdAt"],
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().columns).toEqual(["name", "company", "createdAt"]);
    const refused = await ws.admin.client.post("/api/v1/views", {
      name: "Bad columns",
      resource: "contacts",
      columns: ["name", "<script>"],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { path: "columns.1", message: "Must be a column key: a letter, then letters, digits, _ . or -" },
    ]);
  });

  it("accepts the trash filter and `now` in date-time filters", async () => {
    const view = await createView(ws.manager, {
      resource: "tasks",
      filters: [
        { field: "deleted", op: "eq", value: "true" },
        { field: "dueAt", op: "lt", value: "now" },
        { field: "status", op: "in", value: "open,in_progress" },
      ],
      sort: "dueAt",
      columns: ["title", "dueAt", "assignee"],
    });
    expect(view.filters).toHaveLength(3);
  });

  it("answers 403 on visibility when an agent or a viewer shares a view, and saves nothing", async () => {
    for (const member of [ws.agent, ws.viewer]) {
      const name = unique("Shared");
      const response = await member.client.post("/api/v1/views", { name, resource: "leads", visibility: "shared" });
      expect(response.statusCode).toBe(403);
      expect(response.json().errors).toEqual([{ path: "visibility", message: expect.any(String) }]);
      const listed = await ws.admin.client.get(`/api/v1/views?filter[name]=${encodeURIComponent(name)}`);
      expect(listed.json().data).toEqual([]);
    }
  });

  it("answers 409 on name for a second view of the same list with the same name, whatever its case", async () => {
    const name = unique("Twice");
    await createView(ws.manager, { name });
    const again = await ws.manager.client.post("/api/v1/views", { name: name.toUpperCase(), resource: "contacts" });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ path: "name", message: expect.any(String) }]);
    // Another list, or another user's private view, may use the name.
    await createView(ws.manager, { name, resource: "leads" });
    await createView(ws.agent, { name });
  });

  it("answers 409 for a shared view named like another shared view of the list", async () => {
    const name = unique("Team");
    await createView(ws.manager, { name, visibility: "shared" });
    const clash = await ws.admin.client.post("/api/v1/views", { name, resource: "contacts", visibility: "shared" });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().errors).toEqual([
      { path: "name", message: "A shared view of this list already has this name" },
    ]);
  });
});

describe("GET /api/v1/views", () => {
  it("lists the caller's own views and every shared one, never another user's private views", async () => {
    const agentsPrivate = await createView(ws.agent, { resource: "companies" });
    const managersPrivate = await createView(ws.manager, { resource: "companies" });
    const managersShared = await createView(ws.manager, { resource: "companies", visibility: "shared" });
    const seenBy = async (member: Member) =>
      idsOf((await member.client.get("/api/v1/views?resource=companies&limit=200")).json());
    expect(await seenBy(ws.agent)).toEqual(expect.arrayContaining([agentsPrivate.id, managersShared.id]));
    expect(await seenBy(ws.agent)).not.toContain(managersPrivate.id);
    expect(await seenBy(ws.admin)).toEqual([managersShared.id]);
    expect(await seenBy(ws.viewer)).toEqual([managersShared.id]);
    expect(await seenBy(ws.manager)).toEqual(expect.arrayContaining([managersPrivate.id, managersShared.id]));
  });

  it("keeps to one list with resource, sorts by name and pages by cursor", async () => {
    const names = ["Delta", "alpha", "Charlie", "bravo", "Echo"].map((n) => `${n} ${Date.now()}`);
    for (const name of names) await createView(ws.admin, { name, resource: "activities" });
    await createView(ws.admin, { resource: "deals" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/views?resource=activities&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await ws.admin.client.get(url);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((view: SavedView) => view.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...names].sort());
    expect(seen).toEqual([...seen].sort());
  });

  it("filters by visibility and owner and embeds the owner", async () => {
    const shared = await createView(ws.admin, { resource: "leads", visibility: "shared" });
    const response = await ws.agent.client.get(
      `/api/v1/views?resource=leads&filter[visibility]=shared&filter[ownerId]=${ws.admin.userId}&include=owner`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual([
      expect.objectContaining({ id: shared.id, owner: { id: ws.admin.userId, name: "Admin", email: ws.admin.email } }),
    ]);
    const mine = await ws.agent.client.get("/api/v1/views?filter[ownerId]=me&filter[visibility]=shared");
    expect(mine.json().data).toEqual([]);
  });

  it("answers 400 for an unknown resource, filter or sort", async () => {
    const response = await ws.admin.client.get("/api/v1/views?resource=invoices");
    expect(response.statusCode).toBe(400);
    const engine = await ws.admin.client.get("/api/v1/views?filter[filters]=x&sort=resource");
    expect(engine.statusCode).toBe(400);
    expect(
      engine
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(["filter[filters]", "sort"]);
  });

  it("answers 401 without a session", async () => {
    expect((await anonymous(app).get("/api/v1/views")).statusCode).toBe(401);
    expect((await anonymous(app).post("/api/v1/views", { name: "x", resource: "contacts" })).statusCode).toBe(401);
  });
});

describe("GET /api/v1/views/:id", () => {
  it("answers a shared view to everyone and a private one to its owner only (404 to others)", async () => {
    const shared = await createView(ws.manager, { visibility: "shared" });
    const mine = await createView(ws.manager);
    for (const member of [ws.admin, ws.agent, ws.viewer]) {
      const response = await member.client.get(`/api/v1/views/${shared.id}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      const hidden = await member.client.get(`/api/v1/views/${mine.id}`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().type).toBe("/problems/not-found");
    }
    expect((await ws.manager.client.get(`/api/v1/views/${mine.id}?include=owner`)).json().owner).toMatchObject({
      id: ws.manager.userId,
    });
  });
});

describe("PATCH /api/v1/views/:id", () => {
  it("changes the given fields, bumps the version and checks If-Match", async () => {
    const view = await createView(ws.agent, { sort: "lastName", q: "ada" });
    const response = await ws.agent.client.patch(
      `/api/v1/views/${view.id}`,
      { name: "Renamed", filters: [{ field: "tags", op: "contains", value: "vip" }], q: null },
      { "if-match": '"1"' },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json()).toMatchObject({
      name: "Renamed",
      filters: [{ field: "tags", op: "contains", value: "vip" }],
      sort: "lastName",
      q: null,
      version: 2,
    });
    const stale = await ws.agent.client.patch(`/api/v1/views/${view.id}`, { name: "Again" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(412);
    expect((await ws.agent.client.get(`/api/v1/views/${view.id}`)).json().name).toBe("Renamed");
  });

  it("checks filters, sort and columns against the view's own list (a view keeps its resource)", async () => {
    const view = await createView(ws.agent, { resource: "tasks" });
    const response = await ws.agent.client.patch(`/api/v1/views/${view.id}`, {
      filters: [{ field: "lifecycle", op: "eq", value: "lead" }],
      sort: "lastName",
      columns: ["email"],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual(["filters.0.field", "sort"]);
    const moved = await ws.agent.client.patch(`/api/v1/views/${view.id}`, { resource: "contacts" });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().errors).toEqual([{ path: "resource", message: "Unknown field" }]);
  });

  it("lets only the owner change a private view: to everyone else it does not exist", async () => {
    const view = await createView(ws.agent);
    for (const member of [ws.admin, ws.manager, ws.viewer]) {
      expect((await member.client.patch(`/api/v1/views/${view.id}`, { name: "Mine now" })).statusCode).toBe(404);
    }
    expect((await ws.agent.client.get(`/api/v1/views/${view.id}`)).json()).toMatchObject({ version: 1 });
  });

  it("lets admins and managers change any shared view, not agents or viewers", async () => {
    const view = await createView(ws.manager, { visibility: "shared" });
    for (const member of [ws.agent, ws.viewer]) {
      const response = await member.client.patch(`/api/v1/views/${view.id}`, { name: unique("Nope") });
      expect(response.statusCode).toBe(403);
    }
    const byAdmin = await ws.admin.client.patch(`/api/v1/views/${view.id}`, { columns: ["firstName"] });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json()).toMatchObject({ ownerId: ws.manager.userId, columns: ["firstName"], version: 2 });
  });

  it("lets a manager share their private view, and refuses agents sharing theirs", async () => {
    const managers = await createView(ws.manager);
    const shared = await ws.manager.client.patch(`/api/v1/views/${managers.id}`, { visibility: "shared" });
    expect(shared.json().visibility).toBe("shared");
    expect((await ws.viewer.client.get(`/api/v1/views/${managers.id}`)).statusCode).toBe(200);
    const agents = await createView(ws.agent);
    const refused = await ws.agent.client.patch(`/api/v1/views/${agents.id}`, { visibility: "shared" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().errors).toEqual([{ path: "visibility", message: expect.any(String) }]);
    expect((await ws.viewer.client.get(`/api/v1/views/${agents.id}`)).statusCode).toBe(404);
  });
});

describe("column widths of a view", () => {
  const pathsOf = (response: { json: () => { errors: { path: string }[] } }) =>
    response
      .json()
      .errors.map((e) => e.path)
      .sort();

  it("keeps widths from create to get, replaces them whole on PATCH and lists them", async () => {
    const view = await createView(ws.agent, {
      columns: ["name", "email", "company"],
      columnWidths: { name: 240, "company.name": 64, email: 640 },
    });
    expect(view.columnWidths).toEqual({ name: 240, "company.name": 64, email: 640 });
    expect((await ws.agent.client.get(`/api/v1/views/${view.id}`)).json().columnWidths).toEqual(view.columnWidths);

    const replaced = await ws.agent.client.patch(
      `/api/v1/views/${view.id}`,
      { columnWidths: { email: 300 } },
      { "if-match": '"1"' },
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ columnWidths: { email: 300 }, columns: ["name", "email", "company"] });
    expect(replaced.json().columnWidths).not.toHaveProperty("name");

    const renamed = await ws.agent.client.patch(`/api/v1/views/${view.id}`, { name: unique("Renamed") });
    expect(renamed.json()).toMatchObject({ columnWidths: { email: 300 }, version: 3 });
    const listed = (await ws.agent.client.get("/api/v1/views?resource=contacts&limit=200")).json();
    expect(listed.data.find((v: SavedView) => v.id === view.id).columnWidths).toEqual({ email: 300 });

    const cleared = await ws.agent.client.patch(`/api/v1/views/${view.id}`, { columnWidths: {} });
    expect(cleared.json().columnWidths).toEqual({});
  });

  it("answers 400 naming each bad key and width, and saves nothing", async () => {
    const name = unique("Widths");
    const response = await ws.admin.client.post("/api/v1/views", {
      name,
      resource: "contacts",
      columnWidths: { name: 63, email: 641, "x y": 100, company: "200", phone: 100.5, city: null, ok: 200 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(pathsOf(response)).toEqual(
      [
        "columnWidths.name",
        "columnWidths.email",
        "columnWidths.x y",
        "columnWidths.company",
        "columnWidths.phone",
        "columnWidths.city",
      ].sort(),
    );
    expect(response.json().errors).toContainEqual({
      path: "columnWidths.email",
      message: "Must be a whole number of pixels from 64 to 640",
    });
    expect(response.json().errors).toContainEqual({
      path: "columnWidths.x y",
      message: "Must be a column key: a letter, then letters, digits, _ . or -",
    });
    const listed = await ws.admin.client.get(`/api/v1/views?filter[name]=${encodeURIComponent(name)}`);
    expect(listed.json().data).toEqual([]);
  });

  it("answers 400, never 500, to hostile widths, on POST and on PATCH", async () => {
    const view = await createView(ws.manager, { columnWidths: { name: 200 } });
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`column${i}`, 100]));
    const cases: [string, string][] = [
      ['{"__proto__":100}', "columnWidths.__proto__"],
      ['{"__proto__":{"polluted":1}}', "columnWidths.__proto__"],
      ['{"constructor":1}', "columnWidths.constructor"],
      ['{"constructor":{"prototype":{"polluted":1}}}', "columnWidths.constructor"],
      ['{"a\\u0000b":100}', "columnWidths.a\u0000b"],
      ['{"name":"a\\u0000b"}', "columnWidths.name"],
      ['{"name":1e400}', "columnWidths.name"],
      ['{"name":-1e308}', "columnWidths.name"],
      ['{"name":99999999999999999999}', "columnWidths.name"],
      ['{"name":"wide"}', "columnWidths.name"],
      ['{"name":true}', "columnWidths.name"],
      ['{"name":[100]}', "columnWidths.name"],
      ["[100]", "columnWidths"],
      ['"name:100"', "columnWidths"],
      ["null", "columnWidths"],
      [JSON.stringify(tooMany), "columnWidths"],
    ];
    for (const [widths, path] of cases) {
      const created = await ws.manager.client.request(
        "POST",
        "/api/v1/views",
        `{"name":"Hostile","resource":"contacts","columnWidths":${widths}}`,
        { "content-type": "application/json" },
      );
      expect(created.statusCode, widths).toBe(400);
      expect(created.headers["content-type"]).toContain("application/problem+json");
      expect(created.json().errors, widths).toEqual([expect.objectContaining({ path })]);
      const changed = await ws.manager.client.request(
        "PATCH",
        `/api/v1/views/${view.id}`,
        `{"columnWidths":${widths}}`,
        {
          "content-type": "application/json",
        },
      );
      expect(changed.statusCode, widths).toBe(400);
      expect(changed.json().errors, widths).toEqual([expect.objectContaining({ path })]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await ws.manager.client.get(`/api/v1/views/${view.id}`)).json()).toMatchObject({
      version: 1,
      columnWidths: { name: 200 },
    });
  });

  it("lets viewers keep widths in their own views, and only admins and managers change a shared view's", async () => {
    const viewers = await createView(ws.viewer, { columnWidths: { title: 320 } });
    const changed = await ws.viewer.client.patch(`/api/v1/views/${viewers.id}`, { columnWidths: { title: 96 } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().columnWidths).toEqual({ title: 96 });
    expect(
      (await ws.admin.client.patch(`/api/v1/views/${viewers.id}`, { columnWidths: { title: 500 } })).statusCode,
    ).toBe(404);

    const shared = await createView(ws.manager, { visibility: "shared", columnWidths: { name: 200 } });
    for (const member of [ws.agent, ws.viewer]) {
      const refused = await member.client.patch(`/api/v1/views/${shared.id}`, { columnWidths: { name: 400 } });
      expect(refused.statusCode).toBe(403);
      expect((await member.client.get(`/api/v1/views/${shared.id}`)).json().columnWidths).toEqual({ name: 200 });
    }
    const byAdmin = await ws.admin.client.patch(`/api/v1/views/${shared.id}`, { columnWidths: { name: 400 } });
    expect(byAdmin.json()).toMatchObject({ columnWidths: { name: 400 }, version: 2 });
  });
});

describe("DELETE /api/v1/views/:id", () => {
  it("deletes the owner's private view for good (404 afterwards), checking If-Match", async () => {
    const view = await createView(ws.viewer);
    expect((await ws.manager.client.delete(`/api/v1/views/${view.id}`)).statusCode).toBe(404);
    expect((await ws.viewer.client.delete(`/api/v1/views/${view.id}`, { "if-match": '"2"' })).statusCode).toBe(412);
    expect((await ws.viewer.client.delete(`/api/v1/views/${view.id}`, { "if-match": '"1"' })).statusCode).toBe(204);
    expect((await ws.viewer.client.get(`/api/v1/views/${view.id}`)).statusCode).toBe(404);
    expect((await ws.viewer.client.delete(`/api/v1/views/${view.id}`)).statusCode).toBe(404);
    // The name is free again.
    expect((await ws.viewer.client.post("/api/v1/views", { name: view.name, resource: "contacts" })).statusCode).toBe(
      201,
    );
  });

  it("lets admins and managers delete shared views, not agents", async () => {
    const view = await createView(ws.manager, { visibility: "shared" });
    expect((await ws.agent.client.delete(`/api/v1/views/${view.id}`)).statusCode).toBe(403);
    expect((await ws.admin.client.delete(`/api/v1/views/${view.id}`)).statusCode).toBe(204);
    expect((await ws.manager.client.get(`/api/v1/views/${view.id}`)).statusCode).toBe(404);
  });
});

describe("tenant isolation", () => {
  it("never shows, changes or deletes another workspace's views, shared ones included", async () => {
    const shared = await createView(other.admin, { visibility: "shared" });
    expect((await ws.admin.client.get(`/api/v1/views/${shared.id}`)).statusCode).toBe(404);
    expect((await ws.admin.client.patch(`/api/v1/views/${shared.id}`, { name: "Hijacked" })).statusCode).toBe(404);
    expect((await ws.admin.client.delete(`/api/v1/views/${shared.id}`)).statusCode).toBe(404);
    const listed = await ws.admin.client.get("/api/v1/views?limit=200");
    expect(listed.body).not.toContain(shared.id);
    expect((await other.admin.client.get(`/api/v1/views/${shared.id}`)).json()).toMatchObject({
      name: shared.name,
      version: 1,
    });
  });

  it("lets each workspace use the same names", async () => {
    const name = unique("Everywhere");
    await createView(ws.admin, { name, visibility: "shared" });
    await createView(other.admin, { name, visibility: "shared" });
  });
});
