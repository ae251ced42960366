import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { AuditRow } from "./audit.api.ts";
import { RecordHistory } from "./RecordHistory.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada Lovelace" };
const grace = { id: "0190f6c2-0000-7000-8000-0000000000e2", email: "grace@example.com", name: "Grace Hopper" };
const contactId = "0190f6c2-0000-7000-8000-0000000000c1";

function signedIn(role: "admin" | "manager" | "agent" | "viewer") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: me,
    workspaces: [],
    activeWorkspaceId: "0190f6c2-0000-7000-8000-0000000000f1",
    role,
  });
  return queryClient;
}

function entry(n: number, overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    id: `0190f6c2-0000-7000-8000-00000000a00${n}`,
    occurredAt: "2026-03-02T10:00:00.000Z",
    actor: { type: "user", id: me.id, name: me.name, onBehalfOf: null },
    action: "contact.updated",
    resourceType: "contact",
    resourceId: contactId,
    changes: null,
    details: null,
    ipAddress: "203.0.113.7",
    userAgent: "Mozilla/5.0",
    requestId: `req-${n}`,
    sealed: true,
    ...overrides,
  };
}

const users = {
  "GET /api/v1/users": {
    body: {
      data: [
        { ...me, role: "admin", joinedAt: "2026-01-01T00:00:00.000Z" },
        { ...grace, role: "agent", joinedAt: "2026-01-01T00:00:00.000Z" },
      ],
      nextCursor: null,
    },
  },
};

