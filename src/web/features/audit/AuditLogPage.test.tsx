import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { AuditRow } from "./audit.api.ts";
import { AuditLogPage } from "./AuditLogPage.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada Lovelace" };
const grace = { id: "0190f6c2-0000-7000-8000-0000000000e2", email: "grace@example.com", name: "Grace Hopper" };
const contactId = "0190f6c2-0000-7000-8000-0000000000c1";

function signedIn(role: "admin" | "manager") {
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
    changes: { jobTitle: ["Engineer", "Head of Admissions"] },
    details: null,
    ipAddress: "203.0.113.7",
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
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

const auditCalls = (api: ReturnType<typeof mockApi>) => api.calls.filter((c) => c.path === "/api/v1/audit-logs");

describe("AuditLogPage", () => {
  it("lists entries in a table: time, sealed mark, actor, action, resource linked to its page", async () => {
    mockApi({
      ...users,
      "GET /api/v1/audit-logs": {
        body: {
          data: [
            entry(3),
            entry(2, {
              action: "auth.sign_in_failed",
              actor: { type: "user", id: null, name: null, onBehalfOf: null },
              resourceType: null,
              resourceId: null,
              changes: null,
              details: { email: "mallory@example.com" },
              sealed: false,
            }),
            entry(1, {
              action: "task.completed",
              actor: { type: "apiKey", id: "0190f6c2-0000-7000-8000-0000000000k1", name: "Zapier", onBehalfOf: me.id },
              resourceType: "task",
              resourceId: "0190f6c2-0000-7000-8000-0000000000t1",
            }),
          ],
          nextCursor: null,
        },
      },
    });
    await renderWithProviders(<AuditLogPage />, { queryClient: signedIn("admin"), url: "/admin/audit-logs" });

    const table = await screen.findByRole("table", { name: "Audit log entries, newest first" });
    const [, first, second, third] = within(table).getAllByRole("row") as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    expect(first.textContent).toContain("Ada Lovelace");
    expect(first.textContent).toContain("Contact updated");
    expect(first.textContent).toContain("contact.updated");
    expect(within(first).getByRole("img", { name: "Sealed" })).toBeTruthy();
    const link = within(first).getByRole("link", { name: /Contact/ });
    expect(link.getAttribute("href")).toBe(`/contacts/${contactId}`);
    expect(second.textContent).toContain("Sign-in failed");
    expect(second.textContent).toContain("mallory@example.com");
    expect(within(second).queryByRole("img", { name: "Sealed" })).toBeNull();
    expect(third.textContent).toContain("API key Zapier");
    expect(third.textContent).toContain("Task completed");
    // Tasks have no record page: the resource is named, not linked.
    expect(within(third).queryByRole("link")).toBeNull();
    expect(within(first).getByRole("button", { name: /^Details of Contact updated/ })).toBeTruthy();
  });

  it("writes the filters to the request and to the URL", async () => {
    const user = userEvent.setup();
    const api = mockApi({ ...users, "GET /api/v1/audit-logs": { body: { data: [entry(1)], nextCursor: null } } });
    const { router } = await renderWithProviders(<AuditLogPage />, {
      queryClient: signedIn("admin"),
      url: "/admin/audit-logs",
    });
    await screen.findByRole("table");
    expect([...(auditCalls(api)[0]?.url.searchParams.keys() ?? [])].sort()).toEqual(["limit"]);

    const filters = screen.getByRole("search", { name: "Filter the audit log" });
    await screen.findByRole("option", { name: "Grace Hopper (grace@example.com)" });
    await user.selectOptions(within(filters).getByLabelText("Actor"), grace.id);
    await user.selectOptions(within(filters).getByLabelText("Resource type"), "contact");
    await user.type(within(filters).getByLabelText("Resource id"), contactId);
    await user.type(within(filters).getByLabelText("Action"), "contact.updated");
    fireEvent.change(within(filters).getByLabelText("From"), { target: { value: "2026-03-01" } });
    fireEvent.change(within(filters).getByLabelText("To"), { target: { value: "2026-03-02" } });
    await user.click(within(filters).getByRole("button", { name: "Apply filters" }));

    await waitFor(() => expect(auditCalls(api)).toHaveLength(2));
    const query = auditCalls(api)[1]?.url.searchParams;
    expect(query?.get("actorId")).toBe(grace.id);
    expect(query?.get("resourceType")).toBe("contact");
    expect(query?.get("resourceId")).toBe(contactId);
    expect(query?.get("action")).toBe("contact.updated");
    // Days in the reader's time zone; "to" includes its whole day.
    expect(query?.get("from")).toBe(new Date(2026, 2, 1).toISOString());
    expect(query?.get("to")).toBe(new Date(2026, 2, 3).toISOString());
    expect(router.state.location.pathname).toBe("/admin/audit-logs");
    expect(router.state.location.search).toEqual({
      actorId: grace.id,
      resourceType: "contact",
      resourceId: contactId,
      action: "contact.updated",
      from: "2026-03-01",
      to: "2026-03-02",
    });
  });

  it("opens a shared URL with its filters in place and in the request", async () => {
    const api = mockApi({ ...users, "GET /api/v1/audit-logs": { body: { data: [entry(1)], nextCursor: null } } });
    await renderWithProviders(<AuditLogPage />, {
      queryClient: signedIn("admin"),
      url: `/admin/audit-logs?action=contact.&actorType=apiKey&resourceId=${contactId}`,
    });
    await screen.findByRole("table");
    const query = auditCalls(api)[0]?.url.searchParams;
    expect(query?.get("action")).toBe("contact.");
    expect(query?.get("actorType")).toBe("apiKey");
    expect(query?.get("resourceId")).toBe(contactId);
    const filters = screen.getByRole("search", { name: "Filter the audit log" });
    expect((within(filters).getByLabelText("Action") as HTMLInputElement).value).toBe("contact.");
    expect((within(filters).getByLabelText("Actor") as HTMLSelectElement).value).toBe("type:apiKey");
  });

  it("checks a resource id before sending: not a UUID is an error at the field, and nothing is asked", async () => {
    const user = userEvent.setup();
    const api = mockApi({ ...users, "GET /api/v1/audit-logs": { body: { data: [], nextCursor: null } } });
    const { router } = await renderWithProviders(<AuditLogPage />, {
      queryClient: signedIn("admin"),
      url: "/admin/audit-logs",
    });
    expect(await screen.findByText("No entries yet")).toBeTruthy();
    const filters = screen.getByRole("search", { name: "Filter the audit log" });
    const resourceId = within(filters).getByLabelText("Resource id");
    await user.type(resourceId, "12345");
    await user.click(within(filters).getByRole("button", { name: "Apply filters" }));
    expect(within(filters).getByRole("alert").textContent).toMatch(/^Resource id must be an id, like /);
    expect(resourceId.getAttribute("aria-invalid")).toBe("true");
    expect(auditCalls(api)).toHaveLength(1);
    expect(router.state.location.search).toEqual({});
  });

  it("shows a bad id in a shared URL at its field instead of asking for everything", async () => {
    const api = mockApi({ ...users });
    await renderWithProviders(<AuditLogPage />, {
      queryClient: signedIn("admin"),
      url: "/admin/audit-logs?resourceId=not-an-id",
    });
    expect(await screen.findByText(/^Resource id must be an id, like /)).toBeTruthy();
    expect(screen.getByText("Correct the filters to see entries.")).toBeTruthy();
    expect(auditCalls(api)).toHaveLength(0);
  });

  it("pages with the cursor on Load more, and says when filters match nothing", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...users,
      "GET /api/v1/audit-logs": ({ url }) => {
        if (url.searchParams.get("action") === "nothing.here") return { body: { data: [], nextCursor: null } };
        return url.searchParams.get("cursor") === "page-2"
          ? { body: { data: [entry(1, { action: "contact.created" })], nextCursor: null } }
          : { body: { data: [entry(2)], nextCursor: "page-2" } };
      },
    });
    const { router } = await renderWithProviders(<AuditLogPage />, {
      queryClient: signedIn("admin"),
      url: "/admin/audit-logs",
    });
    await screen.findByRole("table");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await within(screen.getByRole("table")).findByText("Contact created");
    expect(auditCalls(api).map((c) => c.url.searchParams.get("cursor"))).toEqual([null, "page-2"]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();

    await act(() => router.navigate({ to: "/admin/audit-logs", search: { action: "nothing.here" } }));
    expect(await screen.findByText("No entries match these filters")).toBeTruthy();
  });

  it("asks nothing of the server for a role that may not read it", async () => {
    const api = mockApi({ ...users });
    await renderWithProviders(<AuditLogPage />, { queryClient: signedIn("manager"), url: "/admin/audit-logs" });
    expect(screen.getByText("Only admins read the audit log.")).toBeTruthy();
    expect(auditCalls(api)).toHaveLength(0);
  });
});
