import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { makeLinkTargets, type LinkTargets } from "./activities.factory.ts";

/** Activity types are the workspace's own list (PATCH /workspace): checked on every write, kept on old activities. */

let app: FastifyInstance;
let ws: TestWorkspace;
let other: TestWorkspace;
let links: LinkTargets;
let otherLinks: LinkTargets;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app, "Other");
  links = await makeLinkTargets(ws);
  otherLinks = await makeLinkTargets(other);
});
afterAll(() => app.close());

const log = (workspace: TestWorkspace, contactId: string, type: string, subject = `A ${type}`) =>
  workspace.agent.client.post("/api/v1/activities", { type, subject, contactId });

const setTypes = async (workspace: TestWorkspace, activityTypes: { key: string; label: string }[]) => {
  const response = await workspace.admin.client.patch("/api/v1/workspace", { activityTypes });
  expect(response.statusCode, response.body).toBe(200);
};

describe("activity types of the workspace", () => {
  it("refuses a type the workspace does not have with 400 on type, naming the ones it has", async () => {
    const response = await log(ws, links.contactId, "campus_visit");
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      type: "/problems/validation",
      errors: [{ path: "type", message: expect.stringContaining("call (Call), email (E-mail), meeting (Meeting)") }],
    });
  });

  it("takes a type once an admin adds it, in that workspace only, and lists activities by it", async () => {
    await setTypes(ws, [
      { key: "call", label: "Call" },
      { key: "email", label: "E-mail" },
      { key: "meeting", label: "Meeting" },
      { key: "note", label: "Note" },
      { key: "campus_visit", label: "Campus visit" },
    ]);
    const logged = await log(ws, links.contactId, "campus_visit", "Toured the library");
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toMatchObject({ type: "campus_visit", subject: "Toured the library" });
    // A direction is for calls and e-mails; a type of the workspace's own may record one.
    const directed = await ws.agent.client.post("/api/v1/activities", {
      type: "campus_visit",
      subject: "They came to us",
      direction: "inbound",
      contactId: links.contactId,
    });
    expect(directed.statusCode, directed.body).toBe(201);

    const listed = (await ws.viewer.client.get("/api/v1/activities?filter[type]=campus_visit")).json();
    expect(listed.data.map((a: { subject: string }) => a.subject).sort()).toEqual([
      "They came to us",
      "Toured the library",
    ]);
    expect((await log(other, otherLinks.contactId, "campus_visit")).statusCode).toBe(400);
  });

  it("keeps activities of a removed type valid: they can be edited, not given a type that is gone", async () => {
    const note = await log(ws, links.contactId, "note", "Old note");
    expect(note.statusCode).toBe(201);
    const { id } = note.json<{ id: string }>();
    await setTypes(ws, [
      { key: "call", label: "Call" },
      { key: "meeting", label: "Visit" },
    ]);

    const read = await ws.viewer.client.get(`/api/v1/activities/${id}`);
    expect(read.json()).toMatchObject({ type: "note" });
    const edited = await ws.agent.client.patch(`/api/v1/activities/${id}`, { subject: "Old note, corrected" });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ type: "note", subject: "Old note, corrected" });

    expect((await log(ws, links.contactId, "note")).statusCode).toBe(400);
    const retyped = await ws.agent.client.patch(`/api/v1/activities/${id}`, { type: "email" });
    expect(retyped.statusCode).toBe(400);
    expect(retyped.json().errors).toEqual([{ path: "type", message: expect.stringContaining("meeting (Visit)") }]);
    const toOffered = await ws.agent.client.patch(`/api/v1/activities/${id}`, { type: "meeting" });
    expect(toOffered.json()).toMatchObject({ type: "meeting" });
  });
});