describe("RecordHistory", () => {
  it("lists entries newest first: who, what, and each change as “Field: old → new”", async () => {
    const api = mockApi({
      ...users,
      "GET /api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1/history": {
        body: {
          data: [
            entry(2, {
              changes: {
                jobTitle: ["Engineer", "Head of Admissions"],
                ownerId: [me.id, grace.id],
                tags: [["vip"], ["vip", "alumni"]],
                email: [null, "ada@example.com"],
              },
            }),
            entry(1, {
              action: "contact.created",
              actor: { type: "apiKey", id: null, name: "Zapier", onBehalfOf: me.id },
            }),
            entry(0, {
              action: "contact.stage_moved",
              actor: { type: "system", id: null, name: null, onBehalfOf: null },
            }),
          ],
          nextCursor: null,
        },
      },
    });
    await renderWithProviders(<RecordHistory collection="contacts" id={contactId} />, {
      queryClient: signedIn("admin"),
    });

    const list = await screen.findByRole("list", { name: "Changes, newest first" });
    const [updated, created, unknown] = Array.from(list.children) as [HTMLElement, HTMLElement, HTMLElement];
    expect(updated.textContent).toContain("Contact updated");
    expect(updated.textContent).toContain("by Ada Lovelace");
    const changes = within(updated).getByRole("list", { name: "Changed fields" });
    expect(changes.textContent).toContain("Job title: Engineer → Head of Admissions");
    await screen.findByText("Grace Hopper");
    expect(changes.textContent).toContain("Owner: Ada Lovelace → Grace Hopper");
    expect(changes.textContent).toContain("Tags: vip → vip, alumni");
    expect(changes.textContent).toContain("E-mail: — → ada@example.com");
    expect(created.textContent).toContain("Contact created");
    expect(created.textContent).toContain("by API key Zapier");
    // Actions this app does not know yet still read as words.
    expect(unknown.textContent).toContain("Contact stage moved");
    expect(unknown.textContent).toContain("by Keel");
    const call = api.calls.find((c) => c.path.endsWith("/history"));
    expect(call?.url.searchParams.get("cursor")).toBeNull();
  });

  it("lists a creation's first values without arrows, leaving out the empty ones", async () => {
    mockApi({
      ...users,
      "GET /api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1/history": {
        body: {
          data: [
            entry(1, {
              action: "contact.created",
              changes: { firstName: [null, "Ada"], lifecycle: [null, "customer"], tags: [null, []] },
            }),
          ],
          nextCursor: null,
        },
      },
    });
    await renderWithProviders(<RecordHistory collection="contacts" id={contactId} />, {
      queryClient: signedIn("admin"),
    });
    const values = await screen.findByRole("list", { name: "First values" });
    expect(Array.from(values.children).map((item) => item.textContent)).toEqual([
      "First name: Ada",
      "Lifecycle: Customer",
    ]);
  });

  it("cuts long values, with a button to read them whole", async () => {
    const user = userEvent.setup();
    const long = `Met at the fair. ${"Wants a demo for the whole admissions team. ".repeat(4)}`.trim();
    mockApi({
      ...users,
      "GET /api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1/history": {
        body: { data: [entry(1, { changes: { source: [null, long] } })], nextCursor: null },
      },
    });
    await renderWithProviders(<RecordHistory collection="contacts" id={contactId} />, {
      queryClient: signedIn("manager"),
    });
    const changes = await screen.findByRole("list", { name: "Changed fields" });
    expect(changes.textContent).not.toContain(long);
    expect(changes.textContent).toContain("…");
    const more = within(changes).getByRole("button", { name: "Show all" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    await user.click(more);
    expect(changes.textContent).toContain(long);
    expect(within(changes).getByRole("button", { name: "Show less" }).getAttribute("aria-expanded")).toBe("true");
  });

  it("loads older entries with the cursor on Load more", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...users,
      "GET /api/v1/deals/0190f6c2-0000-7000-8000-0000000000d1/history": ({ url }) =>
        url.searchParams.get("cursor") === "older"
          ? { body: { data: [entry(1, { action: "deal.created" })], nextCursor: null } }
          : {
              body: {
                data: [entry(2, { action: "deal.stage_changed", changes: { probability: [20, 60] } })],
                nextCursor: "older",
              },
            },
    });
    await renderWithProviders(<RecordHistory collection="deals" id="0190f6c2-0000-7000-8000-0000000000d1" />, {
      queryClient: signedIn("admin"),
    });
    await screen.findByText("Probability:", { exact: false });
    expect(screen.getByRole("list", { name: "Changed fields" }).textContent).toContain("Probability: 20 → 60");
    expect(screen.queryByText("Deal created")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("Deal created");
    expect(screen.getByText("Deal stage changed")).toBeTruthy();
    const cursors = api.calls.filter((c) => c.path.endsWith("/history")).map((c) => c.url.searchParams.get("cursor"));
    expect(cursors).toEqual([null, "older"]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("says so when nothing was recorded yet", async () => {
    mockApi({
      ...users,
      "GET /api/v1/leads/0190f6c2-0000-7000-8000-0000000000b1/history": { body: { data: [], nextCursor: null } },
    });
    await renderWithProviders(<RecordHistory collection="leads" id="0190f6c2-0000-7000-8000-0000000000b1" />, {
      queryClient: signedIn("admin"),
    });
    expect(await screen.findByText("No changes recorded yet")).toBeTruthy();
  });

  it("shows a failure with a retry", async () => {
    const user = userEvent.setup();
    let calls = 0;
    mockApi({
      ...users,
      "GET /api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1/history": () => {
        calls += 1;
        return calls === 1
          ? { status: 500, body: { type: "about:blank", title: "Internal", status: 500, detail: "Boom." } }
          : { body: { data: [entry(1, { action: "contact.created" })], nextCursor: null } };
      },
    });
    await renderWithProviders(<RecordHistory collection="contacts" id={contactId} />, {
      queryClient: signedIn("admin"),
    });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Boom.");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Contact created")).toBeTruthy();
  });

  it("explains a 403 instead of showing an error", async () => {
    mockApi({
      ...users,
      "GET /api/v1/contacts/0190f6c2-0000-7000-8000-0000000000c1/history": {
        status: 403,
        body: { type: "/problems/forbidden", title: "Forbidden", status: 403, detail: "Not yours." },
      },
    });
    // A manager made agent since the page loaded: the server refuses what the page allowed.
    await renderWithProviders(<RecordHistory collection="contacts" id={contactId} />, {
      queryClient: signedIn("manager"),
    });
    expect(await screen.findByText("You cannot see this record’s change history.")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("asks nothing for a viewer, nor for an agent, even on a record of their own", async () => {
    const api = mockApi({ ...users });
    const { unmount } = await renderWithProviders(<RecordHistory collection="contacts" id={contactId} />, {
      queryClient: signedIn("viewer"),
    });
    expect(screen.getByText("Your role cannot see change histories.")).toBeTruthy();
    unmount();

    await renderWithProviders(
      <RecordHistory collection="contacts" id={contactId} record={{ ownerId: me.id, createdBy: me.id }} />,
      { queryClient: signedIn("agent") },
    );
    expect(screen.getByText("Your role cannot see change histories.")).toBeTruthy();
    expect(api.calls.filter((c) => c.path.endsWith("/history"))).toHaveLength(0);
  });
});
