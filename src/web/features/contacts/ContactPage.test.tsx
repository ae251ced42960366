import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage, signedInAs, testMember } from "../../test/render.tsx";
import { ContactPage } from "./ContactPage.tsx";

const contactId = "0190f6c2-0000-7000-8000-0000000000c1";

function contact(overrides: Record<string, unknown> = {}) {
  return {
    id: contactId,
    version: 1,
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:00:00.000Z",
    createdBy: testMember.user.id,
    deletedAt: null,
    firstName: "Mateo",
    lastName: "Fischer",
    email: null,
    phone: null,
    jobTitle: null,
    companyId: null,
    ownerId: testMember.user.id,
    lifecycle: "lead",
    source: null,
    tags: [],
    lastActivityAt: null,
    company: null,
    owner: null,
    ...overrides,
  };
}

const call = {
  id: "0190f6c2-0000-7000-8000-000000000101",
  version: 1,
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
  createdBy: testMember.user.id,
  deletedAt: null,
  type: "call",
  subject: "Intro call",
  body: null,
  direction: "outbound",
  occurredAt: "2026-03-01T09:00:00.000Z",
  durationMinutes: 15,
  outcome: null,
  contactId,
  leadId: null,
  dealId: null,
  companyId: null,
};

async function openContact(record: ReturnType<typeof contact>) {
  mockApi({
    [`GET /api/v1/contacts/${contactId}`]: { body: record },
    "GET /api/v1/activities": { body: { data: [call], nextCursor: null } },
    "GET /api/v1/tasks": { body: { data: [], nextCursor: null } },
    "GET /api/v1/users": { body: { data: [{ ...testMember.user, role: "admin" }], nextCursor: null } },
  });
  await renderPage("/contacts/$id", <ContactPage />, {
    url: `/contacts/${contactId}`,
    queryClient: signedInAs("admin"),
  });
  await screen.findByRole("heading", { name: "Mateo Fischer", level: 1 });
}

describe("ContactPage", () => {
  it("offers new tasks and activities, and deleting an activity, on a contact that is not deleted", async () => {
    const user = userEvent.setup();
    await openContact(contact());

    await user.click(screen.getByRole("tab", { name: "Timeline" }));
    const item = await screen.findByRole("article", { name: "Call: Intro call" });
    expect(within(item).getByRole("button", { name: /Delete/ })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Log activity" })).toBeTruthy();

    await user.click(screen.getByRole("tab", { name: "Tasks" }));
    expect(await screen.findByRole("button", { name: "Add task" })).toBeTruthy();
  });

  it("offers no new task or activity, nor deleting an activity, on a deleted contact until it is restored", async () => {
    const user = userEvent.setup();
    await openContact(contact({ deletedAt: "2026-03-02T10:00:00.000Z" }));
    expect(screen.getByText("This record is deleted.")).toBeTruthy();

    await user.click(screen.getByRole("tab", { name: "Timeline" }));
    const item = await screen.findByRole("article", { name: "Call: Intro call" });
    expect(within(item).queryByRole("button", { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Log activity" })).toBeNull();
    expect(screen.getByText("Restore the record to log activities.")).toBeTruthy();

    await user.click(screen.getByRole("tab", { name: "Tasks" }));
    expect(await screen.findByText("Restore the record to add tasks.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add task" })).toBeNull();
  });
});
