/** Merge two duplicate contacts from the Duplicates page: the survivor shows both contacts' activities; Undo brings them back. */
import type { Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

type Record1 = { id: string; deletedAt: string | null; mergedIntoId?: string };

async function timelineOf(page: Page, id: string, name: string): Promise<void> {
  await page.goto(`/contacts/${id}`);
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByRole("tab", { name: "Timeline" }).click();
}

describeBrowser("merge", () => {
  test("merge two contacts, the survivor shows both contacts' activities, undo brings them back", async ({
    page,
    context,
  }) => {
    await signIn(page, "manager");
    const lastName = uniqueName("Mergetest");
    const olderName = `Marguerite ${lastName}`;
    const newerName = `Margarite ${lastName}`;
    const older = await api<Record1>(page, "POST", "/contacts", { firstName: "Marguerite", lastName });
    const newer = await api<Record1>(page, "POST", "/contacts", { firstName: "Margarite", lastName });
    const olderNote = uniqueName("Note on the older ");
    const newerNote = uniqueName("Note on the newer ");
    await api(page, "POST", "/activities", { type: "note", subject: olderNote, contactId: older.id });
    await api(page, "POST", "/activities", { type: "note", subject: newerNote, contactId: newer.id });

    // The Duplicates page groups them (similar names); merge keeping the older one.
    await page.goto("/duplicates");
    await waitForSettled(page);
    await page.getByRole("tab", { name: "Contacts" }).waitFor();
    const group = page
      .getByRole("list", { name: "Groups of likely duplicate contacts" })
      .getByRole("listitem")
      .filter({ hasText: olderName })
      .filter({ hasText: newerName })
      .first();
    // The newest records' group comes last (groups are in the order their records were created).
    const more = page.getByRole("button", { name: "Show more" });
    for (let i = 0; i < 40 && (await group.count()) === 0; i++) {
      if ((await more.count()) > 0 && (await more.isEnabled())) await more.click();
      await waitForSettled(page);
    }
    await group.getByRole("button", { name: "Merge…" }).click();
    const dialog = page.getByRole("dialog", { name: "Merge 2 contacts" });
    await dialog.getByRole("radio", { name: `Keep ${olderName}` }).check();
    await dialog.getByRole("button", { name: `Merge into ${olderName}` }).click();
    await dialog.waitFor({ state: "hidden" });
    const notice = page.getByRole("status").filter({ hasText: "Merged 2 contacts." });
    await notice.waitFor();

    // The survivor shows both activities (in another tab: the notice with Undo stays on this one).
    const other = await context.newPage();
    await timelineOf(other, older.id, olderName);
    await other.getByText(olderNote).waitFor();
    await other.getByText(newerNote).waitFor();
    const merged = await api<Record1>(page, "GET", `/contacts/${newer.id}`);
    expect(merged.mergedIntoId).toBe(older.id);
    expect(merged.deletedAt).not.toBeNull();

    // Undo: both contacts are back, each with its own activity.
    await notice.getByRole("button", { name: "Undo merge" }).click();
    await page.getByText("Undone.").waitFor();
    const restored = await api<Record1>(page, "GET", `/contacts/${newer.id}`);
    expect(restored.deletedAt).toBeNull();
    expect(restored.mergedIntoId).toBeUndefined();
    await timelineOf(other, newer.id, newerName);
    await other.getByText(newerNote).waitFor();
    await timelineOf(other, older.id, olderName);
    await other.getByText(olderNote).waitFor();
    expect(await other.getByText(newerNote).count()).toBe(0);
    await other.close();
  });
});
