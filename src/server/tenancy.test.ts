import { and, eq, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "./lib/ids.ts";
import { activities } from "./modules/activities/activities.table.ts";
import { companies } from "./modules/companies/companies.table.ts";
import { contacts } from "./modules/contacts/contacts.table.ts";
import { deals } from "./modules/deals/deals.table.ts";
import { leadContacts, leads } from "./modules/leads/leads.table.ts";
import { pipelineStages, pipelines } from "./modules/pipelines/pipelines.table.ts";
import { taskDependencies, tasks } from "./modules/tasks/tasks.table.ts";
import { createSession } from "./modules/auth/sessions.ts";
import { addMember } from "./modules/workspaces/index.ts";
import {
  Client,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type TestWorkspace,
} from "./test/create-test-app.ts";

/**
 * Tenant isolation through the API, for every resource: workspace A's admin must not be able to
 * see, change, count, search, embed or reference anything of workspace B. B's records are
 * written straight into the database, so each resource's checks depend only on its own module.
 */

let app: FastifyInstance;
let a: TestWorkspace;
let b: TestWorkspace;

/** One word, so full-text search finds it; both workspaces use it in their records' names. */
const marker = `zq${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.replace(/[^a-z0-9]/g, "");

type BRecords = {
  company: string;
  deletedCompany: string;
  contact: string;
  deletedContact: string;
  lead: string;
  deletedLead: string;
  pipeline: string;
  stage: string;
  deletedPipeline: string;
  deal: string;
  deletedDeal: string;
  activity: string;
  deletedActivity: string;
  task: string;
  completedTask: string;
  deletedTask: string;
};
let bx: BRecords;
let aPipeline: { id: string; stageId: string };

/** Every id of workspace B: none may ever appear in an answer to A. */
const bIds = () => [...Object.values(bx), b.admin.userId, b.manager.userId, b.agent.userId, b.viewer.userId];

async function insertWorkspaceB(): Promise<BRecords> {
  const { db } = await testDatabase();
  const workspaceId = b.id;
  const ownerId = b.admin.userId;
  const base = { workspaceId, createdBy: ownerId };
  const gone = { deletedAt: new Date() };
  const ids = {
    company: newId(),
    deletedCompany: newId(),
    contact: newId(),
    deletedContact: newId(),
    lead: newId(),
    deletedLead: newId(),
    deletedPipeline: newId(),
    deal: newId(),
    deletedDeal: newId(),
    activity: newId(),
    deletedActivity: newId(),
    task: newId(),
    completedTask: newId(),
    deletedTask: newId(),
  };
  const [stage] = await db
    .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .innerJoin(
      pipelines,
      and(eq(pipelines.workspaceId, pipelineStages.workspaceId), eq(pipelines.id, pipelineStages.pipelineId)),
    )
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelines.isDefault, true)))
    .orderBy(pipelineStages.position)
    .limit(1);
  if (!stage) throw new Error("workspace B has no default pipeline");

  await db.insert(companies).values([
    { ...base, id: ids.company, name: `${marker} B company`, ownerId },
    { ...base, ...gone, id: ids.deletedCompany, name: `${marker} B old company`, ownerId },
  ]);
  await db.insert(contacts).values([
    {
      ...base,
      id: ids.contact,
      firstName: marker,
      lastName: "Bee",
      email: `${marker}.b@example.com`,
      companyId: ids.company,
      ownerId,
    },
    { ...base, ...gone, id: ids.deletedContact, firstName: marker, lastName: "Gone", ownerId },
  ]);
  await db.insert(leads).values([
    { ...base, id: ids.lead, title: `${marker} B lead`, status: "qualified", ownerId, companyId: ids.company },
    { ...base, ...gone, id: ids.deletedLead, title: `${marker} B old lead`, ownerId },
  ]);
  await db.insert(leadContacts).values({ workspaceId, leadId: ids.lead, contactId: ids.contact, isPrimary: true });
  await db.insert(pipelines).values({ ...base, ...gone, id: ids.deletedPipeline, name: `${marker} B old pipeline` });
  await db
    .insert(pipelineStages)
    .values({ workspaceId, id: newId(), pipelineId: ids.deletedPipeline, name: "Only", position: 0 });
  const dealBase = {
    ...base,
    currency: "USD",
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    ownerId,
    value: "1000.00",
  };
  await db.insert(deals).values([
    {
      ...dealBase,
      id: ids.deal,
      name: `${marker} B deal`,
      contactId: ids.contact,
      companyId: ids.company,
      leadId: ids.lead,
    },
    { ...dealBase, ...gone, id: ids.deletedDeal, name: `${marker} B old deal` },
  ]);
  await db.insert(activities).values([
    {
      ...base,
      id: ids.activity,
      type: "note",
      subject: `${marker} B note`,
      occurredAt: new Date(),
      contactId: ids.contact,
      dealId: ids.deal,
    },
    {
      ...base,
      ...gone,
      id: ids.deletedActivity,
      type: "note",
      subject: `${marker} B old note`,
      occurredAt: new Date(),
      contactId: ids.contact,
    },
  ]);
  await db.insert(tasks).values([
    { ...base, id: ids.task, title: `${marker} B task`, assigneeId: ownerId, contactId: ids.contact },
    {
      ...base,
      id: ids.completedTask,
      title: `${marker} B done task`,
      assigneeId: ownerId,
      status: "completed",
      completedAt: new Date(),
    },
    { ...base, ...gone, id: ids.deletedTask, title: `${marker} B old task`, assigneeId: ownerId },
  ]);
  await db.insert(taskDependencies).values({ workspaceId, taskId: ids.task, dependsOnId: ids.completedTask });
  return { ...ids, pipeline: stage.pipelineId, stage: stage.id };
}

async function defaultPipelineOf(workspaceId: string): Promise<{ id: string; stageId: string }> {
  const { db } = await testDatabase();
  const [stage] = await db
    .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .innerJoin(
      pipelines,
      and(eq(pipelines.workspaceId, pipelineStages.workspaceId), eq(pipelines.id, pipelineStages.pipelineId)),
    )
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelines.isDefault, true)))
    .orderBy(pipelineStages.position)
    .limit(1);
  if (!stage) throw new Error("no default pipeline");
  return { id: stage.pipelineId, stageId: stage.id };
}

beforeAll(async () => {
  app = await createTestApp();
  a = await createTestWorkspace(app, "Tenant A");
  b = await createTestWorkspace(app, "Tenant B");
  bx = await insertWorkspaceB();
  aPipeline = await defaultPipelineOf(a.id);
});
afterAll(() => app.close());

// ---------------------------------------------------------------------------------------------
// Helpers

/** 404 from the module itself: a missing route would also answer 404, which proves nothing. */
function expectHidden(response: LightMyRequestResponse, label: string): void {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(404);
  const problem = response.json();
  expect(problem.type, label).toBe("/problems/not-found");
  expect(problem.detail, `${label} was answered by the router: the route does not exist`).not.toMatch(/^No route/);
}

/** A refusal of the caller's input (never a 5xx, never a success). */
function expectRefused(response: LightMyRequestResponse, label: string): void {
  expect([400, 404, 409, 422], `${label}: ${response.statusCode} ${response.body}`).toContain(response.statusCode);
  expect(response.headers["content-type"], label).toContain("application/problem+json");
}

/** The answer must not mention any of B's ids. */
function expectNoTraceOfB(response: LightMyRequestResponse, label: string): void {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(200);
  const leaked = bIds().filter((id) => response.body.includes(id));
  expect(leaked, label).toEqual([]);
}

const withoutRequestId = (problem: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(problem).filter(([key]) => key !== "requestId"));

const memo = <T>(make: () => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
};

/** Creates a record in A through the API and returns its id. */
async function createInA(path: string, body: Record<string, unknown>): Promise<string> {
  const response = await a.admin.client.post(path, body);
  if (response.statusCode !== 201) throw new Error(`POST ${path} answered ${response.statusCode}: ${response.body}`);
  return response.json().id as string;
}

async function countInA(path: string): Promise<number> {
  const response = await a.admin.client.get(`${path}/count`);
  expect(response.statusCode, `${path}/count: ${response.body}`).toBe(200);
  return response.json().count as number;
}

async function versionInA(path: string, id: string): Promise<number> {
  const response = await a.admin.client.get(`${path}/${id}`);
  expect(response.statusCode, `${path}/${id}: ${response.body}`).toBe(200);
  return response.json().version as number;
}

/** A's own records, created on first use (so one unfinished module fails only its own tests). */
const own: Record<"company" | "contact" | "lead" | "pipeline" | "deal" | "activity" | "task", () => Promise<string>> = {
  company: memo(() => createInA("/api/v1/companies", { name: `${marker} A company` })),
  contact: memo(async () =>
    createInA("/api/v1/contacts", { firstName: marker, lastName: "Ay", companyId: await own.company() }),
  ),
  lead: memo(async () =>
    createInA("/api/v1/leads", {
      title: `${marker} A lead`,
      status: "qualified",
      contacts: [{ contactId: await own.contact(), isPrimary: true }],
    }),
  ),
  pipeline: memo(() =>
    createInA("/api/v1/pipelines", {
      name: `${marker} A pipeline`,
      stages: [{ name: "Open" }, { name: "Won", isWon: true }],
    }),
  ),
  deal: memo(async () =>
    createInA("/api/v1/deals", {
      name: `${marker} A deal`,
      value: "250.00",
      currency: "USD",
      contactId: await own.contact(),
      companyId: await own.company(),
    }),
  ),
  activity: memo(async () =>
    createInA("/api/v1/activities", {
      type: "note",
      subject: `${marker} A note`,
      contactId: await own.contact(),
      dealId: await own.deal(),
    }),
  ),
  task: memo(async () => createInA("/api/v1/tasks", { title: `${marker} A task`, contactId: await own.contact() })),
};

/** Version and deletion of one of B's rows, read as the system role. */
async function stateOfB(
  table: PgTable & { id: PgColumn; workspaceId: PgColumn; version: PgColumn; deletedAt: PgColumn },
  id: string,
) {
  const { db } = await testDatabase();
  const [row] = await db
    .select({ version: table.version, deleted: sql<boolean>`${table.deletedAt} is not null` })
    .from(table as PgTable)
    .where(and(eq(table.workspaceId, b.id), eq(table.id, id)));
  return row;
}

// ---------------------------------------------------------------------------------------------
// The standard endpoints of every record type

type Reference = {
  label: string;
  create?: () => Promise<Record<string, unknown>>;
  patch?: () => Record<string, unknown>;
};

type ResourceCase = {
  path: string;
  table: Parameters<typeof stateOfB>[0];
  live: () => string;
  deleted: () => string;
  patch: Record<string, unknown>;
  includes: string[];
  searchable: boolean;
  own: () => Promise<string>;
  references: Reference[];
};

const linkTo = (field: "contactId" | "leadId" | "dealId" | "companyId", bId: () => string): Reference => ({
  label: `${field} of B`,
  create: async () => ({ [field]: bId() }),
  patch: () => ({ [field]: bId() }),
});

const resources: ResourceCase[] = [
  {
    path: "/api/v1/companies",
    table: companies,
    live: () => bx.company,
    deleted: () => bx.deletedCompany,
    patch: { name: "Hijacked" },
    includes: ["owner"],
    searchable: true,
    own: () => own.company(),
    references: [
      {
        label: "ownerId of B's admin",
        create: async () => ({ name: `${marker} ref ${newId()}`, ownerId: b.admin.userId }),
        patch: () => ({ ownerId: b.admin.userId }),
      },
    ],
  },
  {
    path: "/api/v1/contacts",
    table: contacts,
    live: () => bx.contact,
    deleted: () => bx.deletedContact,
    patch: { firstName: "Hijacked" },
    includes: ["company", "owner"],
    searchable: true,
    own: () => own.contact(),
    references: [
      {
        label: "companyId of B",
        create: async () => ({ firstName: "Ref", companyId: bx.company }),
        patch: () => ({ companyId: bx.company }),
      },
      {
        label: "ownerId of B's admin",
        create: async () => ({ firstName: "Ref", ownerId: b.admin.userId }),
        patch: () => ({ ownerId: b.admin.userId }),
      },
    ],
  },
  {
    path: "/api/v1/leads",
    table: leads,
    live: () => bx.lead,
    deleted: () => bx.deletedLead,
    patch: { title: "Hijacked" },
    includes: ["contacts", "owner", "company"],
    searchable: true,
    own: () => own.lead(),
    references: [
      {
        label: "a contact of B",
        create: async () => ({ title: "Ref", contacts: [{ contactId: bx.contact, isPrimary: true }] }),
        patch: () => ({ contacts: [{ contactId: bx.contact, isPrimary: true }] }),
      },
      {
        label: "A's and B's contacts together",
        create: async () => ({
          title: "Ref",
          contacts: [{ contactId: await own.contact(), isPrimary: true }, { contactId: bx.contact }],
        }),
      },
      {
        label: "ownerId of B's admin",
        create: async () => ({ title: "Ref", ownerId: b.admin.userId }),
        patch: () => ({ ownerId: b.admin.userId }),
      },
      {
        label: "companyId of B",
        create: async () => ({ title: "Ref", companyId: bx.company }),
        patch: () => ({ companyId: bx.company }),
      },
    ],
  },
  {
    path: "/api/v1/pipelines",
    table: pipelines,
    live: () => bx.pipeline,
    deleted: () => bx.deletedPipeline,
    patch: { name: "Hijacked" },
    includes: [],
    searchable: false,
    own: () => own.pipeline(),
    references: [
      { label: "a stage of B's pipeline, renamed", patch: () => ({ stages: [{ id: bx.stage, name: "Stolen" }] }) },
      { label: "a stage of B's pipeline, kept", patch: () => ({ stages: [{ name: "Open" }, { id: bx.stage }] }) },
    ],
  },
  {
    path: "/api/v1/deals",
    table: deals,
    live: () => bx.deal,
    deleted: () => bx.deletedDeal,
    patch: { name: "Hijacked" },
    includes: ["company", "contact", "owner", "stage"],
    searchable: true,
    own: () => own.deal(),
    references: [
      {
        label: "B's pipeline",
        create: async () => ({ name: "Ref", value: "1.00", currency: "USD", pipelineId: bx.pipeline }),
        patch: () => ({ pipelineId: bx.pipeline }),
      },
      {
        label: "B's pipeline and stage",
        create: async () => ({
          name: "Ref",
          value: "1.00",
          currency: "USD",
          pipelineId: bx.pipeline,
          stageId: bx.stage,
        }),
        patch: () => ({ pipelineId: bx.pipeline, stageId: bx.stage }),
      },
      {
        label: "B's stage alone",
        create: async () => ({ name: "Ref", value: "1.00", currency: "USD", stageId: bx.stage }),
        patch: () => ({ stageId: bx.stage }),
      },
      {
        label: "A's pipeline with B's stage",
        create: async () => ({
          name: "Ref",
          value: "1.00",
          currency: "USD",
          pipelineId: aPipeline.id,
          stageId: bx.stage,
        }),
        patch: () => ({ pipelineId: aPipeline.id, stageId: bx.stage }),
      },
      {
        label: "contactId of B",
        create: async () => ({ name: "Ref", value: "1.00", currency: "USD", contactId: bx.contact }),
        patch: () => ({ contactId: bx.contact }),
      },
      {
        label: "companyId of B",
        create: async () => ({ name: "Ref", value: "1.00", currency: "USD", companyId: bx.company }),
        patch: () => ({ companyId: bx.company }),
      },
      {
        label: "leadId of B",
        create: async () => ({ name: "Ref", value: "1.00", currency: "USD", leadId: bx.lead }),
        patch: () => ({ leadId: bx.lead }),
      },
      {
        label: "ownerId of B's admin",
        create: async () => ({ name: "Ref", value: "1.00", currency: "USD", ownerId: b.admin.userId }),
        patch: () => ({ ownerId: b.admin.userId }),
      },
    ],
  },
  {
    path: "/api/v1/activities",
    table: activities,
    live: () => bx.activity,
    deleted: () => bx.deletedActivity,
    patch: { subject: "Hijacked" },
    includes: ["contact", "lead", "deal", "company"],
    searchable: true,
    own: () => own.activity(),
    references: [
      ...(
        [
          ["contactId", () => bx.contact],
          ["leadId", () => bx.lead],
          ["dealId", () => bx.deal],
          ["companyId", () => bx.company],
        ] as const
      ).map(([field, id]) => {
        const link = linkTo(field, id);
        return { ...link, create: async () => ({ type: "note", subject: "Ref", ...(await link.create?.()) }) };
      }),
      {
        label: "A's contact with B's deal",
        create: async () => ({ type: "note", subject: "Ref", contactId: await own.contact(), dealId: bx.deal }),
      },
    ],
  },
  {
    path: "/api/v1/tasks",
    table: tasks,
    live: () => bx.task,
    deleted: () => bx.deletedTask,
    patch: { title: "Hijacked" },
    includes: ["assignee", "dependencies", "contact", "lead", "deal", "company"],
    searchable: true,
    own: () => own.task(),
    references: [
      {
        label: "assigneeId of B's admin",
        create: async () => ({ title: "Ref", assigneeId: b.admin.userId }),
        patch: () => ({ assigneeId: b.admin.userId }),
      },
      {
        label: "dependsOn a task of B",
        create: async () => ({ title: "Ref", dependsOn: [bx.task] }),
        patch: () => ({ dependsOn: [bx.task] }),
      },
      {
        label: "dependsOn a completed task of B",
        create: async () => ({ title: "Ref", dependsOn: [bx.completedTask] }),
        patch: () => ({ dependsOn: [bx.completedTask] }),
      },
      ...(
        [
          ["contactId", () => bx.contact],
          ["leadId", () => bx.lead],
          ["dealId", () => bx.deal],
          ["companyId", () => bx.company],
        ] as const
      ).map(([field, id]) => {
        const link = linkTo(field, id);
        return { ...link, create: async () => ({ title: "Ref", ...(await link.create?.()) }) };
      }),
    ],
  },
];

describe("workspace B's fixtures", () => {
  it.each(resources.map((r) => [r.path, r] as const))(
    "are visible to B's own admin through %s",
    async (path, resource) => {
      const response = await b.admin.client.get(`${path}/${resource.live()}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().id).toBe(resource.live());
    },
  );
});

