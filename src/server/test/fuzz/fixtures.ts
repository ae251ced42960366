import { newId } from "../../lib/ids.ts";
import { notifications } from "../../modules/notifications/index.ts";
import { outboxEvents } from "../../modules/outbox/outbox.table.ts";
import { webhookDeliveries } from "../../modules/webhooks/webhooks.table.ts";
import { testDatabase, type TestWorkspace } from "../create-test-app.ts";
import { bulkOperation, cancelledImport, exportJob, merge, stagedImport } from "./one-shots.ts";

/** The record types the fuzzer creates, by their path under /api/v1. */
export const recordKinds = [
  "companies",
  "contacts",
  "leads",
  "pipelines",
  "deals",
  "activities",
  "tasks",
  "views",
  "api-keys",
  "webhooks",
  "webhook-deliveries",
  "notifications",
  // Not path segments: a contact and a company to merge into the fixture of their kind.
  "spare-contacts",
  "spare-companies",
  "bulk-operations",
  "merges",
  "imports",
  "exports",
  // Not a path segment either: a cancelled import, the one an undo can take back.
  "cancelled-imports",
] as const;
export type RecordKind = (typeof recordKinds)[number];

/** Real records to aim at: path ids, link fields, and the same kinds in another workspace. */
export type Fixtures = {
  workspaceId: string;
  /** The fuzzed workspace's slug (`{workspaceSlug}` of the single sign-on paths). */
  workspaceSlug: string;
  userId: string;
  email: string;
  ids: Record<RecordKind | "users", string>;
  /** A stage of `ids.pipelines`. */
  stageId: string;
  /** Records (and the workspace, and a member) of another workspace: never reachable from this one. */
  foreign: Record<RecordKind | "users" | "workspaces", string>;
};

let counter = 0;
/** A name no other fuzz record has (companies, pipelines and views must have unique names). */
export const uniqueName = (prefix: string) => `${prefix} ${++counter}`;
export const nextNumber = () => ++counter;

type Created = { id: string; stages?: { id: string }[] };

/**
 * The fuzzed endpoints' URL: a loopback port nobody listens on, allowed by the fuzzed app's
 * WEBHOOK_ALLOWED_HOSTS, so that a test event sent to it fails at once, on this machine.
 */
export const fuzzWebhookUrl = "http://127.0.0.1:9/keel";

/** What the fuzzed app is configured with, besides the test defaults. */
export const fuzzEnv = {
  WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
  SSO_ALLOWED_HOSTS: "127.0.0.1",
  // Every export operation is fuzzed many times a minute: the limit stays on, out of reach.
  RATE_LIMIT_EXPORT_PER_MINUTE: "1000000",
};

/** A logged delivery attempt (only the delivery job writes the log), of an event still kept. */
async function logDelivery(ws: TestWorkspace, endpointId: string): Promise<Created> {
  const { db } = await testDatabase();
  const eventId = newId();
  await db.insert(outboxEvents).values({
    workspaceId: ws.id,
    id: eventId,
    type: "deal.won",
    resourceType: "deal",
    resourceId: newId(),
    payload: { record: {} },
    publishedAt: new Date(),
  });
  const id = newId();
  await db.insert(webhookDeliveries).values({
    workspaceId: ws.id,
    id,
    endpointId,
    eventId,
    eventType: "deal.won",
    attempt: 1,
    status: "failed",
    responseCode: 500,
    durationMs: 10,
    error: "HTTP 500",
  });
  return { id };
}

/** A notification of the fuzzing member (only background jobs make them). */
async function notifyAdmin(ws: TestWorkspace): Promise<Created> {
  const { db } = await testDatabase();
  const id = newId();
  await db.insert(notifications).values({
    workspaceId: ws.id,
    id,
    userId: ws.admin.userId,
    type: "task.reminder",
    title: uniqueName("Fuzz reminder"),
    resourceType: "task",
    resourceId: newId(),
    dedupeKey: `fuzz:${id}`,
  });
  return { id };
}

