import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../../shared/schemas/dashboard.ts";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { newId } from "../../lib/ids.ts";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { contacts } from "../contacts/index.ts";

/**
 * The dashboard's figures against a known data set: a fresh workspace filled through the API
 * (only contacts' creation times are moved into the past, which no endpoint can do), and another
 * workspace whose records must never count.
 */

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;

const hour = 3_600_000;
const day = 24 * hour;
/** Midnight UTC of the day the suite runs. */
const today = new Date(new Date().setUTCHours(0, 0, 0, 0));
const at = (days: number, hours = 0) => new Date(today.getTime() + days * day + hours * hour);
/** The day buckets the time series are asked for: the 4 days before today, and today. */
const window = `from=${at(-4).toISOString()}&to=${at(1).toISOString()}&bucket=day`;

const ids = {
  contacts: [] as string[],
  deletedContact: "",
  tasks: {} as Record<string, string>,
  renamedContact: "",
  admissions: "",
};

async function post(member: Member, path: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const response = await member.client.post(`/api/v1/${path}`, body);
  if (response.statusCode !== 201) throw new Error(`POST ${path}: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function backdate(contactId: string, createdAt: Date): Promise<void> {
  const { db } = await testDatabase();
  await db.update(contacts).set({ createdAt }).where(eq(contacts.id, contactId));
}

const stagesOf = async (member: Member): Promise<Record<string, string>> => {
  const [sales] = (await member.client.get("/api/v1/pipelines?filter[isDefault]=true")).json().data as Pipeline[];
  return Object.fromEntries((sales?.stages ?? []).map((stage) => [stage.name, stage.id]));
};

/** Records of another workspace, all of which would change the figures if they counted. */
async function fillOther(): Promise<void> {
  const admin = other.admin;
  const contact = await post(admin, "contacts", { firstName: "Other", email: `${newId()}@example.com` });
  await post(admin, "contacts", { firstName: "Other 2" });
  await post(admin, "companies", { name: "Other Co" });
  await post(admin, "leads", { title: "Other lead" });
  await post(admin, "deals", { name: "Other deal", value: "777.00" });
  await post(admin, "activities", {
    type: "call",
    subject: "x",
    occurredAt: at(-3, 9).toISOString(),
    contactId: contact.id,
  });
  await post(admin, "tasks", { title: "Other overdue", dueAt: at(-1).toISOString(), assigneeId: admin.userId });
}

async function fillWorkspace(): Promise<void> {
  const { admin } = ws;
  // Contacts: one before the window, two on day -3, one on day -1, one today; one deleted.
  const contactIds: string[] = [];
  for (const [i, createdAt] of [at(-10, 12), at(-3, 10), at(-3, 12), at(-1, 9), null].entries()) {
    const contact = await post(admin, "contacts", { firstName: "Ada", lastName: `Lovelace ${i}` });
    if (createdAt) await backdate(contact.id, createdAt);
    contactIds.push(contact.id);
  }
  ids.contacts = contactIds;
  ids.deletedContact = (await post(admin, "contacts", { firstName: "Gone" })).id;
  await admin.client.delete(`/api/v1/contacts/${ids.deletedContact}`);

  await post(admin, "companies", { name: "Acme" });
  await post(admin, "companies", { name: "Globex" });
  const gone = await post(admin, "companies", { name: "Initech" });
  await admin.client.delete(`/api/v1/companies/${gone.id}`);

  for (const status of ["new", "new", "contacted", "qualified"]) await post(admin, "leads", { title: "L", status });
  await post(admin, "leads", { title: "L", status: "lost", lostReason: "Budget" });
  const goneLead = await post(admin, "leads", { title: "L" });
  await admin.client.delete(`/api/v1/leads/${goneLead.id}`);

  const stage = await stagesOf(admin);
  await post(admin, "deals", { name: "D1", value: "1000.00", stageId: stage.Lead });
  await post(admin, "deals", { name: "D2", value: "200.50", stageId: stage.Proposal });
  await post(admin, "deals", {
    name: "D3",
    value: "300.00",
    currency: "EUR",
    stageId: stage.Proposal,
    probability: 33,
  });
  await post(admin, "deals", { name: "D4", value: "10.01", stageId: stage.Negotiation });
  await post(admin, "deals", { name: "D5", value: "500.00", stageId: stage["Closed won"] });
  const goneDeal = await post(admin, "deals", { name: "D6", value: "999.00", stageId: stage.Lead });
  await admin.client.delete(`/api/v1/deals/${goneDeal.id}`);
  // A second pipeline, with an open deal at 20 %.
  ids.admissions = (
    await post(admin, "pipelines", {
      name: "Admissions",
      stages: [
        { name: "Applied", probability: 20 },
        { name: "Enrolled", isWon: true },
      ],
    })
  ).id;
  await post(admin, "deals", { name: "Applicant", value: "50.00", pipelineId: ids.admissions });

  const contactId = contactIds[4];
  const activity = (type: string, occurredAt: Date) =>
    post(ws.agent, "activities", { type, subject: type, occurredAt: occurredAt.toISOString(), contactId });
  await activity("call", at(-3, 10));
  await activity("call", at(-3, 11));
  await activity("note", at(-2, 8));
  await activity("email", at(-1, 15));
  await activity("meeting", at(-10));
  const goneActivity = await activity("call", at(-1, 1));
  await admin.client.delete(`/api/v1/activities/${goneActivity.id}`);

  const now = Date.now();
  const task = async (name: string, body: Record<string, unknown>) => {
    ids.tasks[name] = (await post(admin, "tasks", { title: name, ...body })).id;
  };
  await task("overdue, agent", { dueAt: new Date(now - hour).toISOString(), assigneeId: ws.agent.userId });
  await task("overdue, manager", { dueAt: at(-2, 12).toISOString(), assigneeId: ws.manager.userId });
  await task("due soon, agent", { dueAt: new Date(now + 5 * 60_000).toISOString(), assigneeId: ws.agent.userId });
  await task("later, agent", { dueAt: new Date(now + 3 * day).toISOString(), assigneeId: ws.agent.userId });
  await task("completed", { dueAt: at(-1).toISOString(), assigneeId: ws.agent.userId, status: "completed" });
  await task("undated, manager", { assigneeId: ws.manager.userId });
  await task("deleted", { dueAt: at(-1).toISOString(), assigneeId: ws.agent.userId });
  await admin.client.delete(`/api/v1/tasks/${ids.tasks.deleted}`);

  // The last change of all: it leads the recent items.
  ids.renamedContact = contactIds[1]!;
  await admin.client.patch(`/api/v1/contacts/${ids.renamedContact}`, { firstName: "Grace", lastName: "Hopper" });
}

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Dashboard");
  other = await createTestWorkspace(app, "Other");
  await fillOther();
  await fillWorkspace();
});
afterAll(() => app.close());

async function dashboardOf(member: Member, query = window): Promise<Dashboard & Record<string, never>> {
  const response = await member.client.get(`/api/v1/dashboard?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** A time zone where it is not yet 23:00, so a task due in 5 minutes is still due today there. */
function zoneBeforeLateEvening(): string {
  const hourIn = (timeZone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", hourCycle: "h23" }).format(new Date()));
  return ["UTC", "Asia/Tokyo", "America/New_York"].find((zone) => hourIn(zone) < 23) ?? "UTC";
}

describe("GET /api/v1/dashboard", () => {
  it("counts live records only, and open deals with their amounts per currency", async () => {
    const dashboard = await dashboardOf(ws.admin);
    expect(dashboard.baseCurrency).toBe("USD");
    expect(dashboard.totals).toEqual({
      contacts: 5,
      companies: 2,
      openLeads: 4,
      openTasks: 5,
      openDeals: {
        count: 5,
        amounts: [
          { currency: "USD", value: "1260.51", weightedValue: "217.76" },
          { currency: "EUR", value: "300.00", weightedValue: "99.00" },
        ],
      },
    });
  });

  it("lists every lead status in order, zeros included", async () => {
    expect((await dashboardOf(ws.viewer)).leadsByStatus).toEqual([
      { status: "new", count: 2 },
      { status: "contacted", count: 1 },
      { status: "qualified", count: 1 },
      { status: "converted", count: 0 },
      { status: "lost", count: 1 },
    ]);
  });

  it("buckets contact growth by day with a running total, empty days included", async () => {
    const dashboard = await dashboardOf(ws.admin);
    expect(dashboard.period).toEqual({
      from: at(-4).toISOString(),
      to: at(1).toISOString(),
      bucket: "day",
      timeZone: "UTC",
    });
    expect(dashboard.contactGrowth).toEqual([
      { start: at(-4).toISOString(), count: 0, cumulative: 1 },
      { start: at(-3).toISOString(), count: 2, cumulative: 3 },
      { start: at(-2).toISOString(), count: 0, cumulative: 3 },
      { start: at(-1).toISOString(), count: 1, cumulative: 4 },
      { start: at(0).toISOString(), count: 1, cumulative: 5 },
    ]);
  });

  it("breaks the default pipeline down by stage: count, value and weighted value per currency", async () => {
    const { pipeline } = await dashboardOf(ws.agent);
    expect(pipeline?.name).toBe("Sales");
    const usd = (value: string, weightedValue: string) => ({ currency: "USD", value, weightedValue });
    expect(
      pipeline?.stages.map(({ name, position, probability, count, amounts }) => ({
        name,
        position,
        probability,
        count,
        amounts,
      })),
    ).toEqual([
      { name: "Lead", position: 0, probability: 10, count: 1, amounts: [usd("1000.00", "100.00")] },
      { name: "Qualified", position: 1, probability: 25, count: 0, amounts: [] },
      {
        name: "Proposal",
        position: 2,
        probability: 50,
        count: 2,
        amounts: [usd("200.50", "100.25"), { currency: "EUR", value: "300.00", weightedValue: "99.00" }],
      },
      { name: "Negotiation", position: 3, probability: 75, count: 1, amounts: [usd("10.01", "7.51")] },
      { name: "Closed won", position: 4, probability: 100, count: 1, amounts: [usd("500.00", "500.00")] },
      { name: "Closed lost", position: 5, probability: 0, count: 0, amounts: [] },
    ]);
    expect(pipeline?.stages.find((s) => s.name === "Closed won")).toMatchObject({ isWon: true, isLost: false });
  });

  it("breaks down another pipeline with pipelineId, and answers 404 for an unknown one", async () => {
    const { pipeline } = await dashboardOf(ws.admin, `${window}&pipelineId=${ids.admissions}`);
    expect(pipeline).toMatchObject({ id: ids.admissions, name: "Admissions" });
    expect(pipeline?.stages.map((s) => [s.name, s.count, s.amounts])).toEqual([
      ["Applied", 1, [{ currency: "USD", value: "50.00", weightedValue: "10.00" }]],
      ["Enrolled", 0, []],
    ]);
    const unknown = await ws.admin.client.get(`/api/v1/dashboard?pipelineId=${newId()}`);
    expect(unknown.statusCode).toBe(404);
    const theirs = (await other.admin.client.get("/api/v1/pipelines")).json().data[0] as Pipeline;
    expect((await ws.admin.client.get(`/api/v1/dashboard?pipelineId=${theirs.id}`)).statusCode).toBe(404);
  });

  it("leaves out archived stages no deal is in any more, and keeps archived ones that still hold deals", async () => {
    const team = await createTestWorkspace(app, "Archived stages");
    const intake = await post(team.admin, "pipelines", {
      name: "Intake",
      stages: [{ name: "Applied" }, { name: "Waitlisted" }, { name: "Withdrawn", isLost: true }],
    });
    const stages = (await team.admin.client.get(`/api/v1/pipelines/${intake.id}`)).json().stages as Pipeline["stages"];
    await post(team.admin, "deals", { name: "Still waiting", pipelineId: intake.id, stageId: stages[1]?.id });
    const archived = await team.admin.client.patch(`/api/v1/pipelines/${intake.id}`, {
      stages: stages.map((stage, index) => ({ id: stage.id, isArchived: index > 0 })),
    });
    expect(archived.statusCode, archived.body).toBe(200);

    const { pipeline } = await dashboardOf(team.viewer, `${window}&pipelineId=${intake.id}`);
    expect(pipeline?.stages.map((stage) => [stage.name, stage.count])).toEqual([
      ["Applied", 0],
      ["Waitlisted", 1],
    ]);
  });

  it("counts activities per type and day of when they occurred", async () => {
    const dashboard = await dashboardOf(ws.admin);
    const zero = { call: 0, email: 0, meeting: 0, note: 0 };
    expect(dashboard.activitiesByType.types).toEqual([
      { key: "call", label: "Call" },
      { key: "email", label: "E-mail" },
      { key: "meeting", label: "Meeting" },
      { key: "note", label: "Note" },
    ]);
    expect(dashboard.activitiesByType.buckets).toEqual([
      { start: at(-4).toISOString(), counts: zero },
      { start: at(-3).toISOString(), counts: { ...zero, call: 2 } },
      { start: at(-2).toISOString(), counts: { ...zero, note: 1 } },
      { start: at(-1).toISOString(), counts: { ...zero, email: 1 } },
      { start: at(0).toISOString(), counts: zero },
    ]);
  });

  it("charts the workspace's own activity types, and a removed one while the period holds its activities", async () => {
    const team = await createTestWorkspace(app, "Own activity types");
    const contact = await post(team.admin, "contacts", { firstName: "Visitor" });
    const setTypes = async (activityTypes: { key: string; label: string }[]) => {
      const response = await team.admin.client.patch("/api/v1/workspace", { activityTypes });
      expect(response.statusCode, response.body).toBe(200);
    };
    await setTypes([
      { key: "note", label: "Note" },
      { key: "campus_visit", label: "Campus visit" },
      { key: "open_day", label: "Open day" },
    ]);
    await post(team.admin, "activities", { type: "campus_visit", subject: "Tour", contactId: contact.id });
    await post(team.admin, "activities", { type: "campus_visit", subject: "Second tour", contactId: contact.id });
    await post(team.admin, "activities", { type: "note", subject: "Liked it", contactId: contact.id });
    // Notes are no longer logged, but the two weeks' notes still count under their old name.
    await setTypes([
      { key: "open_day", label: "Open day" },
      { key: "campus_visit", label: "Campus tour" },
    ]);

    const { activitiesByType } = await dashboardOf(team.admin, "range=7d");
    expect(activitiesByType.types).toEqual([
      { key: "open_day", label: "Open day" },
      { key: "campus_visit", label: "Campus tour" },
      { key: "note", label: "Note" },
    ]);
    const total = (key: string) => activitiesByType.buckets.reduce((sum, bucket) => sum + (bucket.counts[key] ?? 0), 0);
    expect([total("open_day"), total("campus_visit"), total("note"), total("call")]).toEqual([0, 2, 1, 0]);
    for (const bucket of activitiesByType.buckets)
      expect(Object.keys(bucket.counts)).toEqual(["open_day", "campus_visit", "note"]);
  });

  it("counts a type whose key is also a property every object has (constructor) in every bucket", async () => {
    const team = await createTestWorkspace(app, "Constructor type");
    const contact = await post(team.admin, "contacts", { firstName: "Builder" });
    const types = [
      { key: "note", label: "Note" },
      { key: "constructor", label: "Site visit" },
    ];
    expect((await team.admin.client.patch("/api/v1/workspace", { activityTypes: types })).statusCode).toBe(200);
    await post(team.admin, "activities", { type: "constructor", subject: "On site", contactId: contact.id });
    const { activitiesByType } = await dashboardOf(team.admin, "range=7d");
    expect(activitiesByType.buckets.length).toBeGreaterThan(1);
    const countOf = (counts: Record<string, number>) => new Map(Object.entries(counts)).get("constructor");
    for (const bucket of activitiesByType.buckets) {
      expect(Object.keys(bucket.counts)).toEqual(["note", "constructor"]);
      expect(typeof countOf(bucket.counts)).toBe("number");
    }
    expect(activitiesByType.buckets.reduce((sum, bucket) => sum + (countOf(bucket.counts) ?? 0), 0)).toBe(1);
  });

  it("counts open tasks due today and overdue, workspace-wide and the caller's own", async () => {
    const query = `${window}&timeZone=${encodeURIComponent(zoneBeforeLateEvening())}`;
    const workspace = { open: 5, dueToday: 1, overdue: 2 };
    expect((await dashboardOf(ws.agent, query)).tasks).toEqual({
      ...workspace,
      mine: { open: 3, dueToday: 1, overdue: 1 },
    });
    expect((await dashboardOf(ws.manager, query)).tasks).toEqual({
      ...workspace,
      mine: { open: 2, dueToday: 0, overdue: 1 },
    });
    expect((await dashboardOf(ws.viewer, query)).tasks).toEqual({
      ...workspace,
      mine: { open: 0, dueToday: 0, overdue: 0 },
    });
  });

  it("lists the 10 most recently changed live records, newest first", async () => {
    const { recent } = await dashboardOf(ws.admin);
    expect(recent).toHaveLength(10);
    expect(recent[0]).toMatchObject({ type: "contact", id: ids.renamedContact, title: "Grace Hopper" });
    const times = recent.map((item) => item.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(recent.map((item) => item.id)).not.toContain(ids.tasks.deleted);
    expect(recent.filter((item) => item.type === "task").map((item) => item.title)).toEqual(
      expect.arrayContaining(["undated, manager", "completed"]),
    );
  });

  it("gives every role the same workspace figures", async () => {
    const figures = ({ totals, leadsByStatus, contactGrowth, activitiesByType, recent }: Dashboard) => ({
      totals,
      leadsByStatus,
      contactGrowth,
      activitiesByType,
      recent,
    });
    const admins = figures(await dashboardOf(ws.admin));
    for (const member of [ws.manager, ws.agent, ws.viewer]) expect(figures(await dashboardOf(member))).toEqual(admins);
  });

  it("never counts another workspace's records, nor shows them", async () => {
    const theirs = await dashboardOf(other.admin);
    expect(theirs.totals).toMatchObject({ contacts: 2, companies: 1, openLeads: 1, openTasks: 1 });
    expect(theirs.totals.openDeals).toEqual({
      count: 1,
      amounts: [{ currency: "USD", value: "777.00", weightedValue: "77.70" }],
    });
    expect(theirs.activitiesByType.buckets.reduce((sum, b) => sum + (b.counts.call ?? 0), 0)).toBe(1);
    const body = JSON.stringify(theirs);
    for (const id of [...ids.contacts, ...Object.values(ids.tasks)]) expect(body).not.toContain(id);
  });

  it("covers the last 90 days in weeks by default, and shorter ranges in days", async () => {
    const before = Date.now();
    const dashboard = await dashboardOf(ws.admin, "");
    const to = new Date(dashboard.period.to).getTime();
    expect(to).toBeGreaterThanOrEqual(before - 1000);
    expect(to - new Date(dashboard.period.from).getTime()).toBe(90 * day);
    expect(dashboard.period.bucket).toBe("week");
    expect(dashboard.contactGrowth.length).toBeGreaterThanOrEqual(13);
    expect(dashboard.contactGrowth.at(-1)?.cumulative).toBe(5);
    const monday = new Date(dashboard.contactGrowth[1]!.start);
    expect(monday.getUTCDay()).toBe(1);
    const month = await dashboardOf(ws.admin, "range=30d");
    expect(month.period.bucket).toBe("day");
    expect(month.contactGrowth.length).toBe(31);
    const year = await dashboardOf(ws.admin, "range=365d");
    expect(year.period.bucket).toBe("month");
    expect(new Date(year.contactGrowth[1]!.start).getUTCDate()).toBe(1);
  });

  it("starts days in the time zone asked for", async () => {
    const dashboard = await dashboardOf(ws.admin, `${window}&timeZone=Asia/Tokyo`);
    // Tokyo is 9 hours ahead of UTC: its days start at 15:00 UTC the day before.
    expect(dashboard.contactGrowth[0]?.start).toBe(at(-5, 15).toISOString());
    expect(dashboard.contactGrowth.reduce((sum, b) => sum + b.count, 0)).toBe(4);
  });

  it("answers 400 naming each bad parameter", async () => {
    const cases: [string, string[]][] = [
      ["range=90d&from=2026-01-01T00:00:00Z", ["range"]],
      ["range=2w", ["range"]],
      ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", ["from"]],
      ["from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", ["from"]],
      ["from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z&bucket=day", ["bucket"]],
      ["timeZone=Mars/Olympus", ["timeZone"]],
      ["pipelineId=nope&colour=red", ["colour", "pipelineId"]],
    ];
    for (const [query, paths] of cases) {
      const response = await ws.admin.client.get(`/api/v1/dashboard?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(
        response
          .json()
          .errors.map((e: { path: string }) => e.path)
          .sort(),
        query,
      ).toEqual(paths);
    }
  });

  it("answers 401 without a session", async () => {
    const response = await anonymous(app).get("/api/v1/dashboard");
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe("/problems/unauthenticated");
  });
});