for (const resource of resources) {
  describe(`${resource.path} across workspaces`, () => {
    it("answers 404 to A for B's records on GET, PATCH, DELETE and restore, and changes nothing", async () => {
      const { path } = resource;
      const live = resource.live();
      const deleted = resource.deleted();
      const before = { live: await stateOfB(resource.table, live), deleted: await stateOfB(resource.table, deleted) };
      expect(before.live?.deleted).toBe(false);
      expect(before.deleted?.deleted).toBe(true);

      const hidden = await a.admin.client.get(`${path}/${live}`);
      expectHidden(hidden, `GET ${path}/:id`);
      // Exactly what an id that exists nowhere gets: no oracle for the existence of B's records.
      const nowhere = await a.admin.client.get(`${path}/${newId()}`);
      expect(withoutRequestId(hidden.json())).toEqual({
        ...withoutRequestId(nowhere.json()),
        instance: `${path}/${live}`,
      });
      expectHidden(await a.admin.client.get(`${path}/${deleted}`), `GET ${path}/:id (deleted)`);
      if (resource.includes.length > 0) {
        expectHidden(
          await a.admin.client.get(`${path}/${live}?include=${resource.includes.join(",")}`),
          `GET ${path}/:id?include`,
        );
      }
      expectHidden(await a.admin.client.patch(`${path}/${live}`, resource.patch), `PATCH ${path}/:id`);
      // With the right version an If-Match must still not reveal the record (412 would).
      expectHidden(
        await a.admin.client.patch(`${path}/${live}`, resource.patch, { "if-match": '"1"' }),
        `PATCH ${path}/:id If-Match`,
      );
      expectHidden(
        await a.admin.client.patch(`${path}/${live}`, resource.patch, { "if-match": '"99"' }),
        `PATCH ${path}/:id stale If-Match`,
      );
      expectHidden(await a.admin.client.delete(`${path}/${live}`), `DELETE ${path}/:id`);
      expectHidden(
        await a.admin.client.delete(`${path}/${live}`, { "if-match": '"99"' }),
        `DELETE ${path}/:id stale If-Match`,
      );
      expectHidden(await a.admin.client.post(`${path}/${deleted}/restore`), `POST ${path}/:id/restore`);
      expectHidden(await a.admin.client.post(`${path}/${live}/restore`), `POST ${path}/:id/restore (live)`);

      expect(await stateOfB(resource.table, live)).toEqual(before.live);
      expect(await stateOfB(resource.table, deleted)).toEqual(before.deleted);
    });

    it("never shows B's records in A's list, trash, id filter or count", async () => {
      const { path } = resource;
      const mine = await resource.own();
      const list = await a.admin.client.get(`${path}?limit=200`);
      expectNoTraceOfB(list, `GET ${path}`);
      expect(list.json().data.map((r: { id: string }) => r.id)).toContain(mine);

      expectNoTraceOfB(
        await a.admin.client.get(`${path}?limit=200&filter[deleted]=true`),
        `GET ${path}?filter[deleted]=true`,
      );
      const byId = await a.admin.client.get(`${path}?filter[id]=${resource.live()},${resource.deleted()}`);
      expectNoTraceOfB(byId, `GET ${path}?filter[id]`);
      expect(byId.json().data).toEqual([]);

      const counted = await a.admin.client.get(`${path}/count?filter[id]=${resource.live()},${mine}`);
      expect(counted.statusCode, counted.body).toBe(200);
      expect(counted.json()).toEqual({ count: 1 });
      const all = await a.admin.client.get(`${path}/count`);
      expect(all.json().count).toBe(list.json().data.length);
    });

    if (resource.searchable) {
      it("never finds B's records with q, in the list or the count", async () => {
        const { path } = resource;
        const mine = await resource.own();
        const found = await a.admin.client.get(`${path}?limit=200&q=${marker}`);
        expectNoTraceOfB(found, `GET ${path}?q`);
        expect(found.json().data.map((r: { id: string }) => r.id)).toContain(mine);
        const counted = await a.admin.client.get(`${path}/count?q=${marker}`);
        expect(counted.statusCode, counted.body).toBe(200);
        expect(counted.json().count).toBe(found.json().data.length);
        // B's admin finds B's record with the same term: the search itself works.
        const theirs = await b.admin.client.get(`${path}?limit=200&q=${marker}`);
        expect(theirs.json().data.map((r: { id: string }) => r.id)).toContain(resource.live());
      });
    }

    if (resource.includes.length > 0) {
      it("never embeds B's records with include", async () => {
        const { path } = resource;
        const mine = await resource.own();
        const include = resource.includes.join(",");
        const list = await a.admin.client.get(`${path}?limit=200&include=${include}`);
        expectNoTraceOfB(list, `GET ${path}?include=${include}`);
        expectNoTraceOfB(
          await a.admin.client.get(`${path}/${mine}?include=${include}`),
          `GET ${path}/:id?include=${include}`,
        );
      });
    }

    if (resource.references.length > 0) {
      it("refuses B's ids as references from A and creates or changes nothing", async () => {
        const { path } = resource;
        const mine = await resource.own();
        const countBefore = await countInA(path);
        const versionBefore = await versionInA(path, mine);
        for (const reference of resource.references) {
          if (reference.create) {
            expectRefused(
              await a.admin.client.post(path, await reference.create()),
              `POST ${path} with ${reference.label}`,
            );
          }
          if (reference.patch) {
            expectRefused(
              await a.admin.client.patch(`${path}/${mine}`, reference.patch()),
              `PATCH ${path}/:id with ${reference.label}`,
            );
          }
        }
        expect(await countInA(path)).toBe(countBefore);
        expect(await versionInA(path, mine)).toBe(versionBefore);
        expectNoTraceOfB(await a.admin.client.get(`${path}/${mine}`), `GET ${path}/:id after refusals`);
      });
    }
  });
}