async function create(
  ws: TestWorkspace,
  kind: RecordKind,
  links: { contactId?: string; webhookId?: string },
): Promise<Created> {
  if (kind === "webhook-deliveries") return logDelivery(ws, links.webhookId ?? "");
  if (kind === "notifications") return notifyAdmin(ws);
  if (kind === "spare-contacts") return create(ws, "contacts", links);
  if (kind === "spare-companies") return create(ws, "companies", links);
  if (kind === "bulk-operations") return bulkOperation(ws);
  if (kind === "merges") return merge(ws);
  if (kind === "imports") return stagedImport(ws);
  if (kind === "exports") return exportJob(ws);
  if (kind === "cancelled-imports") return cancelledImport(ws);
  const bodies: Record<RecordKind, () => Record<string, unknown>> = {
    companies: () => ({ name: uniqueName("Fuzz company") }),
    contacts: () => ({ firstName: "Fuzz", lastName: uniqueName("contact") }),
    // Qualified, so that it can be converted.
    leads: () => ({ title: uniqueName("Fuzz lead"), status: "qualified", estimatedValue: "1000.00", currency: "EUR" }),
    pipelines: () => ({
      name: uniqueName("Fuzz pipeline"),
      stages: [
        { name: "Open", probability: 20 },
        { name: "Won", isWon: true },
        { name: "Lost", isLost: true },
      ],
    }),
    deals: () => ({ name: uniqueName("Fuzz deal"), value: "500.00" }),
    activities: () => ({ type: "note", subject: uniqueName("Fuzz note"), contactId: links.contactId }),
    tasks: () => ({ title: uniqueName("Fuzz task") }),
    views: () => ({ name: uniqueName("Fuzz view"), resource: "contacts" }),
    "api-keys": () => ({ name: uniqueName("Fuzz key"), scopes: ["contacts:read"] }),
    // Only test events: no change of the fuzzed workspace is delivered anywhere.
    webhooks: () => ({ url: fuzzWebhookUrl, events: ["webhook.test"] }),
    "webhook-deliveries": () => ({}),
    notifications: () => ({}),
    "spare-contacts": () => ({}),
    "spare-companies": () => ({}),
    "bulk-operations": () => ({}),
    merges: () => ({}),
    imports: () => ({}),
    exports: () => ({}),
    "cancelled-imports": () => ({}),
  };
  const response = await ws.admin.client.post(`/api/v1/${kind}`, bodies[kind]());
  if (response.statusCode !== 201) throw new Error(`fuzz fixture ${kind}: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function createAll(ws: TestWorkspace): Promise<{ ids: Record<RecordKind, string>; stageId: string }> {
  const ids: Partial<Record<RecordKind, string>> = {};
  let stageId = "";
  for (const kind of recordKinds) {
    const record = await create(ws, kind, { contactId: ids.contacts, webhookId: ids.webhooks });
    ids[kind] = record.id;
    if (kind === "pipelines") stageId = record.stages?.[0]?.id ?? "";
  }
  return { ids: ids as Record<RecordKind, string>, stageId };
}

/**
 * Single sign-on set up but off (GET /sso has something to answer; no provider is ever called):
 * its issuer is a loopback port nobody listens on (allowed by the fuzzed app's SSO_ALLOWED_HOSTS),
 * so a case that turns it on is refused with 422.
 */
export const fuzzSsoIssuer = "http://127.0.0.1:9";

async function setUpSso(ws: TestWorkspace): Promise<string> {
  const body = {
    issuer: fuzzSsoIssuer,
    clientId: "fuzz",
    clientSecret: "fuzz-secret",
    allowedDomains: [],
    defaultRole: "viewer",
    enabled: false,
  };
  const saved = await ws.admin.client.request("PUT", "/api/v1/sso", body);
  if (saved.statusCode !== 200) throw new Error(`fuzz fixture sso: ${saved.statusCode} ${saved.body}`);
  const slug = /\/auth\/oidc\/([^/]+)\/start$/.exec(String(saved.json().signInUrl))?.[1];
  if (!slug) throw new Error("fuzz fixture sso: no slug in the sign-in link");
  return slug;
}

/** One record of each kind in `ws`, and in `other` (the foreign ids). */
export async function createFixtures(ws: TestWorkspace, other: TestWorkspace): Promise<Fixtures> {
  const own = await createAll(ws);
  const foreign = await createAll(other);
  return {
    workspaceId: ws.id,
    workspaceSlug: await setUpSso(ws),
    userId: ws.admin.userId,
    email: ws.admin.email,
    ids: { ...own.ids, users: ws.admin.userId },
    stageId: own.stageId,
    foreign: { ...foreign.ids, users: other.admin.userId, workspaces: other.id },
  };
}

/** Replaces a fixture a request used up (deleted, converted, or whose stages were replaced). */
export async function renewFixture(fixtures: Fixtures, ws: TestWorkspace, kind: RecordKind): Promise<void> {
  const record = await create(ws, kind, { contactId: fixtures.ids.contacts, webhookId: fixtures.ids.webhooks });
  fixtures.ids[kind] = record.id;
  if (kind === "pipelines") fixtures.stageId = record.stages?.[0]?.id ?? "";
  // A deleted endpoint took its delivery log with it.
  if (kind === "webhooks") await renewFixture(fixtures, ws, "webhook-deliveries");
}

/** The record kind of an API path: `/api/v1/leads/{id}/convert` → leads. */
export function kindOfPath(path: string): RecordKind | "users" | null {
  const segment = path.split("/")[3] ?? "";
  return (recordKinds as readonly string[]).includes(segment) || segment === "users"
    ? (segment as RecordKind | "users")
    : null;
}

/** The fixture a path's `{id}` names: its record kind, but a finished import for an import's undo. */
export function fixtureOfPath(path: string): RecordKind | "users" | null {
  return path === "/api/v1/imports/{id}/undo" ? "cancelled-imports" : kindOfPath(path);
}
