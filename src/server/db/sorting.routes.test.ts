import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../shared/schemas/pipeline.ts";
import { defaultPipelineOf, stageNamed } from "../modules/pipelines/pipelines.factory.ts";
import { addMember } from "../modules/workspaces/index.ts";
import {
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type Client,
  type TestWorkspace,
} from "../test/create-test-app.ts";

/**
 * Every sortable column of every list, both ways, read page by page with pages of two rows, so
 * pages end inside runs of equal values and of nulls: the pages together must be the whole list
 * in the promised order, nothing skipped and nothing twice.
 */

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type Row = { id: string; [field: string]: unknown };
type Value = string | number | null;
type Key = { value: (row: Row) => Value; isDescending?: boolean };

/** Every row of a list in one sort, page by page. */
async function pageThrough(client: Client, path: string, sort: string, limit = 2, filters = ""): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `${path}?sort=${encodeURIComponent(sort)}&limit=${limit}${filters}${cursor ? `&cursor=${cursor}` : ""}`;
    const response = await client.get(url);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as { data: Row[]; nextCursor: string | null };
    rows.push(...page.data);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 200);
  return rows;
}

function compare(a: Value, b: Value, isDescending = false): number {
  if (a === b) return 0;
  if (a === null) return isDescending ? -1 : 1;
  if (b === null) return isDescending ? 1 : -1;
  const order = a < b ? -1 : 1;
  return isDescending ? -order : order;
}

/** The order the API promises: key by key, nulls last ascending and first descending, then the id in the last key's direction. */
function expectedOrder(rows: Row[], keys: Key[]): string[] {
  const isIdDescending = keys.at(-1)?.isDescending ?? false;
  return [...rows]
    .sort((a, b) => {
      for (const key of keys) {
        const order = compare(key.value(a), key.value(b), key.isDescending);
        if (order !== 0) return order;
      }
      return compare(a.id, b.id, isIdDescending);
    })
    .map((row) => row.id);
}

/** Checks `sort=field` and `sort=-field` over every row of the list. */
async function expectSortsBothWays(client: Client, path: string, field: string, value: Key["value"]) {
  const all = (await client.get(`${path}?limit=200`)).json().data as Row[];
  for (const isDescending of [false, true]) {
    const seen = await pageThrough(client, path, `${isDescending ? "-" : ""}${field}`);
    expect(
      seen.map((row) => row.id),
      `${isDescending ? "-" : ""}${field}`,
    ).toEqual(expectedOrder(all, [{ value, isDescending }]));
  }
}

const field = (name: string) => (row: Row) => (row[name] as Value | undefined) ?? null;
const amount = (name: string) => (row: Row) => (row[name] === null ? null : Number(row[name]));
/** A rank in a fixed order (groups), null staying null. */
const rankIn = (order: readonly (string | null)[], name: string) => (row: Row) =>
  row[name] === null ? null : order.indexOf(row[name] as string);