describe("B's pipeline stages", () => {
  it("keep their names whatever A sends", async () => {
    const { db } = await testDatabase();
    const [stage] = await db
      .select({ name: pipelineStages.name })
      .from(pipelineStages)
      .where(eq(pipelineStages.id, bx.stage));
    expect(stage?.name).toBe("Lead");
  });
});

// ---------------------------------------------------------------------------------------------
// Domain actions

describe("domain actions across workspaces", () => {
  it("answers 404 to A converting B's qualified lead, and converts nothing", async () => {
    const { db } = await testDatabase();
    const dealsBefore = await db.$count(deals, eq(deals.workspaceId, b.id));
    expectHidden(await a.admin.client.post(`/api/v1/leads/${bx.lead}/convert`, {}), "POST /leads/:id/convert");
    expectHidden(
      await a.admin.client.post(`/api/v1/leads/${bx.lead}/convert`, {
        deal: { name: "Stolen", pipelineId: aPipeline.id },
      }),
      "POST /leads/:id/convert into A's pipeline",
    );
    const [lead] = await db
      .select({ status: leads.status, dealId: leads.dealId })
      .from(leads)
      .where(eq(leads.id, bx.lead));
    expect(lead).toEqual({ status: "qualified", dealId: null });
    expect(await db.$count(deals, eq(deals.workspaceId, b.id))).toBe(dealsBefore);
    expect(await db.$count(deals, and(eq(deals.workspaceId, a.id), eq(deals.name, "Stolen")))).toBe(0);
  });

  it("answers 404 to A for B's lead status history", async () => {
    expectHidden(await a.admin.client.get(`/api/v1/leads/${bx.lead}/status-history`), "GET /leads/:id/status-history");
  });

  it("answers 404 to A completing or reopening B's tasks, and changes nothing", async () => {
    const { db } = await testDatabase();
    expectHidden(await a.admin.client.post(`/api/v1/tasks/${bx.task}/complete`), "POST /tasks/:id/complete");
    expectHidden(await a.admin.client.post(`/api/v1/tasks/${bx.completedTask}/reopen`), "POST /tasks/:id/reopen");
    expectHidden(
      await a.admin.client.post(`/api/v1/tasks/${bx.deletedTask}/complete`),
      "POST /tasks/:id/complete (deleted)",
    );
    const rows = await db
      .select({ id: tasks.id, status: tasks.status, version: tasks.version })
      .from(tasks)
      .where(and(eq(tasks.workspaceId, b.id), sql`${tasks.id} in (${bx.task}, ${bx.completedTask})`));
    expect(rows.find((t) => t.id === bx.task)).toMatchObject({ status: "open", version: 1 });
    expect(rows.find((t) => t.id === bx.completedTask)).toMatchObject({ status: "completed", version: 1 });
  });

  it("refuses B's company, contacts, pipeline and stage when A converts its own lead, then converts with its own", async () => {
    const lead = await createInA("/api/v1/leads", {
      title: `${marker} A convertible`,
      status: "qualified",
      contacts: [{ contactId: await own.contact(), isPrimary: true }],
    });
    const before = {
      deals: await countInA("/api/v1/deals"),
      companies: await countInA("/api/v1/companies"),
      contacts: await countInA("/api/v1/contacts"),
    };
    const attempts: [string, Record<string, unknown>][] = [
      ["companyId of B", { companyId: bx.company }],
      ["contactIds of B", { contactIds: [bx.contact] }],
      ["A's and B's contactIds", { contactIds: [await own.contact(), bx.contact] }],
      ["B's pipeline", { deal: { name: "Converted", pipelineId: bx.pipeline } }],
      ["B's pipeline and stage", { deal: { name: "Converted", pipelineId: bx.pipeline, stageId: bx.stage } }],
      ["A's pipeline with B's stage", { deal: { name: "Converted", pipelineId: aPipeline.id, stageId: bx.stage } }],
      ["B's stage alone", { deal: { name: "Converted", stageId: bx.stage } }],
    ];
    for (const [label, body] of attempts) {
      expectRefused(await a.admin.client.post(`/api/v1/leads/${lead}/convert`, body), `convert with ${label}`);
    }
    expect((await a.admin.client.get(`/api/v1/leads/${lead}`)).json().status).toBe("qualified");
    expect({
      deals: await countInA("/api/v1/deals"),
      companies: await countInA("/api/v1/companies"),
      contacts: await countInA("/api/v1/contacts"),
    }).toEqual(before);

    const converted = await a.admin.client.post(`/api/v1/leads/${lead}/convert`, {
      companyId: await own.company(),
      deal: { name: "Converted", pipelineId: aPipeline.id, stageId: aPipeline.stageId },
    });
    expect(converted.statusCode, converted.body).toBe(200);
    expect(converted.json().lead.status).toBe("converted");
    expectNoTraceOfB(converted, "convert with A's own records");
  });
});

