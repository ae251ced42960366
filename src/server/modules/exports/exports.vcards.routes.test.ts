import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createTestWorkspace, type TestWorkspace } from "../../test/create-test-app.ts";
import { parseVCards } from "./vcard.ts";

let app: FastifyInstance;
let ws: TestWorkspace;

const vcard = { "content-type": "text/vcard; charset=utf-8" };
const card = (lines: string[]) => ["BEGIN:VCARD", "VERSION:4.0", ...lines, "END:VCARD", ""].join("\r\n");

async function contactCount(): Promise<number> {
  const response = await ws.admin.client.get("/api/v1/contacts/count");
  return response.json<{ count: number }>().count;
}

beforeAll(async () => {
  app = await createTestApp({ env: { RATE_LIMIT_EXPORT_PER_MINUTE: "0" } });
  ws = await createTestWorkspace(app, "vCards");
  await ws.admin.client.post("/api/v1/companies", { name: "Analytical Engines" });
});
afterAll(() => app.close());

describe("POST /contacts/vcards", () => {
  it("creates a contact per card through the contact use case, linking ORG to a company of that name", async () => {
    const body =
      card([
        "N:Lovelace;Ada;;;",
        "FN:Ada Lovelace",
        "item1.EMAIL:ada@example.com",
        "ORG:analytical engines",
        "TITLE:Countess",
      ]) + card(["FN:Grace Hopper", "TEL;VALUE=uri:tel:+14155552671", "CATEGORIES:navy,cobol"]);
    const response = await ws.agent.client.post("/api/v1/contacts/vcards", body, vcard);
    expect(response.statusCode, response.body).toBe(201);
    const { created, ids } = response.json<{ created: number; ids: string[] }>();
    expect(created).toBe(2);
    const ada = await ws.admin.client.get(`/api/v1/contacts/${ids[0]}?include=company,owner`);
    expect(ada.json()).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      jobTitle: "Countess",
      company: { name: "Analytical Engines" },
      ownerId: ws.agent.userId,
    });
    const grace = await ws.admin.client.get(`/api/v1/contacts/${ids[1]}`);
    expect(grace.json()).toMatchObject({
      firstName: "Grace",
      lastName: "Hopper",
      phone: "+14155552671",
      tags: ["navy", "cobol"],
    });
    const history = await ws.admin.client.get(`/api/v1/contacts/${ids[1]}/history`);
    expect(history.json<{ data: { action: string }[] }>().data.map((e) => e.action)).toEqual(["contact.created"]);
  });

  it("creates nothing when one card is invalid, naming the card and the property", async () => {
    const before = await contactCount();
    const body = card(["FN:Valid Person"]) + card(["FN:Bad Mail", "EMAIL:not-an-address"]);
    const response = await ws.admin.client.post("/api/v1/contacts/vcards", body, vcard);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ path: "cards.2.EMAIL", message: "Must be an e-mail address" }]);
    expect(await contactCount()).toBe(before);
  });

  it("rolls every card back when the use case refuses one (a duplicate e-mail), naming that card", async () => {
    await ws.admin.client.post("/api/v1/contacts", { firstName: "Taken", email: "taken@example.com" });
    const before = await contactCount();
    const body = card(["FN:First One", "EMAIL:first@example.com"]) + card(["FN:Second One", "EMAIL:TAKEN@example.com"]);
    const response = await ws.admin.client.post("/api/v1/contacts/vcards", body, vcard);
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().detail).toMatch(/^Card 2: /);
    expect(JSON.stringify(response.json().errors)).toContain("cards.2.EMAIL");
    expect(await contactCount()).toBe(before);
  });

  it.each([
    ["a card without N or FN", card(["EMAIL:x@example.com"]), "cards.1.FN"],
    ["a card left open", "BEGIN:VCARD\r\nFN:Open\r\n", "cards.1.END"],
    ["no card at all", "hello:world", "cards.1.HELLO"],
    ["an empty body", " ", "cards.1.BEGIN"],
    ["a phone that is no number", card(["FN:Phone Person", "TEL:call me"]), "cards.1.TEL"],
  ])("answers 400 for %s", async (_name, body, path) => {
    const response = await ws.admin.client.post("/api/v1/contacts/vcards", body, vcard);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors[0].path).toBe(path);
  });

  it("refuses viewers, other media types and bodies over 1 MB", async () => {
    const denied = await ws.viewer.client.post("/api/v1/contacts/vcards", card(["FN:A B"]), vcard);
    expect(denied.statusCode).toBe(403);
    const json = await ws.admin.client.post("/api/v1/contacts/vcards", { text: card(["FN:A B"]) });
    expect(json.statusCode).toBe(400);
    const large = card(["FN:Big", `NOTE:${"x".repeat(1024 * 1024)}`]);
    expect((await ws.admin.client.post("/api/v1/contacts/vcards", large, vcard)).statusCode).toBe(413);
  });
});

describe("GET /contacts/export?format=vcf", () => {
  it("writes one vCard 4.0 per contact that reads back into the same contacts", async () => {
    const response = await ws.admin.client.get("/api/v1/contacts/export?format=vcf&sort=firstName");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/vcard; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/\.vcf"$/);
    const cards = parseVCards(response.body);
    const list = await ws.admin.client.get("/api/v1/contacts?sort=firstName&limit=200");
    expect(cards).toHaveLength(list.json<{ data: unknown[] }>().data.length);
    const ada = cards.find((c) => c.properties.some((p) => p.name === "N" && p.value === "Lovelace;Ada;;;"));
    expect(ada?.properties.find((p) => p.name === "ORG")?.value).toBe("Analytical Engines");
    expect(response.body.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});
