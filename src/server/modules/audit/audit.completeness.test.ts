import { desc, eq, sql } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anonymous,
  Client,
  createTestApp,
  createTestWorkspace,
  testDatabase,
  testPassword,
  type TestWorkspace,
} from "../../test/create-test-app.ts";
import { mailOutbox } from "../mail/mail.table.ts";
import { runToEnd, upload } from "../imports/imports.test-helpers.ts";

/**
 * Every write the API offers leaves its audit entries: the list of operations comes from the
 * OpenAPI document, so a new write route without an entry here fails this test until it says
 * which entries it writes (or why it writes none).
 */

type Answer = LightMyRequestResponse;
type Expectation = { actions: string[]; run: () => Promise<Answer> } | { none: string };

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  // Six export jobs and the streamed exports come from one admin: more than a minute's exports.
  app = await createTestApp({ env: { RATE_LIMIT_EXPORT_PER_MINUTE: "0" } });
  ws = await createTestWorkspace(app, "Completeness");
});
afterAll(() => app.close());

const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
const strongPassword = "correct horse battery staple 9";

/** The link token of the newest mail to `address`, waiting for one other than `except` (a mail already read). */
async function mailTokenTo(address: string, except?: string): Promise<string> {
  const { db } = await testDatabase();
  for (let attempt = 0; attempt < 250; attempt++) {
    const [mail] = await db
      .select()
      .from(mailOutbox)
      .where(eq(sql`lower(${mailOutbox.toAddress})`, address.toLowerCase()))
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id));
    const token = mail ? /token=([A-Za-z0-9_-]+)/.exec(mail.textBody)?.[1] : undefined;
    if (token && token !== except) return token;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no new e-mail with a link to ${address}`);
}

const bodies: Record<string, () => Record<string, unknown>> = {
  companies: () => ({ name: `Co ${unique()}` }),
  contacts: () => ({ firstName: "Ada", lastName: unique() }),
  leads: () => ({ title: `Lead ${unique()}` }),
  deals: () => ({ name: `Deal ${unique()}`, value: "10.00" }),
  activities: () => ({ type: "note", subject: "Hi", contactId: null, companyId: null }),
  tasks: () => ({ title: `Task ${unique()}` }),
  pipelines: () => ({ name: `P ${unique()}`, stages: [{ name: "One" }, { name: "Two" }] }),
};
const nouns: Record<string, string> = {
  companies: "company",
  contacts: "contact",
  leads: "lead",
  deals: "deal",
  activities: "activity",
  tasks: "task",
  pipelines: "pipeline",
};
const patches: Record<string, Record<string, unknown>> = {
  companies: { industry: "Education" },
  contacts: { jobTitle: "Dean" },
  leads: { priority: "high" },
  deals: { name: "Renamed deal" },
  activities: { subject: "Changed" },
  tasks: { priority: "high" },
  pipelines: { name: "Renamed pipeline" },
};

async function make(resource: string): Promise<{ id: string }> {
  let body = bodies[resource]?.() ?? {};
  if (resource === "activities") body = { ...body, contactId: (await make("contacts")).id };
  const response = await ws.admin.client.post(`/api/v1/${resource}`, body);
  if (response.statusCode !== 201) throw new Error(`${resource}: ${response.body}`);
  return response.json();
}

function recordOperations(): Record<string, Expectation> {
  const operations: Record<string, Expectation> = {};
  for (const [plural, noun] of Object.entries(nouns)) {
    const One = noun.charAt(0).toUpperCase() + noun.slice(1);
    const Many = plural.charAt(0).toUpperCase() + plural.slice(1);
    const url = `/api/v1/${plural}`;
    operations[`create${One}`] = {
      actions: [`${noun}.created`],
      run: () => ws.admin.client.post(url, bodies[plural]?.()),
    };
    if (plural === "activities") {
      operations.createActivity = {
        actions: ["activity.created"],
        run: async () =>
          ws.admin.client.post(url, { type: "note", subject: "Hi", contactId: (await make("contacts")).id }),
      };
    }
    operations[`update${One}`] = {
      actions: [`${noun}.updated`],
      run: async () => ws.admin.client.patch(`${url}/${(await make(plural)).id}`, patches[plural] ?? {}),
    };
    operations[`delete${One}`] = {
      actions: [`${noun}.deleted`],
      run: async () => ws.admin.client.delete(`${url}/${(await make(plural)).id}`),
    };
    operations[`restore${One}`] = {
      actions: [`${noun}.restored`],
      run: async () => {
        const { id } = await make(plural);
        await ws.admin.client.delete(`${url}/${id}`);
        return ws.admin.client.post(`${url}/${id}/restore`);
      },
    };
    if (plural !== "pipelines") {
      operations[`bulk${Many}`] = {
        actions: [`${noun}.deleted`, "bulk_operation.completed"],
        run: async () => ws.admin.client.post(`${url}/bulk`, { action: "delete", ids: [(await make(plural)).id] }),
      };
    }
  }
  return operations;
}

/** A person of their own, signed in, in the test workspace (account changes are theirs alone). */
async function person(): Promise<{ email: string; client: Client; cookie: string; invitationToken: string }> {
  const email = `p${unique()}@test.keel.test`;
  const invited = await ws.admin.client.post("/api/v1/invitations", { email, role: "agent" });
  expect(invited.statusCode).toBe(201);
  const token = await mailTokenTo(email);
  const accepted = await anonymous(app).post("/api/v1/invitations/accept", {
    token,
    name: "Person",
    password: testPassword,
  });
  const cookie = accepted.cookies.find((c) => c.name === "keel_session");
  if (!cookie) throw new Error(`not signed in: ${accepted.body}`);
  return { email, client: new Client(app, cookie.value, ws.id), cookie: cookie.value, invitationToken: token };
}

async function withTwoFactor(client: Client): Promise<{ backupCodes: string[] }> {
  const setup = await client.post("/api/v1/me/two-factor/setup");
  const { secret } = setup.json<{ secret: string }>();
  const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() });
  const enabled = await client.post("/api/v1/me/two-factor/enable", { code });
  return enabled.json();
}

const saveSso = () =>
  ws.admin.client.request("PUT", "/api/v1/sso", {
    enabled: false,
    issuer: "https://id.example.com",
    clientId: "keel",
    clientSecret: "s3cret-value",
    allowedDomains: [],
    defaultRole: "agent",
  });

const expectations: Record<string, Expectation> = {
  ...recordOperations(),
  convertLead: {
    actions: ["lead.updated", "deal.created", "contact.created"],
    run: async () => {
      const lead = await ws.admin.client.post("/api/v1/leads", { title: `Lead ${unique()}`, status: "qualified" });
      const { id } = lead.json<{ id: string }>();
      return ws.admin.client.post(`/api/v1/leads/${id}/convert`, {
        deal: {},
        contact: { firstName: "C", lastName: unique() },
      });
    },
  },
  completeTask: {
    actions: ["task.updated"],
    run: async () => ws.admin.client.post(`/api/v1/tasks/${(await make("tasks")).id}/complete`),
  },
  reopenTask: {
    actions: ["task.updated"],
    run: async () => {
      const { id } = await make("tasks");
      await ws.admin.client.post(`/api/v1/tasks/${id}/complete`);
      return ws.admin.client.post(`/api/v1/tasks/${id}/reopen`);
    },
  },
  createSavedView: {
    actions: ["view.created"],
    run: () => ws.admin.client.post("/api/v1/views", { name: `V ${unique()}`, resource: "contacts" }),
  },
  updateSavedView: {
    actions: ["view.updated"],
    run: async () => {
      const view = await ws.admin.client.post("/api/v1/views", { name: `V ${unique()}`, resource: "contacts" });
      return ws.admin.client.patch(`/api/v1/views/${view.json<{ id: string }>().id}`, { name: `W ${unique()}` });
    },
  },
  deleteSavedView: {
    actions: ["view.deleted"],
    run: async () => {
      const view = await ws.admin.client.post("/api/v1/views", { name: `V ${unique()}`, resource: "contacts" });
      return ws.admin.client.delete(`/api/v1/views/${view.json<{ id: string }>().id}`);
    },
  },
  createApiKey: {
    actions: ["api_key.created"],
    run: () => ws.admin.client.post("/api/v1/api-keys", { name: `K ${unique()}`, scopes: ["contacts:read"] }),
  },
  revokeApiKey: {
    actions: ["api_key.revoked"],
    run: async () => {
      const key = await ws.admin.client.post("/api/v1/api-keys", { name: `K ${unique()}`, scopes: ["contacts:read"] });
      return ws.admin.client.delete(`/api/v1/api-keys/${key.json<{ id: string }>().id}`);
    },
  },
  saveSsoSettings: { actions: ["settings.sso_updated"], run: () => saveSso() },
  deleteSsoSettings: {
    actions: ["settings.sso_deleted"],
    run: async () => {
      await saveSso();
      return ws.admin.client.delete("/api/v1/sso");
    },
  },
  createInvitation: {
    actions: ["invitation.created"],
    run: () => ws.admin.client.post("/api/v1/invitations", { email: `i${unique()}@test.keel.test`, role: "agent" }),
  },
  revokeInvitation: {
    actions: ["invitation.revoked"],
    run: async () => {
      const made = await ws.admin.client.post("/api/v1/invitations", {
        email: `i${unique()}@test.keel.test`,
        role: "agent",
      });
      return ws.admin.client.delete(`/api/v1/invitations/${made.json<{ id: string }>().id}`);
    },
  },
  inspectInvitation: { none: "reads an invitation by its token; changes nothing" },
  acceptInvitation: {
    actions: ["member.added"],
    run: async () => {
      const email = `a${unique()}@test.keel.test`;
      await ws.admin.client.post("/api/v1/invitations", { email, role: "viewer" });
      const token = await mailTokenTo(email);
      return anonymous(app).post("/api/v1/invitations/accept", { token, name: "New", password: testPassword });
    },
  },
  updateUser: {
    actions: ["member.role_changed"],
    run: async () => {
      const { client } = await person();
      const me = await client.get("/api/v1/me");
      return ws.admin.client.patch(`/api/v1/users/${me.json<{ user: { id: string } }>().user.id}`, {
        role: "manager",
      });
    },
  },
  removeUser: {
    actions: ["member.removed"],
    run: async () => {
      const { client } = await person();
      const me = await client.get("/api/v1/me");
      return ws.admin.client.delete(`/api/v1/users/${me.json<{ user: { id: string } }>().user.id}`);
    },
  },
  updateWorkspace: {
    actions: ["workspace.updated"],
    run: () => ws.admin.client.patch("/api/v1/workspace", { name: `W ${unique()}` }),
  },
  createWorkspace: {
    actions: ["workspace.created", "pipeline.created"],
    run: () => ws.admin.client.post("/api/v1/workspaces", { name: `W ${unique()}` }),
  },
  signIn: {
    actions: ["auth.sign_in"],
    run: async () => {
      const { email } = await person();
      return anonymous(app).post("/api/v1/auth/sign-in", { email, password: testPassword });
    },
  },
  signOut: { actions: ["auth.sign_out"], run: async () => (await person()).client.post("/api/v1/auth/sign-out") },
  updateMe: {
    actions: ["user.profile_updated"],
    run: async () => (await person()).client.patch("/api/v1/me", { name: "Renamed" }),
  },
  switchWorkspace: { none: "chooses which workspace the session shows; no data changes" },
  signUp: {
    none: "keeps a pending sign-up until the address is verified; verifyEmail creates the workspace (audited)",
  },
  verifyEmail: {
    actions: ["workspace.created"],
    run: async () => {
      const email = `s${unique()}@test.keel.test`;
      await anonymous(app).post("/api/v1/auth/sign-up", {
        name: "S",
        email,
        password: strongPassword,
        workspaceName: "Mine",
      });
      return anonymous(app).post("/api/v1/auth/verify-email", { token: await mailTokenTo(email) });
    },
  },
  forgotPassword: { none: "only sends an e-mail with a link; following it is audited (resetPassword)" },
  resetPassword: {
    actions: ["auth.password_reset"],
    run: async () => {
      const { email, invitationToken } = await person();
      await anonymous(app).post("/api/v1/auth/forgot-password", { email });
      // The reset link is the mail after the invitation (it may be sent after the answer).
      return anonymous(app).post("/api/v1/auth/reset-password", {
        token: await mailTokenTo(email, invitationToken),
        password: strongPassword,
      });
    },
  },
  changePassword: {
    actions: ["auth.password_changed"],
    run: async () =>
      (await person()).client.post("/api/v1/me/password", {
        currentPassword: testPassword,
        newPassword: strongPassword,
      }),
  },
  setUpMyTwoFactor: { none: "prepares a secret that does nothing until two-factor sign-in is enabled (audited)" },
  enableMyTwoFactor: {
    actions: ["auth.two_factor_enabled"],
    run: async () => {
      const { client } = await person();
      const setup = await client.post("/api/v1/me/two-factor/setup");
      const code = TOTP.generate({ secret: Secret.fromBase32(setup.json<{ secret: string }>().secret) });
      return client.post("/api/v1/me/two-factor/enable", { code });
    },
  },
  disableMyTwoFactor: {
    actions: ["auth.two_factor_disabled"],
    run: async () => {
      const { client } = await person();
      const { backupCodes } = await withTwoFactor(client);
      return client.post("/api/v1/me/two-factor/disable", { password: testPassword, code: backupCodes[0] });
    },
  },
  replaceMyBackupCodes: {
    actions: ["auth.backup_codes_replaced"],
    run: async () => {
      const { client } = await person();
      const { backupCodes } = await withTwoFactor(client);
      return client.post("/api/v1/me/two-factor/backup-codes", { code: backupCodes[0] });
    },
  },
  signInSecondFactor: {
    actions: ["auth.sign_in"],
    run: async () => {
      const { client, email } = await person();
      const { backupCodes } = await withTwoFactor(client);
      const first = await anonymous(app).post("/api/v1/auth/sign-in", { email, password: testPassword });
      const challenge = first.cookies.find((c) => c.name.includes("two_factor"));
      if (!challenge) throw new Error(`no challenge: ${first.body}`);
      return anonymous(app).post(
        "/api/v1/auth/two-factor",
        { backupCode: backupCodes[0] },
        { cookie: `${challenge.name}=${challenge.value}` },
      );
    },
  },
  revokeMySession: {
    actions: ["auth.session_revoked"],
    run: async () => {
      const { client, email } = await person();
      await anonymous(app).post("/api/v1/auth/sign-in", { email, password: testPassword });
      const sessions = await client.get("/api/v1/me/sessions");
      const other = sessions.json<{ data: { id: string; current: boolean }[] }>().data.find((s) => !s.current);
      return client.delete(`/api/v1/me/sessions/${other?.id ?? "none"}`);
    },
  },
  revokeMyOtherSessions: {
    actions: ["auth.sessions_revoked"],
    run: async () => (await person()).client.post("/api/v1/me/sessions/revoke-others"),
  },
  retryJob: { none: "runs a failed job again; what the job changes is audited by its own use case" },
  createWebhook: {
    actions: ["webhook.created"],
    run: () => ws.admin.client.post("/api/v1/webhooks", { url: "https://93.184.215.14/keel", events: ["deal.won"] }),
  },
  updateWebhook: {
    actions: ["webhook.updated"],
    run: async () => {
      const made = await ws.admin.client.post("/api/v1/webhooks", { url: "https://93.184.215.14/a", events: ["*"] });
      return ws.admin.client.patch(`/api/v1/webhooks/${made.json<{ id: string }>().id}`, { events: ["contact.*"] });
    },
  },
  deleteWebhook: {
    actions: ["webhook.deleted"],
    run: async () => {
      const made = await ws.admin.client.post("/api/v1/webhooks", { url: "https://93.184.215.14/b", events: ["*"] });
      return ws.admin.client.delete(`/api/v1/webhooks/${made.json<{ id: string }>().id}`);
    },
  },
  rotateWebhookSecret: {
    actions: ["webhook.secret_rotated"],
    run: async () => {
      const made = await ws.admin.client.post("/api/v1/webhooks", { url: "https://93.184.215.14/c", events: ["*"] });
      return ws.admin.client.post(`/api/v1/webhooks/${made.json<{ id: string }>().id}/rotate-secret`);
    },
  },
  markNotificationRead: { none: "marks one of the caller's own notifications read: nobody else's data changes" },
  markAllNotificationsRead: { none: "marks the caller's own notifications read: nobody else's data changes" },
  testWebhook: { none: "sends a webhook.test event to the endpoint; its delivery is in the endpoint's log" },
  retryWebhookDelivery: { none: "sends an event again; the attempt is in the endpoint's delivery log" },
  // An export run as a job is audited when asked for (and again when written and downloaded).
  ...Object.fromEntries(
    (
      [
        ["Contacts", "contacts", "contact"],
        ["Companies", "companies", "company"],
        ["Leads", "leads", "lead"],
        ["Deals", "deals", "deal"],
        ["Activities", "activities", "activity"],
        ["Tasks", "tasks", "task"],
      ] as const
    ).map(([many, path, noun]) => [
      `start${many}Export`,
      { actions: [`${noun}.export_requested`], run: () => ws.admin.client.post(`/api/v1/${path}/exports?format=csv`) },
    ]),
  ),
  importContactVCards: {
    actions: ["contact.created"],
    run: () =>
      ws.admin.client.post("/api/v1/contacts/vcards", `BEGIN:VCARD\r\nFN:Card ${unique()}\r\nEND:VCARD\r\n`, {
        "content-type": "text/vcard",
      }),
  },
  mergeContacts: {
    actions: ["contact.merged", "contact.updated", "contact.deleted"],
    run: async () =>
      ws.admin.client.post("/api/v1/contacts/merge", {
        survivorId: (await make("contacts")).id,
        mergedIds: [(await make("contacts")).id],
      }),
  },
  mergeCompanies: {
    actions: ["company.merged", "company.updated", "company.deleted"],
    run: async () =>
      ws.admin.client.post("/api/v1/companies/merge", {
        survivorId: (await make("companies")).id,
        mergedIds: [(await make("companies")).id],
      }),
  },
  undoBulkOperation: {
    actions: ["bulk_operation.undone", "contact.restored"],
    run: async () => {
      const ids = [(await make("contacts")).id];
      const bulk = await ws.admin.client.post("/api/v1/contacts/bulk", { action: "delete", ids });
      return ws.admin.client.post(`/api/v1/bulk-operations/${bulk.json<{ operationId: string }>().operationId}/undo`);
    },
  },
  undoMerge: {
    actions: ["contact.merge_undone", "contact.updated", "contact.restored"],
    run: async () => {
      const merged = await ws.admin.client.post("/api/v1/contacts/merge", {
        survivorId: (await make("contacts")).id,
        mergedIds: [(await make("contacts")).id],
      });
      return ws.admin.client.post(`/api/v1/merges/${merged.json<{ mergeId: string }>().mergeId}/undo`);
    },
  },
  uploadImport: { none: "stages a file; records change when the import runs (import.started, then each record's)" },
  updateImport: { none: "changes how a staged file is mapped; no record changes" },
  dryRunImport: {
    none: "its job validates the rows in transactions that are rolled back; no record changes (nor when cancelled)",
  },
  startImport: {
    actions: ["import.started"],
    run: async () => {
      const staged = await upload(ws.admin, "contacts", "a.csv", `First Name\nImp ${unique()}\n`);
      return ws.admin.client.post(`/api/v1/imports/${staged.json<{ id: string }>().id}/start`);
    },
  },
  cancelImport: {
    actions: ["import.cancelled"],
    run: async () => {
      const staged = await upload(ws.admin, "contacts", "a.csv", `First Name\nImp ${unique()}\n`);
      return ws.admin.client.post(`/api/v1/imports/${staged.json<{ id: string }>().id}/cancel`);
    },
  },
  undoImport: {
    actions: ["import.undone", "contact.deleted"],
    run: async () => {
      const { id } = (await upload(ws.admin, "contacts", "a.csv", `First Name\nImp ${unique()}\n`)).json<{
        id: string;
      }>();
      await ws.admin.client.post(`/api/v1/imports/${id}/start`);
      await runToEnd(ws.id, id);
      return ws.admin.client.post(`/api/v1/imports/${id}/undo`);
    },
  },
};

describe("audit completeness", () => {
  it("knows every write operation of the API", async () => {
    const document = (await app.inject({ url: "/api/openapi.json" })).json<{
      paths: Record<string, Record<string, { operationId: string }>>;
    }>();
    const writes = Object.values(document.paths).flatMap((methods) =>
      Object.entries(methods)
        .filter(([method]) => ["post", "put", "patch", "delete"].includes(method))
        .map(([, operation]) => operation.operationId),
    );
    expect(writes.filter((id) => !(id in expectations))).toEqual([]);
  });

  for (const [operationId, expectation] of Object.entries(expectations)) {
    if ("none" in expectation) continue;
    it(`${operationId} writes ${expectation.actions.join(", ")}`, async () => {
      const response = await expectation.run();
      expect(response.statusCode, response.body).toBeLessThan(300);
      const requestId = response.headers["x-request-id"];
      const { db } = await testDatabase();
      const result = (await db.execute(
        sql`select distinct action from audit_logs where request_id = ${String(requestId)}`,
      )) as unknown as { rows: { action: string }[] };
      expect(result.rows.map((row) => row.action)).toEqual(expect.arrayContaining(expectation.actions));
    });
  }
});
