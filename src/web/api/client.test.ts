import { describe, expect, it } from "vitest";
import { setLanguage } from "../i18n/i18n.ts";
import { mockApi } from "../test/render.tsx";
import { ApiProblem, apiRequest } from "./client.ts";

const noSuchContact = {
  status: 404,
  body: { type: "/problems/not-found", title: "Not found", status: 404, detail: "No such contact." },
};

async function failureOf(request: Promise<unknown>): Promise<ApiProblem> {
  const error: unknown = await request.catch((caught: unknown) => caught);
  if (!(error instanceof ApiProblem)) throw new Error(`expected an ApiProblem, got ${String(error)}`);
  return error;
}

describe("apiRequest's problems", () => {
  it("say the server's detail in German to a German interface, keeping the answer as it came", async () => {
    await setLanguage("de");
    mockApi({ "GET /api/v1/contacts/0190f6c2-1e2d-7a3b-8c4d-5e6f7a8b9c0d": noSuchContact });
    const problem = await failureOf(apiRequest("/contacts/0190f6c2-1e2d-7a3b-8c4d-5e6f7a8b9c0d"));
    expect(problem.message).toBe("Kontakt nicht gefunden.");
    expect(problem.status).toBe(404);
    expect(problem.title).toBe("Not found");
    expect(problem.problem.detail).toBe("No such contact.");
  });

  it("name a problem without a detail by its type, in German", async () => {
    await setLanguage("de");
    mockApi({
      "DELETE /api/v1/deals/1": { status: 404, body: { type: "/problems/not-found", title: "Not found", status: 404 } },
    });
    expect((await failureOf(apiRequest("/deals/1", { method: "DELETE" }))).message).toBe("Nicht gefunden");
  });

  it("keep the server's English in an English interface", async () => {
    mockApi({ "GET /api/v1/contacts/1": noSuchContact });
    expect((await failureOf(apiRequest("/contacts/1"))).message).toBe("No such contact.");
  });
});