async function post(client: Client, path: string, body: Record<string, unknown>): Promise<Row> {
  const response = await client.post(path, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Row;
}

/** A workspace with more members, most of whom own nothing, so owner sorts cross empty groups. */
async function workspaceWithMembers(name: string) {
  const ws = await createTestWorkspace(app, name);
  const { db } = await testDatabase();
  const extra: Record<string, string> = {};
  for (const memberName of ["bea", "Cal", "Dot", "Eve", "Fay", "Zoe"]) {
    const user = await createUser(memberName);
    await addMember(db, ws.id, user.id, "agent");
    extra[memberName] = user.id;
  }
  // Members by name, as sort=ownerId orders them (case ignored).
  const byName = [ws.admin.userId, ws.agent.userId, extra.bea, extra.Cal, extra.Dot, extra.Eve, extra.Fay];
  const order = [...byName, ws.manager.userId, ws.viewer.userId, extra.Zoe] as string[];
  return { ws, extra: extra as Record<"bea" | "Zoe", string>, order };
}

describe("sorting contacts", () => {
  let ws: TestWorkspace;
  let owners: string[];

  beforeAll(async () => {
    const setup = await workspaceWithMembers("Sorting contacts");
    ws = setup.ws;
    owners = setup.order;
    const people: [string, string | null, "lead" | "customer"][] = [
      ["Ames", ws.admin.userId, "lead"],
      ["Ames", ws.admin.userId, "customer"],
      ["Baker", ws.admin.userId, "lead"],
      ["Baker", setup.extra.Zoe, "customer"],
      ["Cole", setup.extra.Zoe, "lead"],
      ["Cole", null, "lead"],
      ["Dunn", null, "customer"],
      ["Ames", setup.extra.bea, "lead"],
      ["Ewing", ws.agent.userId, "lead"],
    ];
    for (const [lastName, ownerId, lifecycle] of people) {
      await post(ws.admin.client, "/api/v1/contacts", { firstName: "Kim", lastName, ownerId, lifecycle });
    }
  });

  it("sorts by last name, ties in id order", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/contacts", "lastName", field("lastName"));
  });

  it("sorts by owner: members by name (case ignored), unassigned last, across members owning nothing", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/contacts", "ownerId", rankIn(owners, "ownerId"));
  });

  it("sorts by lifecycle in its own order (lead before customer), not the alphabet", async () => {
    await expectSortsBothWays(
      ws.viewer.client,
      "/api/v1/contacts",
      "lifecycle",
      rankIn(["lead", "customer"], "lifecycle"),
    );
    const first = await pageThrough(ws.viewer.client, "/api/v1/contacts", "lifecycle", 200);
    expect(first[0]?.lifecycle).toBe("lead");
  });

  it("sorts by owner, then by last name descending", async () => {
    const all = (await ws.viewer.client.get("/api/v1/contacts?limit=200")).json().data as Row[];
    const seen = await pageThrough(ws.viewer.client, "/api/v1/contacts", "ownerId,-lastName");
    expect(seen.map((row) => row.id)).toEqual(
      expectedOrder(all, [{ value: rankIn(owners, "ownerId") }, { value: field("lastName"), isDescending: true }]),
    );
  });
});

describe("sorting companies", () => {
  let ws: TestWorkspace;
  let owners: string[];

  beforeAll(async () => {
    const setup = await workspaceWithMembers("Sorting companies");
    ws = setup.ws;
    owners = setup.order;
    const sizes: [number | null, string | null][] = [
      [10, ws.agent.userId],
      [10, null],
      [null, ws.admin.userId],
      [500, setup.extra.Zoe],
      [null, null],
      [10, ws.admin.userId],
      [null, setup.extra.Zoe],
      [2, ws.agent.userId],
    ];
    for (const [index, [employeeCount, ownerId]] of sizes.entries()) {
      await post(ws.admin.client, "/api/v1/companies", { name: `Company ${index}`, employeeCount, ownerId });
    }
  });

  it("sorts by name", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/companies", "name", field("name"));
  });

  it("sorts by employees, companies without a count last (first descending)", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/companies", "employeeCount", field("employeeCount"));
  });

  it("sorts by owner", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/companies", "ownerId", rankIn(owners, "ownerId"));
  });
});

