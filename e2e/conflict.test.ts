/** Two people edit the same contact: the second save is refused (412) and the UI says so; nothing is lost silently. */
import { allowConsoleErrors, describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, signIn, uniqueName } from "./support/helpers.ts";

describeBrowser("conflicting edits", () => {
  test("the second save of a stale contact is reported, and the first one is kept", async ({ page, newPage }) => {
    await signIn(page, "manager");
    const lastName = uniqueName("Conflict");
    const contact = await api<{ id: string }>(page, "POST", "/contacts", { firstName: "Cora", lastName });
    const other = await newPage();
    await signIn(other, "admin");
    allowConsoleErrors(other, /status of 412 \(Precondition Failed\) http:\/\/[^/]+\/api\/v1\/contacts\//);

    // Both open the contact and start editing.
    for (const p of [page, other]) {
      await p.goto(`/contacts/${contact.id}`);
      await p.getByRole("heading", { level: 1, name: `Cora ${lastName}` }).waitFor();
      await p.getByRole("button", { name: "Edit", exact: true }).click();
    }

    // The first saves.
    const first = page.getByRole("dialog", { name: "Edit contact" });
    await first.getByLabel("Job title").fill("Registrar");
    await first.getByRole("button", { name: "Save contact" }).click();
    await first.waitFor({ state: "hidden" });

    // The second, based on the old version, is told the contact changed.
    const second = other.getByRole("dialog", { name: "Edit contact" });
    await second.getByLabel("Job title").fill("Dean");
    const answer = other.waitForResponse(
      (r) => r.url().includes(`/api/v1/contacts/${contact.id}`) && r.request().method() === "PATCH",
    );
    await second.getByRole("button", { name: "Save contact" }).click();
    expect((await answer).status()).toBe(412);
    const alert = second.getByRole("alert").filter({ hasText: /changed/i });
    await alert.waitFor();
    await second.waitFor(); // The form stays open with the user's input.
    expect(await second.getByLabel("Job title").inputValue()).toBe("Dean");

    const saved = await api<{ jobTitle: string | null }>(page, "GET", `/contacts/${contact.id}`);
    expect(saved.jobTitle).toBe("Registrar");
  });
});
