import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import { Timeline, type RecordLink } from "./Timeline.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" };
const link: RecordLink = { field: "contactId", id: "0190f6c2-0000-7000-8000-0000000000c1" };

function signedIn(role: "admin" | "agent" | "viewer") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: me,
    workspaces: [],
    activeWorkspaceId: "0190f6c2-0000-7000-8000-0000000000f1",
    role,
  });
  return queryClient;
}

function activity(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `0190f6c2-0000-7000-8000-00000000010${n}`,
    version: 1,
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:00:00.000Z",
    createdBy: me.id,
    deletedAt: null,
    type: "call",
    subject: `Call ${n}`,
    body: null,
    direction: "outbound",
    occurredAt: "2026-03-01T09:00:00.000Z",
    durationMinutes: 15,
    outcome: "Agreed a demo",
    contactId: link.id,
    leadId: null,
    dealId: null,
    companyId: null,
    ...overrides,
  };
}

const users = { "GET /api/v1/users": { body: { data: [{ ...me, role: "admin" }], nextCursor: null } } };

describe("Timeline", () => {
  afterEach(() => setLanguage("en"));

  it("speaks German: type, direction, duration, outcome, who logged it and the delete label", async () => {
    await setLanguage("de");
    mockApi({
      ...users,
      "GET /api/v1/activities": { body: { data: [activity(1, { durationMinutes: 90 })], nextCursor: null } },
    });
    await renderWithProviders(<Timeline link={link} />, { queryClient: signedIn("admin") });

    const item = await screen.findByRole("article", { name: "Anruf: Call 1" });
    expect(within(item).getByText("Ausgehend")).toBeTruthy();
    expect(within(item).getByText("Dauer 1 Std. 30 Min.")).toBeTruthy();
    expect(within(item).getByText("Ergebnis: Agreed a demo")).toBeTruthy();
    await waitFor(() => expect(within(item).getByText("von Ada")).toBeTruthy());
    expect(within(item).getByRole("button", { name: "Anruf „Call 1“ löschen" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Chronik" })).toBeTruthy();
  });

  it("asks for the record's activities newest first and shows type, direction, duration and outcome", async () => {
    const api = mockApi({ ...users, "GET /api/v1/activities": { body: { data: [activity(1)], nextCursor: null } } });
    await renderWithProviders(<Timeline link={link} />, { queryClient: signedIn("admin") });

    const item = await screen.findByRole("article", { name: "Call: Call 1" });
    expect(within(item).getByText("Outbound")).toBeTruthy();
    expect(within(item).getByText("Duration 15 min")).toBeTruthy();
    expect(within(item).getByText("Outcome: Agreed a demo")).toBeTruthy();
    const url = api.calls.find((c) => c.path === "/api/v1/activities")?.url;
    expect(url?.searchParams.get(`filter[contactId][eq]`)).toBe(link.id);
    expect(url?.searchParams.get("sort")).toBe("-occurredAt");
  });

  it("rolls up a company's timeline from its contacts and deals", async () => {
    const api = mockApi({ ...users, "GET /api/v1/activities": { body: { data: [activity(1)], nextCursor: null } } });
    const company = { field: "companyId", id: "0190f6c2-0000-7000-8000-0000000000c7" } as const;
    await renderWithProviders(<Timeline link={company} />, { queryClient: signedIn("admin") });

    await screen.findByRole("article", { name: "Call: Call 1" });
    expect(screen.getByText("With the activities of its contacts and deals.")).toBeTruthy();
    const url = api.calls.find((c) => c.path === "/api/v1/activities")?.url;
    expect(url?.searchParams.get("filter[aboutCompanyId][eq]")).toBe(company.id);
  });

  it("renders bodies as text: markup stays text, only http(s) links become links, line breaks are kept", async () => {
    const body =
      "<img src=x onerror=alert(1)> <script>alert(2)</script>\nsecond line\n\n**bold** [bad](javascript:alert(3)) [good](https://example.com)";
    mockApi({ ...users, "GET /api/v1/activities": { body: { data: [activity(1, { body })], nextCursor: null } } });
    const { container } = await renderWithProviders(<Timeline link={link} />, { queryClient: signedIn("admin") });

    const item = await screen.findByRole("article", { name: "Call: Call 1" });
    expect(container.querySelector("img, script")).toBeNull();
    expect(within(item).getByText(/<img src=x onerror=alert\(1\)> <script>alert\(2\)<\/script>/)).toBeTruthy();
    expect(item.querySelector("br")).not.toBeNull();
    expect(within(item).getByText("bold").tagName).toBe("STRONG");
    expect(within(item).queryByRole("link", { name: "bad" })).toBeNull();
    expect(within(item).getByText(/bad \(javascript:alert\(3\)\)/)).toBeTruthy();
    expect(within(item).getByRole("link", { name: "good" }).getAttribute("href")).toBe("https://example.com");
  });

  it("loads older activities with the cursor on Load more", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...users,
      "GET /api/v1/activities": ({ url }) =>
        url.searchParams.get("cursor") === "next"
          ? { body: { data: [activity(2)], nextCursor: null } }
          : { body: { data: [activity(1)], nextCursor: "next" } },
    });
    await renderWithProviders(<Timeline link={link} />, { queryClient: signedIn("admin") });

    await user.click(await screen.findByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("article", { name: "Call: Call 2" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    expect(api.calls.filter((c) => c.path === "/api/v1/activities")).toHaveLength(2);
  });

  it("offers neither logging nor deleting to a viewer, and no delete to an agent", async () => {
    mockApi({ ...users, "GET /api/v1/activities": { body: { data: [activity(1)], nextCursor: null } } });
    const viewer = await renderWithProviders(<Timeline link={link} />, { queryClient: signedIn("viewer") });
    await screen.findByRole("article", { name: "Call: Call 1" });
    expect(screen.queryByRole("button", { name: "Log activity" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Delete/ })).toBeNull();
    viewer.unmount();

    await renderWithProviders(<Timeline link={link} />, { queryClient: signedIn("agent") });
    await screen.findByRole("article", { name: "Call: Call 1" });
    expect(screen.getByRole("button", { name: "Log activity" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Delete/ })).toBeNull();
  });

  it("deletes after confirmation and offers Undo, which restores", async () => {
    const user = userEvent.setup();
    const { Toaster } = await import("sonner");
    const api = mockApi({
      ...users,
      "GET /api/v1/activities": { body: { data: [activity(1)], nextCursor: null } },
      [`DELETE /api/v1/activities/${activity(1).id}`]: { status: 204 },
      [`POST /api/v1/activities/${activity(1).id}/restore`]: { body: activity(1) },
    });
    await renderWithProviders(
      <>
        <Timeline link={link} />
        <Toaster />
      </>,
      { queryClient: signedIn("admin") },
    );

    await user.click(await screen.findByRole("button", { name: "Delete call “Call 1”" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete" }));
    await user.click(await screen.findByRole("button", { name: "Undo" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "POST" && c.path.endsWith("/restore"))).toBe(true));
  });
});