describe("sorting leads", () => {
  let ws: TestWorkspace;
  let owners: string[];

  beforeAll(async () => {
    const setup = await workspaceWithMembers("Sorting leads");
    ws = setup.ws;
    owners = setup.order;
    const leads: [string, string, string, string | null, string | null][] = [
      ["beta", "new", "high", "100.00", ws.admin.userId],
      ["alpha", "contacted", "low", null, null],
      ["alpha", "new", "medium", "100.00", setup.extra.Zoe],
      ["gamma", "qualified", "low", "20.50", ws.admin.userId],
      ["delta", "new", "high", null, ws.agent.userId],
      ["beta", "contacted", "medium", "20.50", null],
      ["omega", "qualified", "high", "9999.99", setup.extra.bea],
    ];
    for (const [title, status, priority, estimatedValue, ownerId] of leads) {
      const body = { title, priority, ownerId, ...(estimatedValue ? { estimatedValue, currency: "EUR" } : {}) };
      const lead = await post(ws.admin.client, "/api/v1/leads", body);
      const steps = status === "new" ? [] : status === "contacted" ? ["contacted"] : ["contacted", "qualified"];
      for (const [version, step] of steps.entries()) {
        const moved = await ws.admin.client.patch(
          `/api/v1/leads/${lead.id}`,
          { status: step },
          { "if-match": `"${version + 1}"` },
        );
        expect(moved.statusCode, moved.body).toBe(200);
      }
    }
  });

  it("sorts by title", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/leads", "title", field("title"));
  });

  it("sorts by status in the order leads move through (new, contacted, qualified, …)", async () => {
    const order = ["new", "contacted", "qualified", "converted", "lost"];
    await expectSortsBothWays(ws.viewer.client, "/api/v1/leads", "status", rankIn(order, "status"));
  });

  it("sorts by priority, low to high", async () => {
    await expectSortsBothWays(
      ws.viewer.client,
      "/api/v1/leads",
      "priority",
      rankIn(["low", "medium", "high"], "priority"),
    );
  });

  it("sorts by estimated value as a number, leads without one last", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/leads", "estimatedValue", amount("estimatedValue"));
  });

  it("sorts by owner and by score", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/leads", "ownerId", rankIn(owners, "ownerId"));
    await expectSortsBothWays(ws.viewer.client, "/api/v1/leads", "score", field("score"));
  });
});

