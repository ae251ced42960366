import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, testDatabase } from "../../test/create-test-app.ts";
import { companies } from "../companies/index.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { runToEnd, upload } from "./imports.test-helpers.ts";

/**
 * Contacts exported and imported again (docs/import-export.md says what a round trip keeps): 2,000
 * by default, as many as KEEL_ROUND_TRIP_CONTACTS says otherwise (CI sends 200,000 through it on
 * PostgreSQL; on embedded PGlite a contact costs several milliseconds here).
 */
// eslint-disable-next-line n/no-process-env -- CI chooses the number of contacts
const { KEEL_ROUND_TRIP_CONTACTS } = process.env;
const contactCount = Number(KEEL_ROUND_TRIP_CONTACTS ?? 2_000);

let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/**
 * `count` contacts written with two statements (no write path: this is the data under test, not
 * the test): every third without an e-mail, every fifth without a phone, names with commas,
 * quotes, accents and line breaks, tags, both lifecycles, and a company for every other one.
 */
async function seedContacts(workspaceId: string, ownerId: string, count: number) {
  const { db } = await testDatabase();
  await db.execute(sql`insert into companies (workspace_id, id, name, owner_id, created_by)
    select ${workspaceId}, gen_random_uuid(), 'Firma ' || i || case when i % 7 = 0 then ', "Söhne"' else '' end,
      ${ownerId}, ${ownerId}
    from generate_series(1, 100) as i`);
  await db.execute(sql`insert into contacts (workspace_id, id, first_name, last_name, email, phone, job_title,
      company_id, owner_id, lifecycle, source, tags, created_by)
    select ${workspaceId}, gen_random_uuid(),
      'Zoë ' || i,
      case when i % 11 = 0 then 'O''Brien, "Jr."' when i % 13 = 0 then e'Line\\nbreak' else 'Müller ' || (i % 97) end,
      case when i % 3 = 0 then null else 'person' || i || '@round.trip' end,
      case when i % 5 = 0 then null else '+49151' || (10000000 + i) end,
      case when i % 4 = 0 then null else 'Job ' || (i % 50) end,
      case when i % 2 = 0 then (array(select id from companies c where c.workspace_id = ${workspaceId}))[i % 100 + 1] end,
      ${ownerId},
      case when i % 6 = 0 then 'customer' else 'lead' end,
      case when i % 8 = 0 then null else 'Fair ' || (i % 9) end,
      case when i % 10 = 0 then '{}'::text[] else array['vip', 'tag ' || (i % 5)] end,
      ${ownerId}
    from generate_series(1, ${count}) as i`);
}

/** A workspace's live contacts as comparable rows: the fields a round trip keeps, company by name. */
async function contactsOf(workspaceId: string) {
  const { db } = await testDatabase();
  return db
    .select({
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      email: contacts.email,
      phone: contacts.phone,
      jobTitle: contacts.jobTitle,
      company: companies.name,
      lifecycle: contacts.lifecycle,
      source: contacts.source,
      tags: contacts.tags,
    })
    .from(contacts)
    .leftJoin(companies, and(eq(companies.workspaceId, contacts.workspaceId), eq(companies.id, contacts.companyId)))
    .where(and(eq(contacts.workspaceId, workspaceId), isNull(contacts.deletedAt)))
    .orderBy(asc(contacts.firstName));
}

describe("export then import", () => {
  it(`gives back ${contactCount.toLocaleString("en")} contacts field for field`, { timeout: 1_800_000 }, async () => {
    const source = await createTestWorkspace(app, "Round trip source");
    await seedContacts(source.id, source.admin.userId, contactCount);
    const exported = await source.admin.client.get("/api/v1/contacts/export?format=csv");
    expect(exported.statusCode, exported.body.slice(0, 500)).toBe(200);

    const target = await createTestWorkspace(app, "Round trip target");
    const uploaded = await upload(target.admin, "contacts", "contacts.csv", exported.rawPayload);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { id, columns } = uploaded.json<{ id: string; columns: string[] }>();
    // Ids, owners and timestamps are the new workspace's own: the owner is the importing member.
    const mapped: Record<string, string> = {
      firstName: "firstName",
      lastName: "lastName",
      email: "email",
      phone: "phone",
      jobTitle: "jobTitle",
      companyName: "company",
      lifecycle: "lifecycle",
      source: "source",
      tags: "tags",
    };
    const mapping = Object.fromEntries(columns.map((header) => [header, mapped[header] ?? null]));
    const patched = await target.admin.client.patch(`/api/v1/imports/${id}`, { mapping, onDuplicate: "create" });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await target.admin.client.post(`/api/v1/imports/${id}/start`)).statusCode).toBe(202);
    expect(await runToEnd(target.id, id)).toBe("finished");
    const done = (await target.admin.client.get(`/api/v1/imports/${id}`)).json();
    const errors = await target.admin.client.get(`/api/v1/imports/${id}/errors.csv`);
    expect(done, errors.body.slice(0, 1500)).toMatchObject({ status: "completed", created: contactCount, failed: 0 });

    const [before, after] = [await contactsOf(source.id), await contactsOf(target.id)];
    expect(after).toHaveLength(contactCount);
    expect(after).toEqual(before);
  });
});