// ---------------------------------------------------------------------------------------------
// Users

describe("Idempotency-Key across workspaces", () => {
  it("never replays an answer given in B to the same user and key in A", async () => {
    const { db } = await testDatabase();
    const user = await createUser("Member of both");
    await addMember(db, a.id, user.id, "manager");
    await addMember(db, b.id, user.id, "manager");
    const { token } = await createSession(db, {
      userId: user.id,
      ipAddress: "127.0.0.1",
      userAgent: "test",
      ttlHours: 1,
    });
    const client = new Client(app, token, null);
    const key = `both-${newId()}`;
    const body = { firstName: "Twice", email: `${key}@example.com` };
    const inB = await client.post("/api/v1/contacts", body, { "x-workspace-id": b.id, "idempotency-key": key });
    expect(inB.statusCode).toBe(201);
    const inA = await client.post("/api/v1/contacts", body, { "x-workspace-id": a.id, "idempotency-key": key });
    expect(inA.statusCode).toBe(201);
    expect(inA.headers["idempotent-replayed"]).toBeUndefined();
    expect(inA.json().id).not.toBe(inB.json().id);
    expect((await a.admin.client.get(`/api/v1/contacts/${inA.json().id}`)).statusCode).toBe(200);
    expectHidden(await a.admin.client.get(`/api/v1/contacts/${inB.json().id}`), "GET B's contact created with the key");
  });
});

