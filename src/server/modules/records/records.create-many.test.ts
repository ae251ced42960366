import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { CreateCompanySchema } from "../../../shared/schemas/company.ts";
import { CreateContactSchema } from "../../../shared/schemas/contact.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { auditLogs } from "../audit/audit.table.ts";
import { companyType } from "../companies/index.ts";
import { contactType } from "../contacts/index.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { createRecordsIn, isCreatedSetBased } from "./records.create-many.ts";

let app: FastifyInstance;
let db: Database;

beforeAll(async () => {
  app = await createTestApp();
  db = (await testDatabase()).db;
});
afterAll(() => app.close());

const contextOf = (ws: TestWorkspace): RequestContext => ({
  db,
  workspaceId: ws.id,
  actor: { kind: "user", userId: ws.admin.userId, role: "admin" },
  requestId: "create-many-test",
});

/** Creates contacts from inputs as the API takes them (parsed by its schema, defaults filled). */
function createContacts(ws: TestWorkspace, inputs: Record<string, unknown>[]) {
  const parsed = inputs.map((input) => CreateContactSchema.parse(input));
  return withWorkspaceTransaction(db, ws.id, (tx) =>
    createRecordsIn(tx, { ...contextOf(ws), db: tx as never }, contactType, parsed),
  );
}

async function countOf(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await db.execute(query)) as unknown as { rows: { count: number }[] };
  return result.rows[0]!.count;
}

describe("createRecordsIn", () => {
  it("creates contacts set-based exactly as POST /contacts does: defaults, owner, phones, audit entry and event each", async () => {
    const ws = await createTestWorkspace(app);
    expect(isCreatedSetBased(contactType)).toBe(true);
    const input = {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@many.test",
      phone: "+49 30 1234567",
      tags: ["vip"],
    };
    const posted = await ws.admin.client.post("/api/v1/contacts", {
      ...input,
      email: "ada2@many.test",
      phone: "+49 30 7654321",
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const outcomes = await createContacts(ws, [
      input,
      { firstName: "Bob" },
      { firstName: "Carl", ownerId: ws.agent.userId },
    ]);
    const [ada, bob, carl] = outcomes.map((o) => ("record" in o ? o.record : null));
    const single = posted.json();
    const comparable = ({
      id: _i,
      createdAt: _c,
      updatedAt: _u,
      email: _e,
      phone: _p,
      ...rest
    }: Record<string, unknown>) => rest;
    expect(comparable(ada!)).toEqual(comparable(single));
    expect(ada).toMatchObject({
      phone: "+49301234567",
      ownerId: ws.admin.userId,
      createdBy: ws.admin.userId,
      version: 1,
    });
    expect(bob).toMatchObject({
      lastName: "",
      email: null,
      phone: null,
      lifecycle: "lead",
      tags: [],
      ownerId: ws.admin.userId,
    });
    expect(carl).toMatchObject({ ownerId: ws.agent.userId });
    const read = await ws.admin.client.get(`/api/v1/contacts/${ada!.id}`);
    expect(read.json()).toMatchObject({ id: ada!.id, firstName: "Ada", phone: "+49301234567" });
    const entries = await db
      .select({ resourceId: auditLogs.resourceId, changes: auditLogs.changes, actorId: auditLogs.actorId })
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "contact.created")));
    expect(entries).toHaveLength(4);
    const adaEntry = entries.find((e) => e.resourceId === ada!.id)!;
    expect(adaEntry.actorId).toBe(ws.admin.userId);
    expect(adaEntry.changes).toMatchObject({ firstName: [null, "Ada"], phone: [null, "+49301234567"] });
    const events = await db
      .select({ resourceId: outboxEvents.resourceId, payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.workspaceId, ws.id), eq(outboxEvents.type, "contact.created")));
    expect(events.map((e) => e.resourceId).sort()).toEqual([single.id, ada!.id, bob!.id, carl!.id].sort());
  });

  it("refuses an input whose phone is not a number on its own, and creates the others", async () => {
    const ws = await createTestWorkspace(app);
    const outcomes = await createContacts(ws, [{ firstName: "Good" }, { firstName: "Bad", phone: "12" }]);
    expect("record" in outcomes[0]!).toBe(true);
    const refusal = (outcomes[1] as { refusal: AppError }).refusal;
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal.errors?.[0]?.path).toBe("phone");
    expect(await countOf(sql`select count(*)::int as count from contacts where workspace_id = ${ws.id}`)).toBe(1);
  });

  it("fails the whole statement when the database refuses a row (a taken e-mail), writing nothing", async () => {
    const ws = await createTestWorkspace(app);
    await createContacts(ws, [{ firstName: "First", email: "same@many.test" }]);
    await expect(
      createContacts(ws, [{ firstName: "Other" }, { firstName: "Second", email: "SAME@many.test" }]),
    ).rejects.toThrow();
    const list = await ws.admin.client.get("/api/v1/contacts");
    expect(list.json().data.map((c: { firstName: string }) => c.firstName)).toEqual(["First"]);
  });

  it("creates a thousand companies with one statement each for records and trail", async () => {
    const ws = await createTestWorkspace(app);
    const inputs = Array.from({ length: 1000 }, (_, i) =>
      CreateCompanySchema.parse({ name: `Company ${i}`, domain: `c${i}.many.test` }),
    );
    const outcomes = await withWorkspaceTransaction(db, ws.id, (tx) =>
      createRecordsIn(tx, { ...contextOf(ws), db: tx as never }, companyType, inputs),
    );
    expect(outcomes.every((o) => "record" in o)).toBe(true);
    const entries = sql`select count(*)::int as count from audit_logs
      where workspace_id = ${ws.id} and action = 'company.created'`;
    expect(await countOf(entries)).toBe(1000);
    const page = await ws.admin.client.get("/api/v1/companies?filter[name][eq]=Company 999");
    expect(page.json().data[0]).toMatchObject({
      name: "Company 999",
      domain: "c999.many.test",
      ownerId: ws.admin.userId,
    });
  });
});
