import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { LeadKanban } from "./LeadKanban.tsx";
import type { LeadRow } from "./leads.api.ts";

const userId = "0190f6c2-0000-7000-8000-000000000001";
const lead: LeadRow = {
  id: "0190f6c2-0000-7000-8000-0000000000e1",
  version: 4,
  title: "Acme rollout",
  status: "contacted",
  priority: "high",
  estimatedValue: null,
  currency: null,
  source: null,
  score: 40,
  ownerId: userId,
  lostReason: null,
  companyId: null,
  dealId: null,
  convertedAt: null,
  tags: [],
  contacts: [],
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  createdBy: userId,
  deletedAt: null,
};

/** A stand-in for the leads API with one lead, lists filtered by status, and a scripted PATCH. */
function fakeServer(patch: (body: Record<string, unknown>) => { status: number; body: unknown }) {
  let stored = lead;
  const inStatus = (url: URL) => (stored.status === url.searchParams.get("filter[status][eq]") ? [stored] : []);
  return mockApi({
    "GET /api/v1/me": {
      body: {
        user: { id: userId, email: "agent@demo.keel.test", name: "Agent" },
        workspaces: [],
        activeWorkspaceId: null,
        role: "agent",
      },
    },
    "GET /api/v1/leads": ({ url }) => ({ body: { data: inStatus(url), nextCursor: null } }),
    "GET /api/v1/leads/count": ({ url }) => ({ body: { count: inStatus(url).length } }),
    [`PATCH /api/v1/leads/${lead.id}`]: ({ body }) => {
      const answer = patch(body as Record<string, unknown>);
      if (answer.status === 200) stored = answer.body as LeadRow;
      return answer;
    },
  });
}

const column = (name: string) => within(screen.getByRole("region", { name }));

describe("LeadKanban", () => {
  it("asks for a lost reason before moving a lead to lost, and sends it with If-Match", async () => {
    const api = fakeServer((body) => ({ status: 200, body: { ...lead, ...body, version: 5 } }));
    await renderWithProviders(<LeadKanban filters={[]} q="" />);
    await column("Contacted").findByRole("link", { name: "Acme rollout" });

    fireEvent.change(screen.getByRole("combobox", { name: "Status of Acme rollout" }), { target: { value: "lost" } });
    const dialog = await screen.findByRole("dialog", { name: "Mark as lost" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark as lost" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Lost reason is required");
    expect(api.calls.some((c) => c.method === "PATCH")).toBe(false);

    fireEvent.change(within(dialog).getByRole("textbox", { name: "Lost reason" }), {
      target: { value: "Chose a competitor" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark as lost" }));

    await waitFor(() => expect(column("Lost").getByRole("link", { name: "Acme rollout" })).toBeTruthy());
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.body).toEqual({ status: "lost", lostReason: "Chose a competitor" });
    expect(patch?.headers.get("if-match")).toBe('"4"');
  });

  it("puts the card back when the server refuses the transition", async () => {
    fakeServer(() => ({
      status: 422,
      body: {
        type: "/problems/rule-violation",
        title: "Rule violation",
        status: 422,
        detail: "Cannot move a lead from contacted to qualified.",
        errors: [{ path: "status", message: "Cannot move a lead from contacted to qualified" }],
      },
    }));
    await renderWithProviders(<LeadKanban filters={[]} q="" />);
    await column("Contacted").findByRole("link", { name: "Acme rollout" });

    fireEvent.change(screen.getByRole("combobox", { name: "Status of Acme rollout" }), {
      target: { value: "qualified" },
    });

    await waitFor(() => expect(column("Contacted").getByRole("link", { name: "Acme rollout" })).toBeTruthy());
    expect(column("Qualified").queryByRole("link", { name: "Acme rollout" })).toBeNull();
  });

  it("keeps converted leads out of the way, in a collapsed read-only column", async () => {
    fakeServer(() => ({ status: 500, body: {} }));
    await renderWithProviders(<LeadKanban filters={[]} q="" />);
    const toggle = await screen.findByRole("button", { name: "Show Converted" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
  });
});