describe("/api/v1/users across workspaces", () => {
  const bUsers = () => [b.admin.userId, b.manager.userId, b.agent.userId, b.viewer.userId];

  it("answers 404 to A for each of B's users", async () => {
    for (const id of bUsers()) expectHidden(await a.admin.client.get(`/api/v1/users/${id}`), `GET /users/${id}`);
  });

  it("never lists or counts B's users", async () => {
    const list = await a.admin.client.get("/api/v1/users?limit=200");
    expectNoTraceOfB(list, "GET /users");
    const listed = list.json().data.map((u: { id: string }) => u.id);
    expect(listed).toEqual(expect.arrayContaining([a.admin.userId, a.manager.userId, a.agent.userId, a.viewer.userId]));
    expect((await a.admin.client.get("/api/v1/users/count")).json()).toEqual({ count: listed.length });
    const byId = await a.admin.client.get(`/api/v1/users?filter[id]=${bUsers().join(",")}`);
    expect(byId.json().data).toEqual([]);
    expect((await a.admin.client.get(`/api/v1/users/count?filter[id]=${bUsers().join(",")}`)).json()).toEqual({
      count: 0,
    });
  });

  it("does not let B's users act in A, even naming A in X-Workspace-Id", async () => {
    const response = await b.admin.client.get("/api/v1/contacts", { "x-workspace-id": a.id });
    expect(response.statusCode).toBe(404);
    const write = await b.admin.client.post("/api/v1/contacts", { firstName: "Intruder" }, { "x-workspace-id": a.id });
    expect(write.statusCode).toBe(404);
    const { db } = await testDatabase();
    expect(await db.$count(contacts, and(eq(contacts.workspaceId, a.id), eq(contacts.firstName, "Intruder")))).toBe(0);
  });
});
