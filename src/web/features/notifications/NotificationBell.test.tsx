import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { NotificationBell } from "./NotificationBell.tsx";
import type { NotificationRow } from "./notifications.api.ts";

const taskId = "0190f6c2-0000-7000-8000-0000000000a1";
const contactId = "0190f6c2-0000-7000-8000-0000000000c1";

const reminder: NotificationRow = {
  id: "0190f6c2-0000-7000-8000-0000000000n3",
  type: "task.reminder",
  title: "Reminder: Call Ada",
  body: "Due 2026-03-20 10:00 UTC",
  resourceType: "task",
  resourceId: taskId,
  createdAt: "2026-03-20T09:00:00.000Z",
  readAt: null,
};
const overdue: NotificationRow = {
  ...reminder,
  id: "0190f6c2-0000-7000-8000-0000000000n2",
  type: "task.overdue",
  title: "Overdue: Send the offer",
  body: null,
  resourceType: "contact",
  resourceId: contactId,
};
const old: NotificationRow = {
  ...reminder,
  id: "0190f6c2-0000-7000-8000-0000000000n1",
  title: "Reminder: Book the room",
  readAt: "2026-03-19T08:00:00.000Z",
};

/** The server's notifications, changed by the mark-read calls the bell makes. */
function server(initial: NotificationRow[]) {
  let rows = initial;
  const readAt = "2026-03-20T11:00:00.000Z";
  const page = () => ({ data: rows, nextCursor: null, unreadCount: rows.filter((n) => n.readAt === null).length });
  const markOne = (id: string) => {
    rows = rows.map((n) => (n.id === id ? { ...n, readAt: n.readAt ?? readAt } : n));
    return { body: rows.find((n) => n.id === id) };
  };
  return mockApi({
    "GET /api/v1/notifications": () => ({ body: page() }),
    "POST /api/v1/notifications/read-all": () => {
      const updated = rows.filter((n) => n.readAt === null).length;
      rows = rows.map((n) => ({ ...n, readAt: n.readAt ?? readAt }));
      return { body: { updated } };
    },
    ...Object.fromEntries(initial.map((n) => [`POST /api/v1/notifications/${n.id}/read`, () => markOne(n.id)])),
  });
}

describe("NotificationBell", () => {
  it("names the unread count and lists the newest notifications, linked to their records", async () => {
    const user = userEvent.setup();
    server([reminder, overdue, old]);
    await renderWithProviders(<NotificationBell />);
    const bell = await screen.findByRole("button", { name: "Notifications, 2 unread" });
    await user.click(bell);

    const list = await screen.findByRole("list", { name: "Newest notifications" });
    const items = within(list).getAllByRole("listitem");
    expect(items.map((item) => within(item).getByRole("link").textContent)).toEqual([
      "Reminder: Call Ada",
      "Overdue: Send the offer",
      "Reminder: Book the room",
    ]);
    const taskLink = within(list).getByRole("link", { name: "Reminder: Call Ada" });
    expect(decodeURIComponent(taskLink.getAttribute("href") ?? "")).toContain(`"value":"${taskId}"`);
    expect(within(list).getByRole("link", { name: "Overdue: Send the offer" }).getAttribute("href")).toBe(
      `/contacts/${contactId}`,
    );
    expect(items[0]?.textContent).toContain("Due 2026-03-20 10:00 UTC");
    expect(within(items[0] as HTMLElement).getByText("Unread.")).toBeTruthy();
    expect(within(items[2] as HTMLElement).queryByRole("button", { name: /Mark/ })).toBeNull();
  });

  it("marks one read, and the count follows", async () => {
    const user = userEvent.setup();
    const api = server([reminder, overdue]);
    await renderWithProviders(<NotificationBell />);
    await user.click(await screen.findByRole("button", { name: "Notifications, 2 unread" }));
    await user.click(screen.getByRole("button", { name: "Mark “Reminder: Call Ada” read" }));
    expect(await screen.findByRole("button", { name: "Notifications, 1 unread" })).toBeTruthy();
    expect(api.calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
      `/api/v1/notifications/${reminder.id}/read`,
    ]);
    expect(screen.queryByRole("button", { name: "Mark “Reminder: Call Ada” read" })).toBeNull();
  });

  it("marks all read, after which the bell says nothing is unread", async () => {
    const user = userEvent.setup();
    const api = server([reminder, overdue]);
    await renderWithProviders(<NotificationBell />);
    await user.click(await screen.findByRole("button", { name: "Notifications, 2 unread" }));
    await user.click(screen.getByRole("button", { name: "Mark all read" }));
    expect(await screen.findByRole("button", { name: "Notifications" })).toBeTruthy();
    expect(api.calls.map((call) => `${call.method} ${call.path}`)).toContain("POST /api/v1/notifications/read-all");
    await waitFor(() => expect(screen.queryByRole("button", { name: /Mark “/ })).toBeNull());
    expect((screen.getByRole("button", { name: "Mark all read" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("marks a notification read when its link is followed", async () => {
    const user = userEvent.setup();
    const api = server([overdue]);
    const { router } = await renderWithProviders(<NotificationBell />);
    await user.click(await screen.findByRole("button", { name: "Notifications, 1 unread" }));
    await user.click(screen.getByRole("link", { name: "Overdue: Send the offer" }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/contacts/${contactId}`));
    await waitFor(() =>
      expect(api.calls.map((call) => `${call.method} ${call.path}`)).toContain(
        `POST /api/v1/notifications/${overdue.id}/read`,
      ),
    );
    await waitFor(() => expect(screen.queryByRole("list", { name: "Newest notifications" })).toBeNull());
  });

  it("says so when there is nothing yet", async () => {
    const user = userEvent.setup();
    mockApi({ "GET /api/v1/notifications": { body: { data: [], nextCursor: null, unreadCount: 0 } } });
    await renderWithProviders(<NotificationBell />);
    await user.click(await screen.findByRole("button", { name: "Notifications" }));
    expect(await screen.findByText("No notifications yet.")).toBeTruthy();
  });

  it("speaks German", async () => {
    await setLanguage("de");
    const user = userEvent.setup();
    mockApi({ "GET /api/v1/notifications": { body: { data: [reminder], nextCursor: null, unreadCount: 1 } } });
    await renderWithProviders(<NotificationBell />);
    await user.click(await screen.findByRole("button", { name: "Benachrichtigungen, 1 ungelesen" }));
    expect(await screen.findByRole("button", { name: "„Reminder: Call Ada“ als gelesen markieren" })).toBeTruthy();
  });
});
