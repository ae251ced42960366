/**
 * Two members of one workspace, side by side: what one changes shows on the other's open page
 * without a reload (the live event stream), and a task reminder reaches its assignee's bell.
 */
import type { Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, demoUser, signIn, uniqueName, waitForSettled, type Page1 } from "./support/helpers.ts";

/** Opens a page of the app and waits until its live stream is connected, so nothing is missed after. */
async function openLive(page: Page, path: string): Promise<void> {
  const streamOpened = page.waitForResponse(
    (response) => response.url().endsWith("/api/v1/events/stream") && response.status() === 200,
  );
  await page.goto(path);
  await streamOpened;
  await waitForSettled(page);
}

describeBrowser("live updates", () => {
  test("a contact renamed by one member changes on the other's open page and list", async ({ page, newPage }) => {
    await signIn(page, "manager");
    const lastName = uniqueName("Livecast");
    const contact = await api<{ id: string }>(page, "POST", "/contacts", { firstName: "Cora", lastName });
    const other = await newPage();
    await signIn(other, "agent");

    // The agent looks at the contact; the manager renames it in place.
    await openLive(other, `/contacts/${contact.id}`);
    await other.getByRole("heading", { level: 1, name: `Cora ${lastName}` }).waitFor();
    await page.goto(`/contacts/${contact.id}`);
    await page.getByRole("button", { name: "Edit First name" }).click();
    await page.getByRole("textbox", { name: "First name" }).fill("Corinna");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `Corinna ${lastName}` }).waitFor();
    await other.getByRole("heading", { level: 1, name: `Corinna ${lastName}` }).waitFor();

    // The agent's contact list follows the next rename too.
    await openLive(other, "/contacts");
    const table = other.getByRole("table", { name: "Contacts" });
    await table.getByRole("link", { name: `Corinna ${lastName}` }).waitFor();
    await page.getByRole("button", { name: "Edit Last name" }).click();
    await page.getByRole("textbox", { name: "Last name" }).fill(`${lastName}-Smith`);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await table.getByRole("link", { name: `Corinna ${lastName}-Smith` }).waitFor();
    expect(new URL(other.url()).pathname).toBe("/contacts");
  });

  test("a task reminder due in a few seconds shows in its assignee's bell", async ({ page, newPage }) => {
    await signIn(page, "manager");
    const members = await api<Page1<{ id: string; email: string }>>(page, "GET", "/users?limit=200");
    const agent = members.data.find((member) => member.email === demoUser("agent").email);
    if (!agent) throw new Error("The demo workspace has no agent");
    const other = await newPage();
    await signIn(other, "agent");
    await openLive(other, "/");

    const title = uniqueName("Call the registrar ");
    const task = await api<{ id: string }>(page, "POST", "/tasks", {
      title,
      assigneeId: agent.id,
      remindAt: new Date(Date.now() + 3_000).toISOString(),
    });

    // The bell's count goes up once the reminder is sent (workers run in the server), without a reload.
    const bell = other.getByRole("button", { name: /^Notifications/ });
    const countOf = async () => Number(/(\d+) unread/.exec((await bell.getAttribute("aria-label")) ?? "")?.[1] ?? 0);
    const before = await countOf();
    await expect.poll(countOf, { timeout: 20_000, interval: 250 }).toBeGreaterThan(before);
    await bell.click();
    const popover = other.getByRole("dialog", { name: "Notifications" });
    const link = popover.getByRole("link", { name: `Reminder: ${title}` });
    await link.waitFor();
    const unread = await countOf();

    // Following it opens the task list on that task, and the notification is read.
    await link.click();
    await other.waitForURL((url) => url.pathname === "/tasks" && decodeURIComponent(url.search).includes(task.id));
    await other.getByRole("table", { name: "Tasks" }).getByText(title).waitFor();
    await expect.poll(countOf, { timeout: 10_000 }).toBe(unread - 1);
  });
});
