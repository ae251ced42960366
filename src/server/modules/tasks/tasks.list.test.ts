import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLinkTargets, type LinkTargets } from "../activities/activities.factory.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;
let links: LinkTargets;
let otherLinks: LinkTargets;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
  links = await makeLinkTargets(ws);
  otherLinks = await makeLinkTargets(other);
});
afterAll(() => app.close());

type Task = {
  id: string;
  title: string;
  dependsOn: string[];
  dependencies?: { id: string }[];
  assignee?: { id: string } | null;
};
type Page = { data: Task[]; nextCursor: string | null };

/** Tasks with a title prefix unique to the test, so filters can be checked exactly. */
async function createTasks(prefix: string, bodies: Record<string, unknown>[]): Promise<Task[]> {
  const created: Task[] = [];
  for (const [index, body] of bodies.entries()) {
    const response = await ws.manager.client.post("/api/v1/tasks", { title: `${prefix} ${index}`, ...body });
    expect(response.statusCode, response.body).toBe(201);
    created.push(response.json());
  }
  return created;
}
const titles = async (query: string, client = ws.manager.client) =>
  ((await client.get(`/api/v1/tasks?${query}&limit=200`)).json() as Page).data.map((t) => t.title);

describe("GET /api/v1/tasks", () => {
  it("finds overdue tasks with filter[dueAt][lt]=now", async () => {
    const prefix = `O${Date.now()}`;
    const hour = 3_600_000;
    await createTasks(prefix, [
      { dueAt: new Date(Date.now() - hour).toISOString() },
      { dueAt: new Date(Date.now() + hour).toISOString() },
      { dueAt: null },
    ]);
    const title = `filter[title][contains]=${prefix}`;
    expect(await titles(`${title}&filter[dueAt][lt]=now&filter[status]=open`)).toEqual([`${prefix} 0`]);
    expect(await titles(`${title}&filter[dueAt][gte]=now`)).toEqual([`${prefix} 1`]);
  });

  it("filters by status, priority, assignee (me), links and completedAt", async () => {
    const prefix = `F${Date.now()}`;
    await createTasks(prefix, [
      { priority: "high", assigneeId: ws.agent.userId, contactId: links.contactId },
      { priority: "low", status: "in_progress", dealId: links.dealId },
      { status: "completed", companyId: links.companyId },
    ]);
    const title = `filter[title][contains]=${prefix}`;
    expect(await titles(`${title}&filter[status]=open,in_progress&sort=createdAt`)).toEqual([
      `${prefix} 0`,
      `${prefix} 1`,
    ]);
    expect(await titles(`${title}&filter[priority]=high`)).toEqual([`${prefix} 0`]);
    expect(await titles(`${title}&filter[assigneeId]=me`, ws.agent.client)).toEqual([`${prefix} 0`]);
    expect(await titles(`${title}&filter[dealId]=${links.dealId}`)).toEqual([`${prefix} 1`]);
    expect(await titles(`${title}&filter[companyId]=${links.companyId}`)).toEqual([`${prefix} 2`]);
    expect(await titles(`${title}&filter[completedAt][empty]=false`)).toEqual([`${prefix} 2`]);
    expect((await ws.manager.client.get(`/api/v1/tasks/count?${title}&filter[status]=completed`)).json()).toEqual({
      count: 1,
    });
  });

  it("finds overdue tasks with a dueAt range and sorts by dueAt", async () => {
    const prefix = `D${Date.now()}`;
    const day = 86_400_000;
    await createTasks(prefix, [
      { dueAt: new Date(Date.now() - 2 * day).toISOString() },
      { dueAt: new Date(Date.now() + 2 * day).toISOString() },
      { dueAt: new Date(Date.now() - day).toISOString(), status: "completed" },
      { dueAt: new Date(Date.now() - 3 * day).toISOString() },
      {},
    ]);
    const now = new Date().toISOString();
    const overdue = `filter[title][contains]=${prefix}&filter[dueAt][lt]=${now}&filter[status]=open,in_progress&sort=dueAt`;
    expect(await titles(overdue)).toEqual([`${prefix} 3`, `${prefix} 0`]);
    expect(await titles(`filter[title][contains]=${prefix}&sort=-dueAt`)).toEqual(
      [4, 1, 2, 0, 3].map((i) => `${prefix} ${i}`),
    );
  });

  it("returns dependsOn on every task and embeds dependencies and assignees for the page", async () => {
    const prefix = `I${Date.now()}`;
    const [first, second] = await createTasks(prefix, [{}, {}]);
    await createTasks(prefix, [{ dependsOn: [first?.id, second?.id] }, { dependsOn: [first?.id], assigneeId: null }]);
    const page: Page = (
      await ws.manager.client.get(
        `/api/v1/tasks?filter[title][contains]=${prefix}&sort=createdAt&include=dependencies,assignee`,
      )
    ).json();
    expect(page.data.map((t) => t.dependsOn)).toEqual([[], [], [first?.id, second?.id].sort(), [first?.id]]);
    expect(page.data[2]?.dependencies?.map((d) => d.id).sort()).toEqual([first?.id, second?.id].sort());
    expect(page.data[0]?.assignee).toMatchObject({ id: ws.manager.userId });
    expect(page.data[3]?.assignee).toBeNull();
  });

  it("lists unfinished tasks first, soonest due first and undated last, then completed ones, newest first", async () => {
    const team = await createTestWorkspace(app, "Task order");
    const at = (days: number) => new Date(Date.UTC(2030, 0, 1) + days * 86_400_000).toISOString();
    const bodies: Record<string, unknown>[] = [
      { title: "undated", dueAt: null },
      { title: "done early", dueAt: at(1), status: "completed" },
      { title: "in progress", dueAt: at(2), status: "in_progress" },
      { title: "first", dueAt: at(1) },
      { title: "undated, in progress", dueAt: null, status: "in_progress" },
      { title: "done late", dueAt: at(9), status: "completed" },
      { title: "also first", dueAt: at(1) },
      { title: "last due", dueAt: at(5) },
    ];
    for (const body of bodies) {
      expect((await team.manager.client.post("/api/v1/tasks", body)).statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await team.viewer.client.get(`/api/v1/tasks?limit=3${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      seen.push(...page.data.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      "first",
      "also first",
      "in progress",
      "last due",
      "undated",
      "undated, in progress",
      "done late",
      "done early",
    ]);
  });

  it("pages by cursor without skipping or repeating while tasks are added", async () => {
    const prefix = `P${Date.now()}`;
    const created = await createTasks(prefix, [{}, {}, {}, {}, {}]);
    const url = `/api/v1/tasks?filter[title][contains]=${prefix}&sort=-createdAt&limit=2`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await ws.manager.client.get(cursor ? `${url}&cursor=${cursor}` : url)).json();
      seen.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor;
      await createTasks(prefix, [{}]);
    } while (cursor);
    expect(seen).toEqual(created.map((t) => t.id).reverse());
  });

  it("never shows another workspace's tasks, even filtered by their ids, links or assignee", async () => {
    const theirs = (await other.admin.client.post("/api/v1/tasks", { title: "Hidden", ...otherLinks })).json();
    const filters = [
      `filter[id]=${theirs.id}`,
      `filter[contactId]=${otherLinks.contactId}`,
      `filter[dealId]=${otherLinks.dealId}`,
      `filter[assigneeId]=${other.admin.userId}`,
      "q=Hidden",
    ];
    for (const filter of filters) {
      expect(
        (await ws.admin.client.get(`/api/v1/tasks?${filter}&include=assignee,dependencies,contact,deal`)).json().data,
      ).toEqual([]);
      expect((await ws.admin.client.get(`/api/v1/tasks/count?${filter}`)).json().count).toBe(0);
    }
  });

  it("searches titles and descriptions", async () => {
    const word = `wombat${Date.now()}`;
    await createTasks("Search", [{ description: `Feed the ${word}` }]);
    expect((await ws.manager.client.get(`/api/v1/tasks?q=${word}`)).json().data).toHaveLength(1);
  });

  it("answers 400 naming bad filters and sorts", async () => {
    const response = await ws.admin.client.get(
      "/api/v1/tasks?filter[status]=done&filter[dueAt][lt]=tomorrow&filter[assigneeId]=someone&sort=remindAt",
    );
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(["filter[assigneeId]", "filter[dueAt][lt]", "filter[status]", "sort"].sort());
  });
});
