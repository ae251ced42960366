import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  anonymous,
  createTestApp,
  createTestWorkspace,
  createUser,
  testDatabase,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import type * as Outbox from "../outbox/index.ts";
import { memberships, users } from "../users/users.table.ts";
import { inviteWithToken, newAddress } from "./invitations.factory.ts";
import { invitations } from "./invitations.table.ts";

/** Makes the last step of accepting (recording the membership event) fail while `failing.on`. */
const failing = vi.hoisted(() => ({ on: false }));
vi.mock("../outbox/index.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof Outbox>();
  return {
    ...actual,
    // The membership's audit entry and event are written in one statement, built with eventRow.
    eventRow: (...args: Parameters<typeof actual.eventRow>) => {
      if (failing.on && args[1].type === "member.added") throw new Error("injected failure");
      return actual.eventRow(...args);
    },
  };
});

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());
afterEach(() => {
  failing.on = false;
});

describe("accepting leaves nothing behind when it fails", () => {
  it("creates no account, no membership and keeps the invitation pending; the link works afterwards", async () => {
    const email = newAddress();
    const { invitation, token } = await inviteWithToken(ws.admin.client, email, "agent");
    const body = { token, name: "Half way", password: "lantern-orbit-meadow-74" };

    failing.on = true;
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

    failing.on = false;
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
    failing.on = true;
    expect((await anonymous(app).post("/api/v1/invitations/accept", { token })).statusCode).toBe(500);
    const { db } = await testDatabase();
    expect(await db.select().from(memberships).where(eq(memberships.userId, invitee.id))).toEqual([]);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row?.acceptedAt).toBeNull();
  });
});
