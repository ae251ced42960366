import { sql } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkspaceSettings } from "../../../shared/schemas/workspace-settings.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { newId } from "../../lib/ids.ts";
import {
  createTestApp,
  createTestWorkspace,
  testDatabase,
  type Member,
  type TestWorkspace,
} from "../../test/create-test-app.ts";

/** GET and PATCH /api/v1/workspace: everyone reads the settings, admins change them, audited, per workspace. */

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const read = (member: Member) => member.client.get("/api/v1/workspace");
const change = (member: Member, body: unknown, headers?: Record<string, string>) =>
  member.client.patch("/api/v1/workspace", body as never, headers);
const paths = (response: LightMyRequestResponse) =>
  (response.json<{ errors?: { path: string }[] }>().errors ?? []).map((e) => e.path).sort();

async function auditEntries(ws: TestWorkspace): Promise<{ action: string; changes: Record<string, unknown> }[]> {
  const response = await ws.admin.client.get(`/api/v1/audit-logs?resourceId=${ws.id}&action=workspace.updated`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data;
}

async function eventsOf(ws: TestWorkspace): Promise<{ type: string; payload: { changes: object } }[]> {
  const { db } = await testDatabase();
  const result = (await db.execute(
    sql`select type, payload from outbox_events where workspace_id = ${ws.id} and type = 'workspace.updated' order by seq`,
  )) as unknown as { rows: { type: string; payload: { changes: object } }[] };
  return result.rows;
}

describe("GET /api/v1/workspace", () => {
  it("answers the workspace with its default settings, to every role, with its version as ETag", async () => {
    const ws = await createTestWorkspace(app, "Defaults");
    for (const member of [ws.admin, ws.manager, ws.agent, ws.viewer]) {
      const response = await read(member);
      expect(response.statusCode, member.role).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.json()).toEqual({
        id: ws.id,
        name: "Defaults",
        baseCurrency: "USD",
        timeZone: "UTC",
        dateFormat: "auto",
        numberFormat: "auto",
        fiscalYearStartMonth: 1,
        leadLostReasons: [],
        dealLostReasons: [],
        requireDealLostReason: false,
        customerOnWonDeal: true,
        agentsSeeOwnRecordsOnly: false,
        activityTypes: [
          { key: "call", label: "Call" },
          { key: "email", label: "E-mail" },
          { key: "meeting", label: "Meeting" },
          { key: "note", label: "Note" },
        ],
        defaultPhoneCountry: null,
        version: 1,
        updatedAt: expect.any(String),
      });
    }
  });
});

