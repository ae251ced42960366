import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { LeadDetails } from "./LeadDetails.tsx";
import type { LeadRow } from "./leads.api.ts";

const userId = "0190f6c2-0000-7000-8000-000000000001";
const ada = { id: "0190f6c2-0000-7000-8000-0000000000a1", firstName: "Ada", lastName: "Lovelace", email: null };
const grace = { id: "0190f6c2-0000-7000-8000-0000000000b2", firstName: "Grace", lastName: "Hopper", email: null };
const lead = {
  id: "0190f6c2-0000-7000-8000-0000000000e1",
  version: 3,
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
  contacts: [
    { contactId: ada.id, isPrimary: true, contact: ada },
    { contactId: grace.id, isPrimary: false, contact: grace },
  ],
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  createdBy: userId,
  deletedAt: null,
} as unknown as LeadRow;

describe("LeadDetails", () => {
  it("edits the contacts, the primary one among them, only in the contacts editor", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/workspace": { body: { leadLostReasons: [] } },
      [`PATCH /api/v1/leads/${lead.id}`]: ({ body }) => ({ body: { ...lead, ...(body as object), version: 4 } }),
    });
    await renderWithProviders(<LeadDetails lead={lead} canEdit />);

    // The old "Primary contact" field (a second way to choose the primary) is gone.
    expect(screen.queryByText("Primary contact")).toBeNull();
    expect(screen.getAllByRole("list", { name: "Contacts of this lead" })).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Make primary: Grace Hopper" }));
    await waitFor(() => expect(api.calls.some((call) => call.method === "PATCH")).toBe(true));
    const patch = api.calls.find((call) => call.method === "PATCH");
    expect(patch?.body).toEqual({
      contacts: [
        { contactId: ada.id, isPrimary: false },
        { contactId: grace.id, isPrimary: true },
      ],
    });
    expect(patch?.headers.get("if-match")).toBe('"3"');
  });
});
