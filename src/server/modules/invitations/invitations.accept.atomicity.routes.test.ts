import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { memberships, users } from "../users/users.table.ts";
import { inviteWithToken, newAddress } from "./invitations.factory.ts";
import { invitations } from "./invitations.table.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());
afterEach(() => failJoining(false));

/**
 * Makes the last step of accepting into this file's workspace fail: the database refuses the
 * membership's event (written in one statement with its audit entry). A trigger, not a replaced
 * module: the test files share their process and the database, so it names this workspace only.
 */
async function failJoining(on: boolean): Promise<void> {
  const { db } = await testDatabase();
  const trigger = sql.raw(`keel_test_fail_joining_${ws.id.replaceAll("-", "_")}`);
  await db.execute(sql`drop trigger if exists ${trigger} on outbox_events`);
  if (!on) return;
  await db.execute(sql`create or replace function keel_test_fail_joining() returns trigger language plpgsql as $$
    begin raise exception 'injected failure'; end $$`);
  await db.execute(sql`create trigger ${trigger} before insert on outbox_events for each row
    when (new.type = 'member.added' and new.workspace_id = ${sql.raw(`'${ws.id}'`)}) execute function keel_test_fail_joining()`);
}

describe("accepting leaves nothing behind when it fails", () => {
  it("creates no account, no membership and keeps the invitation pending; the link works afterwards", async () => {
    const email = newAddress();
    const { invitation, token } = await inviteWithToken(ws.admin.client, email, "agent");
    const body = { token, name: "Half way", password: "lantern-orbit-meadow-74" };

    await failJoining(true);
    const failed = await anonymous(app).post("/api/v1/invitations/accept", body);
    expect(failed.statusCode).toBe(500);
    expect(failed.cookies).toEqual([]);
    const { db } = await testDatabase();
    const accounts = () =>
      db
        .select({ id: users.id })
        .from(users)
        .where(eq(sql`lower(${users.email})`, email));
    expect(await accounts()).toEqual([]);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row).toMatchObject({ acceptedAt: null, acceptedBy: null, revokedAt: null });

    await failJoining(false);
    const retried = await anonymous(app).post("/api/v1/invitations/accept", body);
    expect(retried.statusCode, retried.body).toBe(200);
    const [account] = await accounts();
    const joined = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, account?.id ?? ""));
    expect(joined).toEqual([{ role: "agent" }]);
  });

  it("keeps an existing account out of the workspace when joining fails", async () => {
    const invitee = await createUser("Existing");
    const { invitation, token } = await inviteWithToken(ws.admin.client, invitee.email, "manager");
    await failJoining(true);
    expect((await anonymous(app).post("/api/v1/invitations/accept", { token })).statusCode).toBe(500);
    const { db } = await testDatabase();
    expect(await db.select().from(memberships).where(eq(memberships.userId, invitee.id))).toEqual([]);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row?.acceptedAt).toBeNull();
  });
});