describe("PATCH /api/v1/workspace", () => {
  it("changes what is sent, bumps the version, and the workspace's name and currency follow everywhere", async () => {
    const ws = await createTestWorkspace(app, "Before");
    const response = await change(
      ws.admin,
      {
        name: "  Admissions office ",
        baseCurrency: "EUR",
        timeZone: "europe/berlin",
        dateFormat: "DD.MM.YYYY",
        numberFormat: "1.234,56",
        fiscalYearStartMonth: 9,
        leadLostReasons: ["No budget", "Chose another school"],
        dealLostReasons: ["Price too high"],
        requireDealLostReason: true,
        activityTypes: [
          { key: "call", label: "Phone call" },
          { key: "campus_visit", label: "Campus visit" },
          { key: "note", label: "Note" },
        ],
        defaultPhoneCountry: "DE",
      },
      { "if-match": '"1"' },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    const settings = response.json<WorkspaceSettings>();
    expect(settings).toMatchObject({
      name: "Admissions office",
      baseCurrency: "EUR",
      timeZone: "Europe/Berlin",
      dateFormat: "DD.MM.YYYY",
      numberFormat: "1.234,56",
      fiscalYearStartMonth: 9,
      leadLostReasons: ["No budget", "Chose another school"],
      dealLostReasons: ["Price too high"],
      requireDealLostReason: true,
      activityTypes: [
        { key: "call", label: "Phone call" },
        { key: "campus_visit", label: "Campus visit" },
        { key: "note", label: "Note" },
      ],
      defaultPhoneCountry: "DE",
      version: 2,
    });
    expect((await read(ws.viewer)).json()).toEqual(settings);

    const me = (await ws.agent.client.get("/api/v1/me")).json<{ workspaces: { name: string }[] }>();
    expect(me.workspaces.map((w) => w.name)).toEqual(["Admissions office"]);
    const deal = await ws.manager.client.post("/api/v1/deals", { name: "In euros" });
    expect(deal.json()).toMatchObject({ currency: "EUR" });

    const again = await change(ws.admin, { fiscalYearStartMonth: 4 });
    expect(again.json()).toMatchObject({ fiscalYearStartMonth: 4, timeZone: "Europe/Berlin", version: 3 });
  });

  it.each(["manager", "agent", "viewer"] as const)("refuses a %s with 403 and changes nothing", async (role) => {
    const ws = await createTestWorkspace(app, "Guarded");
    const response = await change(ws[role], { name: "Taken over", activityTypes: [{ key: "x", label: "X" }] });
    expect(response.statusCode).toBe(403);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect((await read(ws.admin)).json()).toMatchObject({ name: "Guarded", version: 1 });
    expect(await auditEntries(ws)).toEqual([]);
  });

  it("answers 400 problem+json naming every failing field, and changes nothing", async () => {
    const ws = await createTestWorkspace(app);
    const response = await change(ws.admin, {
      name: " ",
      baseCurrency: "ZZZ",
      timeZone: "Mars/Olympus_Mons",
      dateFormat: "D/M/Y",
      numberFormat: "1_234.56",
      fiscalYearStartMonth: 13,
      leadLostReasons: ["No budget", "no budget "],
      dealLostReasons: ["x".repeat(101)],
      requireDealLostReason: "yes",
      activityTypes: [
        { key: "call", label: "Call" },
        { key: "call", label: "Phone" },
        { key: "Site visit", label: "call" },
      ],
      defaultPhoneCountry: "XX",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({ type: "/problems/validation", status: 400 });
    expect(paths(response)).toEqual([
      "activityTypes.1.key",
      "activityTypes.2.key",
      "activityTypes.2.label",
      "baseCurrency",
      "dateFormat",
      "dealLostReasons.0",
      "defaultPhoneCountry",
      "fiscalYearStartMonth",
      "leadLostReasons.1",
      "name",
      "numberFormat",
      "requireDealLostReason",
      "timeZone",
    ]);
    expect((await read(ws.admin)).json()).toMatchObject({ version: 1, baseCurrency: "USD" });
  });

  it("refuses an empty activity type list, an offset for a time zone, and unknown fields", async () => {
    const ws = await createTestWorkspace(app);
    expect(paths(await change(ws.admin, { activityTypes: [] }))).toEqual(["activityTypes"]);
    expect(paths(await change(ws.admin, { timeZone: "+01:00" }))).toEqual(["timeZone"]);
    const unknown = await change(ws.admin, { slug: "mine" });
    expect(unknown.statusCode).toBe(400);
  });

  it("answers 412 to a stale If-Match and keeps the other admin's change", async () => {
    const ws = await createTestWorkspace(app);
    expect((await change(ws.admin, { timeZone: "Asia/Tokyo" }, { "if-match": '"1"' })).statusCode).toBe(200);
    const stale = await change(ws.admin, { timeZone: "America/New_York" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ type: "/problems/stale-version" });
    expect((await read(ws.admin)).json()).toMatchObject({ timeZone: "Asia/Tokyo", version: 2 });
  });

  it("audits a change with its field changes and emits workspace.updated; a change to nothing writes nothing", async () => {
    const ws = await createTestWorkspace(app);
    await change(ws.admin, { timeZone: "Europe/Lisbon", leadLostReasons: ["Too far"] });
    const [entry, ...more] = await auditEntries(ws);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: "workspace.updated",
      resourceType: "workspace",
      resourceId: ws.id,
      actor: { type: "user", id: ws.admin.userId },
      changes: { timeZone: ["UTC", "Europe/Lisbon"], leadLostReasons: [[], ["Too far"]] },
    });
    const events = await eventsOf(ws);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      record: { id: ws.id, timeZone: "Europe/Lisbon", version: 2 },
      changes: { timeZone: ["UTC", "Europe/Lisbon"] },
    });

    const same = await change(ws.admin, { timeZone: "Europe/Lisbon" });
    expect(same.json()).toMatchObject({ version: 2 });
    expect(await auditEntries(ws)).toHaveLength(1);
    expect(await eventsOf(ws)).toHaveLength(1);
  });
});

