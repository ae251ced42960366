import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Contact } from "../../../shared/schemas/contact.ts";
import type { Deal } from "../../../shared/schemas/deal.ts";
import type { Pipeline } from "../../../shared/schemas/pipeline.ts";
import { createTestApp, createTestWorkspace, type Member, type TestWorkspace } from "../../test/create-test-app.ts";
import { defaultPipelineOf, eventsOf, stageNamed } from "./deals.factory.ts";

/** A won deal makes its contact a customer, unless the workspace turns that off. */

let app: FastifyInstance;
let ws: TestWorkspace;
let sales: Pipeline;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  sales = await defaultPipelineOf(ws.admin);
});
afterAll(() => app.close());

async function created<T>(member: Member, path: string, body: Record<string, unknown>): Promise<T> {
  const response = await member.client.post(`/api/v1/${path}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
const contactOf = async (id: string): Promise<Contact> => (await ws.admin.client.get(`/api/v1/contacts/${id}`)).json();
const win = async (member: Member, deal: Deal) => {
  const response = await member.client.patch(`/api/v1/deals/${deal.id}`, {
    stageId: stageNamed(sales, "Closed won").id,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Deal>();
};
const settings = async (body: Record<string, unknown>) => {
  const response = await ws.admin.client.patch("/api/v1/workspace", body);
  expect(response.statusCode, response.body).toBe(200);
};
const historyOf = async (contactId: string) =>
  (await ws.admin.client.get(`/api/v1/contacts/${contactId}/history`)).json<{
    data: { action: string; changes: Record<string, unknown> | null; actor: { id: string | null } }[];
  }>().data;

describe("a won deal's contact", () => {
  it("becomes a customer, with its own audit entry and contact.updated event, even when someone else owns it", async () => {
    // The manager's contact, the agent's deal: winning it is the agent's to do, the promotion follows.
    const contact = await created<Contact>(ws.manager, "contacts", { firstName: "Ada", lastName: "Buyer" });
    expect(contact.lifecycle).toBe("lead");
    const deal = await created<Deal>(ws.agent, "deals", { name: "First order", contactId: contact.id });

    await win(ws.agent, deal);
    const after = await contactOf(contact.id);
    expect(after).toMatchObject({ lifecycle: "customer", version: contact.version + 1 });
    const [entry] = await historyOf(contact.id);
    expect(entry).toMatchObject({
      action: "contact.updated",
      changes: { lifecycle: ["lead", "customer"] },
      actor: { id: ws.agent.userId },
    });
    const events = await eventsOf(contact.id);
    expect(events.map((e) => e.type)).toEqual(["contact.created", "contact.updated"]);
    expect(events[1]?.payload).toMatchObject({
      record: { lifecycle: "customer" },
      changes: { lifecycle: ["lead", "customer"] },
    });
  });

  it("becomes a customer when a deal is created won, and stays untouched when already a customer", async () => {
    const contact = await created<Contact>(ws.admin, "contacts", { firstName: "Grace" });
    await created<Deal>(ws.admin, "deals", {
      name: "Signed on the spot",
      contactId: contact.id,
      stageId: stageNamed(sales, "Closed won").id,
    });
    const customer = await contactOf(contact.id);
    expect(customer.lifecycle).toBe("customer");

    const second = await created<Deal>(ws.admin, "deals", { name: "Repeat order", contactId: contact.id });
    await win(ws.admin, second);
    expect((await contactOf(contact.id)).version).toBe(customer.version);
  });

  it("becomes a customer when the stage its deal is in becomes a won one", async () => {
    const pipeline = await created<Pipeline>(ws.admin, "pipelines", {
      name: "Admissions",
      stages: [{ name: "Applied" }, { name: "Admitted" }, { name: "Declined", isLost: true }],
    });
    const admitted = pipeline.stages[1]!;
    const contact = await created<Contact>(ws.admin, "contacts", { firstName: "Student" });
    await created<Deal>(ws.admin, "deals", {
      name: "Place",
      contactId: contact.id,
      pipelineId: pipeline.id,
      stageId: admitted.id,
    });
    expect((await contactOf(contact.id)).lifecycle).toBe("lead");

    const flagged = await ws.admin.client.patch(`/api/v1/pipelines/${pipeline.id}`, {
      stages: pipeline.stages.map((stage) => ({ id: stage.id, isWon: stage.id === admitted.id })),
    });
    expect(flagged.statusCode, flagged.body).toBe(200);
    expect((await contactOf(contact.id)).lifecycle).toBe("customer");
  });

  it("stays as it is when the workspace turns the rule off, and for a lost deal", async () => {
    await settings({ customerOnWonDeal: false });
    try {
      expect((await ws.admin.client.get("/api/v1/workspace")).json()).toMatchObject({ customerOnWonDeal: false });
      const contact = await created<Contact>(ws.admin, "contacts", { firstName: "Stays", lastName: "Lead" });
      const deal = await created<Deal>(ws.admin, "deals", { name: "Won anyway", contactId: contact.id });
      await win(ws.admin, deal);
      expect(await contactOf(contact.id)).toMatchObject({ lifecycle: "lead", version: contact.version });
    } finally {
      await settings({ customerOnWonDeal: true });
    }
    const contact = await created<Contact>(ws.admin, "contacts", { firstName: "Lost" });
    const deal = await created<Deal>(ws.admin, "deals", { name: "Gone", contactId: contact.id });
    const lost = await ws.admin.client.patch(`/api/v1/deals/${deal.id}`, {
      stageId: stageNamed(sales, "Closed lost").id,
    });
    expect(lost.statusCode, lost.body).toBe(200);
    expect((await contactOf(contact.id)).lifecycle).toBe("lead");
  });

  it("answers 400 for a setting that is not a boolean", async () => {
    const response = await ws.admin.client.patch("/api/v1/workspace", { customerOnWonDeal: "yes" });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: "customerOnWonDeal" })]);
  });
});
