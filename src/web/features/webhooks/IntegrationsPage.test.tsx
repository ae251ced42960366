import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders, signedInAs, testMember } from "../../test/render.tsx";
import { settingsPagesFor } from "../settings/settings-pages.ts";
import { IntegrationsPage } from "./IntegrationsPage.tsx";
import type { WebhookRow } from "./webhooks.api.ts";

const me = testMember.user;

const lms: WebhookRow = {
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  url: "https://lms-bridge.example.edu/keel",
  description: "Enrolled students to the LMS",
  events: ["deal.won"],
  active: true,
  disabledReason: null,
  failingSince: null,
  createdBy: me.id,
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
};
const gone: WebhookRow = {
  ...lms,
  id: "0190f6c2-0000-7000-8000-0000000000a2",
  url: "https://old.example.com/hook",
  description: null,
  events: ["*"],
  active: false,
  disabledReason: "The receiver answered 410 Gone: it asked for no more deliveries.",
};

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYq=";

function withToasts(ui: React.ReactElement) {
  return (
    <>
      {ui}
      <Toaster />
    </>
  );
}

const page = (data: WebhookRow[]) => ({ body: { data, nextCursor: null } });

describe("IntegrationsPage", () => {
  it("lists the endpoints: URL, description, events, on or off and why; only admins see it", async () => {
    mockApi({ "GET /api/v1/webhooks": page([lms, gone]) });
    await renderWithProviders(<IntegrationsPage />, { queryClient: signedInAs() });
    const table = await screen.findByRole("table", { name: "Webhook endpoints" });
    const [, first, second] = within(table).getAllByRole("row") as [HTMLElement, HTMLElement, HTMLElement];
    expect(first.textContent).toContain("https://lms-bridge.example.edu/keel");
    expect(first.textContent).toContain("Enrolled students to the LMS");
    expect(first.textContent).toContain("deal.won");
    expect(first.textContent).toContain("On");
    expect(within(first).getByRole("button", { name: `Turn off ${lms.url}` })).toBeTruthy();
    expect(second.textContent).toContain("All events");
    expect(second.textContent).toContain("Off");
    expect(second.textContent).toContain("410 Gone");
    expect(within(second).getByRole("button", { name: `Turn on ${gone.url}` })).toBeTruthy();
    expect(
      (within(second).getByRole("button", { name: `Send test to ${gone.url}` }) as HTMLButtonElement).disabled,
    ).toBe(true);
    // Phones get the same endpoints as cards.
    expect(within(screen.getByRole("list", { name: "Webhook endpoints" })).getAllByRole("listitem")).toHaveLength(2);
  });

  it("tells other roles that only admins manage integrations, and asks nothing", async () => {
    const api = mockApi({});
    await renderWithProviders(<IntegrationsPage />, { queryClient: signedInAs("manager") });
    expect(screen.getByText("Only admins manage the workspace’s integrations.")).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });

  it("is in the settings side list for admins only", () => {
    expect(settingsPagesFor("admin").map((p) => p.to)).toContain("/admin/integrations");
    for (const role of ["manager", "agent", "viewer"] as const) {
      expect(settingsPagesFor(role).map((p) => p.to)).not.toContain("/admin/integrations");
    }
  });

  it("adds an endpoint with events from the catalogue, then shows its secret once, to copy", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(() => Promise.resolve());
    const api = mockApi({
      "GET /api/v1/webhooks": page([]),
      "POST /api/v1/webhooks": { status: 201, body: { ...lms, events: ["contact.*", "deal.won"], secret } },
    });
    await renderWithProviders(withToasts(<IntegrationsPage />), { queryClient: signedInAs() });
    expect(await screen.findByText("No webhook endpoints yet")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    const dialog = await screen.findByRole("dialog", { name: "Add webhook endpoint" });

    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));
    expect(await within(dialog).findByText("Choose at least one event")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.type(within(dialog).getByLabelText("URL"), lms.url);
    await user.click(within(dialog).getByRole("checkbox", { name: "contact.created" }));
    // A resource's "all" covers its types: they show ticked and fixed, and only the wildcard is sent.
    await user.click(within(dialog).getByRole("checkbox", { name: "All contact events" }));
    const covered = within(dialog).getByRole("checkbox", { name: "contact.updated" }) as HTMLInputElement;
    expect(covered.checked && covered.disabled).toBe(true);
    await user.click(within(dialog).getByRole("checkbox", { name: "deal.won" }));
    await user.type(within(dialog).getByLabelText("Description (optional)"), "Students");
    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));

    const shown = await screen.findByRole("dialog", { name: "Copy the signing secret" });
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      url: lms.url,
      events: ["contact.*", "deal.won"],
      description: "Students",
    });
    expect((within(shown).getByLabelText("Signing secret") as HTMLInputElement).value).toBe(secret);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(within(shown).getByRole("button", { name: "Copy secret" }));
    expect(writeText).toHaveBeenCalledWith(secret);
    await user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.body.innerHTML).not.toContain(secret);
  });

  it("puts the server's refusal of the URL on the URL field", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/webhooks": page([lms]),
      "POST /api/v1/webhooks": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "The URL's host resolves to a private address; webhooks are sent only to public addresses.",
          errors: [
            {
              path: "url",
              message: "The URL's host resolves to a private address; webhooks are sent only to public addresses.",
            },
          ],
        },
      },
    });
    await renderWithProviders(<IntegrationsPage />, { queryClient: signedInAs() });
    await user.click(await screen.findByRole("button", { name: "Add endpoint" }));
    const dialog = await screen.findByRole("dialog", { name: "Add webhook endpoint" });
    await user.type(within(dialog).getByLabelText("URL"), "http://intranet.local/hook");
    await user.click(within(dialog).getByRole("checkbox", { name: "All events, including ones added later" }));
    await user.click(within(dialog).getByRole("button", { name: "Add endpoint" }));
    expect(await within(dialog).findByText(/resolves to a private address/)).toBeTruthy();
    expect(within(dialog).getByLabelText("URL").getAttribute("aria-invalid")).toBe("true");
  });

  it("edits an endpoint, sending only what changed", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/webhooks": page([lms]),
      [`PATCH /api/v1/webhooks/${lms.id}`]: { body: { ...lms, description: "LMS" } },
    });
    await renderWithProviders(<IntegrationsPage />, { queryClient: signedInAs() });
    const table = await screen.findByRole("table", { name: "Webhook endpoints" });
    await user.click(within(table).getByRole("button", { name: `Edit ${lms.url}` }));
    const dialog = await screen.findByRole("dialog", { name: "Edit webhook endpoint" });
    expect((within(dialog).getByRole("checkbox", { name: "deal.won" }) as HTMLInputElement).checked).toBe(true);
    const description = within(dialog).getByLabelText("Description (optional)");
    await user.clear(description);
    await user.type(description, "LMS");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ description: "LMS" });
  });

  it("turns endpoints off and on, sends a test event and opens the delivery log", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/webhooks": page([lms, gone]),
      [`PATCH /api/v1/webhooks/${lms.id}`]: { body: { ...lms, active: false } },
      [`PATCH /api/v1/webhooks/${gone.id}`]: { body: { ...gone, active: true, disabledReason: null } },
      [`POST /api/v1/webhooks/${lms.id}/test`]: {
        status: 202,
        body: { eventId: "0190f6c2-0000-7000-8000-0000000000b1", deliveryId: "0190f6c2-0000-7000-8000-0000000000c1" },
      },
      [`GET /api/v1/webhooks/${lms.id}/deliveries`]: page([]),
    });
    await renderWithProviders(withToasts(<IntegrationsPage />), { queryClient: signedInAs() });
    const table = await screen.findByRole("table", { name: "Webhook endpoints" });
    await user.click(within(table).getByRole("button", { name: `Turn off ${lms.url}` }));
    expect(await screen.findByText(`Turned off ${lms.url}.`)).toBeTruthy();
    await user.click(within(table).getByRole("button", { name: `Turn on ${gone.url}` }));
    expect(await screen.findByText(`Turned on ${gone.url}.`)).toBeTruthy();
    const patches = api.calls.filter((c) => c.method === "PATCH").map((c) => [c.path, c.body]);
    expect(patches).toEqual([
      [`/api/v1/webhooks/${lms.id}`, { active: false }],
      [`/api/v1/webhooks/${gone.id}`, { active: true }],
    ]);

    await user.click(within(table).getByRole("button", { name: `Send test to ${lms.url}` }));
    expect(await screen.findByText(/Sent a test event/)).toBeTruthy();
    expect(await screen.findByRole("heading", { name: `Delivery log: ${lms.url}` })).toBeTruthy();
  });

  it("rotates the secret after asking, and shows the new one once", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/webhooks": page([lms]),
      [`POST /api/v1/webhooks/${lms.id}/rotate-secret`]: { body: { ...lms, secret } },
    });
    await renderWithProviders(<IntegrationsPage />, { queryClient: signedInAs() });
    const table = await screen.findByRole("table", { name: "Webhook endpoints" });
    await user.click(within(table).getByRole("button", { name: `Rotate secret of ${lms.url}` }));
    const confirm = await screen.findByRole("dialog", { name: "Rotate the signing secret?" });
    expect(api.calls.some((c) => c.method === "POST")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Rotate secret" }));
    const shown = await screen.findByRole("dialog", { name: "Copy the new secret" });
    expect((within(shown).getByLabelText("Signing secret") as HTMLInputElement).value).toBe(secret);
  });

  it("deletes an endpoint after asking, with DELETE", async () => {
    const user = userEvent.setup();
    let isDeleted = false;
    const api = mockApi({
      "GET /api/v1/webhooks": () => page(isDeleted ? [] : [lms]),
      [`DELETE /api/v1/webhooks/${lms.id}`]: () => {
        isDeleted = true;
        return { status: 204 };
      },
    });
    await renderWithProviders(withToasts(<IntegrationsPage />), { queryClient: signedInAs() });
    const table = await screen.findByRole("table", { name: "Webhook endpoints" });
    await user.click(within(table).getByRole("button", { name: `Delete ${lms.url}` }));
    const confirm = await screen.findByRole("dialog", { name: "Delete this webhook endpoint?" });
    expect(api.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Delete endpoint" }));
    expect(await screen.findByText(`Deleted ${lms.url}.`)).toBeTruthy();
    expect(await screen.findByText("No webhook endpoints yet")).toBeTruthy();
  });
});