describe("workspace settings and tenancy", () => {
  it("keeps each workspace's settings its own: another workspace answers 404, its settings untouched", async () => {
    const mine = await createTestWorkspace(app, "Mine");
    const theirs = await createTestWorkspace(app, "Theirs");
    await change(theirs.admin, { timeZone: "Pacific/Auckland" });

    const intrusion = await mine.admin.client.patch(
      "/api/v1/workspace",
      { name: "Hijacked" },
      { "x-workspace-id": theirs.id },
    );
    expect(intrusion.statusCode).toBe(404);
    expect((await mine.admin.client.get("/api/v1/workspace", { "x-workspace-id": theirs.id })).statusCode).toBe(404);

    await change(mine.admin, { timeZone: "Europe/Oslo" });
    expect((await read(theirs.viewer)).json()).toMatchObject({ name: "Theirs", timeZone: "Pacific/Auckland" });
    expect((await read(mine.viewer)).json()).toMatchObject({ name: "Mine", timeZone: "Europe/Oslo" });
  });

  it("lets row-level security show a workspace's transaction its own settings row only", async () => {
    const mine = await createTestWorkspace(app);
    const theirs = await createTestWorkspace(app);
    await change(mine.admin, { fiscalYearStartMonth: 7 });
    await change(theirs.admin, { fiscalYearStartMonth: 10 });
    const { db } = await testDatabase();
    const seen = await withWorkspaceTransaction(db, mine.id, async (tx) => {
      const result = (await tx.execute(sql`select workspace_id from workspace_settings`)) as unknown as {
        rows: { workspace_id: string }[];
      };
      return result.rows.map((row) => row.workspace_id);
    });
    expect(seen).toEqual([mine.id]);
    await withWorkspaceTransaction(db, mine.id, (tx) =>
      tx.execute(sql`update workspace_settings set fiscal_year_start_month = 1 where workspace_id = ${theirs.id}`),
    );
    expect((await read(theirs.admin)).json()).toMatchObject({ fiscalYearStartMonth: 10 });
  });
});

describe("API keys and the workspace's settings", () => {
  const key = async (ws: TestWorkspace, scopes: string[]) => {
    const response = await ws.admin.client.post("/api/v1/api-keys", { name: `Key ${newId()}`, scopes });
    expect(response.statusCode, response.body).toBe(201);
    return { authorization: `Bearer ${response.json<{ key: string }>().key}` };
  };

  it("reads with workspace:read, changes with workspace:write, and is refused without the scope", async () => {
    const ws = await createTestWorkspace(app);
    const reader = await key(ws, ["workspace:read"]);
    const writer = await key(ws, ["workspace:write"]);
    const other = await key(ws, ["contacts:write"]);

    const inject = (method: "GET" | "PATCH", headers: Record<string, string>, payload?: object) =>
      app.inject({ method, url: "/api/v1/workspace", headers, ...(payload ? { payload } : {}) });
    expect((await inject("GET", reader)).json()).toMatchObject({ id: ws.id });
    expect((await inject("PATCH", reader, { fiscalYearStartMonth: 2 })).statusCode).toBe(403);
    expect((await inject("GET", other)).statusCode).toBe(403);
    const written = await inject("PATCH", writer, { fiscalYearStartMonth: 2 });
    expect(written.json()).toMatchObject({ fiscalYearStartMonth: 2 });
    const [entry] = await auditEntries(ws);
    expect(entry).toMatchObject({ actor: { type: "apiKey", onBehalfOf: ws.admin.userId } });
  });
});
