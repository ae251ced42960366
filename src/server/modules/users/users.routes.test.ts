import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { addMember } from "../workspaces/index.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
});
afterAll(() => app.close());

type User = { id: string; email: string; name: string; role: string; joinedAt: string };

const idsOf = (users: User[]) => users.map((u) => u.id);

describe("GET /api/v1/users", () => {
  it("lists the workspace's members with their role, name, e-mail and joining time", async () => {
    const response = await ws.viewer.client.get("/api/v1/users");
    expect(response.statusCode).toBe(200);
    const { data, nextCursor } = response.json() as { data: User[]; nextCursor: string | null };
    expect(nextCursor).toBeNull();
    expect(data).toHaveLength(4);
    for (const member of [ws.admin, ws.manager, ws.agent, ws.viewer]) {
      expect(data).toContainEqual({
        id: member.userId,
        email: member.email,
        name: expect.any(String),
        role: member.role,
        joinedAt: expect.any(String),
        active: true,
      });
    }
  });

  it("lists only this workspace's members, even for a user in both", async () => {
    const { db } = await testDatabase();
    const shared = await createUser("Shared");
    await addMember(db, ws.id, shared.id, "agent");
    await addMember(db, other.id, shared.id, "manager");

    const mine = (await ws.admin.client.get("/api/v1/users")).json().data as User[];
    expect(idsOf(mine)).toContain(shared.id);
    expect(mine.find((u) => u.id === shared.id)?.role).toBe("agent");
    for (const stranger of [other.admin, other.manager, other.agent, other.viewer]) {
      expect(idsOf(mine)).not.toContain(stranger.userId);
    }
    const theirs = (await other.admin.client.get("/api/v1/users")).json().data as User[];
    expect(theirs.find((u) => u.id === shared.id)?.role).toBe("manager");
    expect(idsOf(theirs)).not.toContain(ws.admin.userId);
  });

  it("never exposes password hashes", async () => {
    const response = await ws.admin.client.get("/api/v1/users");
    expect(response.body).not.toMatch(/argon2|password/i);
  });

  it("pages by cursor in joining order without gaps or repeats", async () => {
    const team = await createTestWorkspace(app, "Paging");
    const { db } = await testDatabase();
    const extra: string[] = [];
    for (let i = 0; i < 5; i++) {
      const user = await createUser(`Extra ${i}`);
      await addMember(db, team.id, user.id, "viewer");
      extra.push(user.id);
    }
    const expected = [team.admin.userId, team.manager.userId, team.agent.userId, team.viewer.userId, ...extra];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/users?limit=4${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await team.admin.client.get(url);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { data: User[]; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(4);
      seen.push(...idsOf(page.data));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);

    const descending = (await team.admin.client.get("/api/v1/users?sort=-joinedAt&limit=200")).json().data as User[];
    expect(idsOf(descending)).toEqual([...expected].reverse());
  });

  it("filters by role, one or several", async () => {
    const agents = (await ws.admin.client.get("/api/v1/users?filter[role]=agent")).json().data as User[];
    expect(agents.length).toBeGreaterThanOrEqual(1);
    expect(agents.every((u) => u.role === "agent")).toBe(true);
    expect(idsOf(agents)).toContain(ws.agent.userId);

    const leaders = (await ws.admin.client.get("/api/v1/users?filter[role]=admin,manager")).json().data as User[];
    expect(idsOf(leaders).sort()).toEqual([ws.admin.userId, ws.manager.userId].sort());

    const notViewers = (await ws.admin.client.get("/api/v1/users?filter[role][ne]=viewer")).json().data as User[];
    expect(idsOf(notViewers)).not.toContain(ws.viewer.userId);
    expect(idsOf(notViewers)).toContain(ws.admin.userId);
  });

  it("filters by id", async () => {
    const response = await ws.admin.client.get(`/api/v1/users?filter[id]=${ws.manager.userId}`);
    expect(idsOf(response.json().data)).toEqual([ws.manager.userId]);
    const stranger = await ws.admin.client.get(`/api/v1/users?filter[id]=${other.manager.userId}`);
    expect(stranger.json().data).toEqual([]);
  });

  it.each([
    ["an unknown role", "filter[role]=owner", "filter[role]"],
    ["an unknown field", "filter[passwordHash]=x", "filter[passwordHash]"],
    ["an unsortable field", "sort=email", "sort"],
    ["a malformed cursor", "cursor=%21%21", "cursor"],
    ["an unknown parameter", "page=2", "page"],
    ["a limit over 200", "limit=201", "limit"],
    ["a search over 200 characters", `q=${"a".repeat(201)}`, "q"],
  ])("answers 400 for %s", async (_name, query, path) => {
    const response = await ws.admin.client.get(`/api/v1/users?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("answers 401 without a session", async () => {
    expect((await anonymous(app).get("/api/v1/users")).statusCode).toBe(401);
  });
});

describe("GET /api/v1/users?q=", () => {
  let team: TestWorkspace;
  const people: Record<string, string> = {};
  const emails: Record<string, string> = {};

  beforeAll(async () => {
    team = await createTestWorkspace(app, "Searching members");
    const { db } = await testDatabase();
    for (const [name, role] of [
      ["Ada Lovelace", "agent"],
      ["Adam Smith", "viewer"],
      ["Grace Hopper", "manager"],
      ["100% Sure_Guy", "agent"],
    ] as const) {
      const user = await createUser(name);
      await addMember(db, team.id, user.id, role);
      people[name] = user.id;
      emails[name] = user.email;
    }
    // Found by others' q only while a member: the one removed here never is.
    const gone = await createUser("Ada Gone");
    await addMember(db, team.id, gone.id, "agent");
    expect((await team.admin.client.delete(`/api/v1/users/${gone.id}`)).statusCode).toBe(204);
  });

  const found = async (query: string) =>
    ((await team.viewer.client.get(`/api/v1/users?${query}`)).json().data as User[]).map((u) => u.name).sort();

  it("finds members whose name or e-mail contains every word typed, in any case", async () => {
    expect(await found("q=ada")).toEqual(["Ada Lovelace", "Adam Smith"]);
    expect(await found("q=LOVE")).toEqual(["Ada Lovelace"]);
    expect(await found("q=ada%20smi")).toEqual(["Adam Smith"]);
    expect(await found(`q=${emails["Grace Hopper"]!.split("@")[0]}`)).toEqual(["Grace Hopper"]);
    expect(await found("q=nobody")).toEqual([]);
  });

  it("takes % and _ as themselves, not as patterns", async () => {
    expect(await found("q=100%25")).toEqual(["100% Sure_Guy"]);
    expect(await found("q=e_g")).toEqual(["100% Sure_Guy"]);
    expect(await found("q=%25")).toEqual(["100% Sure_Guy"]);
  });

  it("combines with the role and active filters, as owner pickers ask, and with counts", async () => {
    const owners = "filter[role]=admin,manager,agent&filter[active]=true";
    expect(await found(`q=ada&${owners}`)).toEqual(["Ada Lovelace"]);
    expect(
      (await team.admin.client.patch(`/api/v1/users/${people["Ada Lovelace"]}`, { active: false })).statusCode,
    ).toBe(200);
    expect(await found(`q=ada&${owners}`)).toEqual([]);
    expect(await found("q=ada&filter[active]=false")).toEqual(["Ada Lovelace"]);
    expect((await team.viewer.client.get("/api/v1/users/count?q=ada")).json()).toEqual({ count: 2 });
  });

  it("pages a search by cursor and never finds another workspace's members", async () => {
    const first = (await team.viewer.client.get("/api/v1/users?q=a&limit=2")).json();
    const second = (await team.viewer.client.get(`/api/v1/users?q=a&limit=2&cursor=${first.nextCursor}`)).json();
    const ids = [...first.data, ...second.data].map((u: User) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await ws.admin.client.get("/api/v1/users?q=Lovelace")).json().data).toEqual([]);
  });
});

describe("GET /api/v1/users/count", () => {
  it("counts the workspace's members, with the list filters", async () => {
    const team = await createTestWorkspace(app, "Counting");
    expect((await team.viewer.client.get("/api/v1/users/count")).json()).toEqual({ count: 4 });
    expect((await team.admin.client.get("/api/v1/users/count?filter[role]=viewer")).json()).toEqual({ count: 1 });
    expect((await team.admin.client.get("/api/v1/users/count?filter[role]=admin,agent")).json()).toEqual({ count: 2 });
    const { db } = await testDatabase();
    await addMember(db, team.id, (await createUser("Late")).id, "viewer");
    expect((await team.admin.client.get("/api/v1/users/count?filter[role]=viewer")).json()).toEqual({ count: 2 });
  });

  it("answers 400 for paging parameters and unknown filters", async () => {
    expect((await ws.admin.client.get("/api/v1/users/count?limit=5")).statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/users/count?filter[nope]=1")).statusCode).toBe(400);
  });
});

describe("GET /api/v1/users/:id", () => {
  it("answers a member with their role in this workspace", async () => {
    const response = await ws.viewer.client.get(`/api/v1/users/${ws.agent.userId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: ws.agent.userId,
      email: ws.agent.email,
      name: "Agent",
      role: "agent",
      joinedAt: expect.any(String),
      active: true,
    });
  });

  it("answers 404 for a user of another workspace, the same as for an unknown id", async () => {
    const stranger = await ws.admin.client.get(`/api/v1/users/${other.admin.userId}`);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().type).toBe("/problems/not-found");
    const unknown = await ws.admin.client.get("/api/v1/users/01900000-0000-7000-8000-000000000000");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe(stranger.json().detail);
  });

  it("answers 404 for a user who exists but belongs to no workspace", async () => {
    const loner = await createUser("Loner");
    expect((await ws.admin.client.get(`/api/v1/users/${loner.id}`)).statusCode).toBe(404);
  });

  it("answers 400 for a malformed id", async () => {
    const response = await ws.admin.client.get("/api/v1/users/not-an-id");
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: "id", message: expect.any(String) }]);
  });
});