describe("sorting deals", () => {
  let ws: TestWorkspace;
  let owners: string[];
  let stageOrder: string[];

  beforeAll(async () => {
    const setup = await workspaceWithMembers("Sorting deals");
    ws = setup.ws;
    owners = setup.order;
    const sales = await defaultPipelineOf(ws.admin);
    // Proposal moved first: stage order is the pipeline's positions, not the stages' ids.
    const proposal = stageNamed(sales, "Proposal");
    const reordered = [proposal, ...sales.stages.filter((stage) => stage.id !== proposal.id)];
    const patched = await ws.admin.client.patch(`/api/v1/pipelines/${sales.id}`, {
      stages: reordered.map((stage) => ({ id: stage.id })),
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const other = await post(ws.admin.client, "/api/v1/pipelines", {
      name: "Admissions",
      stages: [{ name: "Applied" }, { name: "Enrolled", isWon: true }],
    });
    const otherStages = (other.stages as Pipeline["stages"]).map((stage) => stage.id);
    stageOrder = [...(patched.json() as Pipeline).stages.map((stage) => stage.id), ...otherStages];

    const stage = (name: string) => stageNamed(sales, name).id;
    const deals: [string, string, string | null, string, string | null][] = [
      ["Ada", "100.00", null, stage("Lead"), ws.admin.userId],
      ["Bob", "100.00", "2026-03-01", stage("Proposal"), null],
      ["Cy", "2500.00", "2026-03-01", stage("Lead"), setup.extra.Zoe],
      ["Ada", "0.50", null, stage("Qualified"), ws.agent.userId],
      ["Dee", "100.00", "2025-12-31", stage("Proposal"), ws.admin.userId],
      ["Eve", "75.00", "2026-03-01", stage("Negotiation"), null],
      ["Fay", "75.00", null, stage("Lead"), setup.extra.bea],
    ];
    for (const [name, value, expectedCloseDate, stageId, ownerId] of deals) {
      await post(ws.admin.client, "/api/v1/deals", { name, value, expectedCloseDate, stageId, ownerId });
    }
    await post(ws.admin.client, "/api/v1/deals", {
      name: "Gil",
      value: "10.00",
      pipelineId: other.id,
      stageId: otherStages[1],
    });
    await post(ws.admin.client, "/api/v1/deals", { name: "Hal", value: "10.00", pipelineId: other.id });
  });

  it("sorts by value as a number (sort=-value: largest first)", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/deals", "value", amount("value"));
  });

  it("sorts by expected close, deals without a date last (first descending)", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/deals", "expectedCloseDate", field("expectedCloseDate"));
  });

  it("sorts by name", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/deals", "name", field("name"));
  });

  it("sorts by stage in pipeline order: the default pipeline's positions, then other pipelines", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/deals", "stageId", rankIn(stageOrder, "stageId"));
  });

  it("sorts by owner", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/deals", "ownerId", rankIn(owners, "ownerId"));
  });

  it("sorts by stage, then by value descending; and by expected close descending, then name", async () => {
    const all = (await ws.viewer.client.get("/api/v1/deals?limit=200")).json().data as Row[];
    const byStage = await pageThrough(ws.viewer.client, "/api/v1/deals", "stageId,-value");
    expect(byStage.map((row) => row.id)).toEqual(
      expectedOrder(all, [{ value: rankIn(stageOrder, "stageId") }, { value: amount("value"), isDescending: true }]),
    );
    const byClose = await pageThrough(ws.viewer.client, "/api/v1/deals", "-expectedCloseDate,name");
    expect(byClose.map((row) => row.id)).toEqual(
      expectedOrder(all, [{ value: field("expectedCloseDate"), isDescending: true }, { value: field("name") }]),
    );
  });

  it("keeps filters while sorting by groups", async () => {
    const seen = await pageThrough(ws.viewer.client, "/api/v1/deals", "stageId", 1, "&filter[value][gte]=100");
    expect(seen.map((row) => row.name)).toEqual(["Bob", "Dee", "Ada", "Cy"]);
  });

  it("answers 400 to a grouped sort after another key, and to a cursor of another sort", async () => {
    const late = await ws.viewer.client.get("/api/v1/deals?sort=value,stageId");
    expect(late.statusCode).toBe(400);
    expect(late.json().errors).toEqual([{ path: "sort", message: '"stageId" sorts only as the first field' }]);
    const page = (await ws.viewer.client.get("/api/v1/deals?sort=stageId&limit=1")).json();
    const mixed = await ws.viewer.client.get(`/api/v1/deals?sort=ownerId&cursor=${page.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
  });
});

describe("sorting tasks", () => {
  let ws: TestWorkspace;
  let owners: string[];
  const day = 86_400_000;
  const at = (days: number) => new Date(Date.UTC(2030, 0, 1) + days * day).toISOString();

  beforeAll(async () => {
    const setup = await workspaceWithMembers("Sorting tasks");
    ws = setup.ws;
    owners = setup.order;
    const tasks: [string, string | null, string, string, string | null][] = [
      ["file", at(3), "open", "high", ws.agent.userId],
      ["call", null, "open", "low", null],
      ["mail", at(1), "completed", "medium", ws.admin.userId],
      ["plan", at(1), "in_progress", "high", setup.extra.Zoe],
      ["call", at(1), "open", "medium", ws.agent.userId],
      ["book", null, "completed", "low", null],
      ["sign", at(5), "open", "low", setup.extra.bea],
      ["ship", null, "in_progress", "medium", ws.admin.userId],
      ["file", at(3), "completed", "high", null],
    ];
    for (const [title, dueAt, status, priority, assigneeId] of tasks) {
      await post(ws.admin.client, "/api/v1/tasks", { title, dueAt, status, priority, assigneeId });
    }
  });

  it("sorts by due date, tasks without one last (first descending)", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/tasks", "dueAt", field("dueAt"));
  });

  it("sorts by title, status (workflow order), priority and assignee", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/tasks", "title", field("title"));
    const statuses = ["open", "in_progress", "completed"];
    await expectSortsBothWays(ws.viewer.client, "/api/v1/tasks", "status", rankIn(statuses, "status"));
    await expectSortsBothWays(
      ws.viewer.client,
      "/api/v1/tasks",
      "priority",
      rankIn(["low", "medium", "high"], "priority"),
    );
    await expectSortsBothWays(ws.viewer.client, "/api/v1/tasks", "assigneeId", rankIn(owners, "assigneeId"));
  });

  it("sorts by completion time", async () => {
    await expectSortsBothWays(ws.viewer.client, "/api/v1/tasks", "completedAt", field("completedAt"));
  });
});
