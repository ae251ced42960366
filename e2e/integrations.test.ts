/**
 * An admin subscribes a receiver on loopback to contact events in Admin → Integrations, changes a
 * contact and sees the signed delivery arrive and in the delivery log; then the receiver fails,
 * the failed attempt shows why, and a retry by hand delivers the event with the same webhook-id.
 */
import { Webhook } from "standardwebhooks";
import { startWebhookReceiver, type WebhookReceiver } from "../src/server/test/webhook-receiver.ts";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, auditPage, expectUrl, firstRecord, signIn, uniqueName, waitForSettled } from "./support/helpers.ts";

type Contact = { id: string };

describeBrowser("integrations", () => {
  let receiver: WebhookReceiver | undefined;

  test("subscribe a receiver, see a delivery, make it fail, retry it by hand", async ({ page }) => {
    receiver = await startWebhookReceiver();
    try {
      await signIn(page, "admin");
      await waitForSettled(page);
      await page.goto("/admin/audit-logs");
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Integrations" }).click();
      await expectUrl(page, "/admin/integrations");
      await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
      await waitForSettled(page);

      const description = uniqueName("E2E receiver ");
      await page.getByRole("button", { name: "Add endpoint" }).first().click();
      const form = page.getByRole("dialog", { name: "Add webhook endpoint" });
      await form.getByLabel("URL").fill(receiver.url);
      await form.getByRole("checkbox", { name: "All contact events" }).check();
      await form.getByLabel("Description (optional)").fill(description);
      await auditPage(page, "admin-integrations-create");
      await form.getByRole("button", { name: "Add endpoint" }).click();
      const shown = page.getByRole("dialog", { name: "Copy the signing secret" });
      const secret = await shown.getByLabel("Signing secret").inputValue();
      expect(secret).toMatch(/^whsec_/);
      await shown.getByRole("button", { name: "Done" }).click();
      await shown.waitFor({ state: "hidden" });

      // A change of a contact is delivered, signed with the secret just shown.
      const contact = await firstRecord<Contact>(page, "contacts");
      await api(page, "PATCH", `/contacts/${contact.id}`, { jobTitle: uniqueName("Dean ") });
      const [delivered] = await receiver.waitFor((received) => received.length === 1, 30_000);
      const event = new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>) as {
        type: string;
        data: { record: Contact };
      };
      expect(event.type).toBe("contact.updated");
      expect(event.data.record.id).toBe(contact.id);

      const row = page.getByRole("row").filter({ hasText: description });
      await row.getByRole("button", { name: /^Deliveries of / }).click();
      const log = page.getByRole("region", { name: `Delivery log: ${receiver.url}` });
      const attempts = log.getByRole("table", { name: "Delivery attempts" });
      await attempts.getByRole("row").filter({ hasText: "contact.updated" }).getByText("Delivered").waitFor();
      await auditPage(page, "admin-integrations");

      // The receiver fails: the attempt is logged failed, with the answer's status.
      receiver.answerWith(() => ({ status: 500, body: "receiver down" }));
      await api(page, "PATCH", `/contacts/${contact.id}`, { jobTitle: uniqueName("Provost ") });
      await receiver.waitFor((received) => received.length === 2, 30_000);
      const failed = attempts.getByRole("row").filter({ hasText: "HTTP 500" });
      await failed.first().waitFor({ timeout: 20_000 });
      await failed.getByText("receiver down").first().waitFor({ state: "attached" });

      // Back up, and retried by hand: a second attempt of that event, delivered.
      receiver.answerWith(() => ({ status: 204 }));
      await failed
        .getByRole("button", { name: /^Retry contact.updated/ })
        .first()
        .click();
      await page.getByText("Sending contact.updated again").waitFor();
      const [, failing, retried] = await receiver.waitFor((received) => received.length === 3, 30_000);
      expect(retried!.webhookId).toBe(failing!.webhookId);
      await attempts
        .getByRole("row")
        .filter({ hasText: "Delivered" })
        .filter({ hasText: failing!.webhookId })
        .waitFor({ timeout: 20_000 });
    } finally {
      await receiver.close();
    }
  });
});
