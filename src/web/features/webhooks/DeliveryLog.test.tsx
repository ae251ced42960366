import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import { DeliveryLog } from "./DeliveryLog.tsx";
import type { DeliveryRow, WebhookRow } from "./webhooks.api.ts";

const endpoint: WebhookRow = {
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  url: "https://lms-bridge.example.edu/keel",
  description: null,
  events: ["*"],
  active: true,
  disabledReason: null,
  failingSince: "2026-03-02T09:00:00.000Z",
  createdBy: "0190f6c2-0000-7000-8000-0000000000e1",
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
};

const failed: DeliveryRow = {
  id: "0195a3c9-5e6f-7a80-9b1c-2d3e4f5a6b71",
  eventId: "0195a3c9-5e6f-7a80-9b1c-2d3e4f5a6b7c",
  eventType: "deal.won",
  attempt: 2,
  status: "failed",
  responseCode: 503,
  durationMs: 1840,
  responseExcerpt: "Service unavailable: the LMS is being upgraded",
  error: "HTTP 503",
  nextAttemptAt: "2026-03-02T09:04:00.000Z",
  createdAt: "2026-03-02T09:02:00.000Z",
};
const delivered: DeliveryRow = {
  ...failed,
  id: "0195a3c9-5e6f-7a80-9b1c-2d3e4f5a6b72",
  eventType: "contact.created",
  attempt: 1,
  status: "delivered",
  responseCode: 204,
  durationMs: 85,
  responseExcerpt: null,
  error: null,
  nextAttemptAt: null,
};
const timedOut: DeliveryRow = {
  ...failed,
  id: "0195a3c9-5e6f-7a80-9b1c-2d3e4f5a6b73",
  attempt: 1,
  responseCode: null,
  durationMs: 15_000,
  responseExcerpt: null,
  error: "timeout",
};

const deliveriesPath = `GET /api/v1/webhooks/${endpoint.id}/deliveries`;

function render(webhook = endpoint) {
  return renderWithProviders(
    <>
      <DeliveryLog webhook={webhook} canRetry />
      <Toaster />
    </>,
    { queryClient: testQueryClient() },
  );
}

describe("DeliveryLog", () => {
  it("shows each attempt: event, attempt, outcome, status code and duration, error, next attempt, response", async () => {
    mockApi({ [deliveriesPath]: { body: { data: [failed, delivered, timedOut], nextCursor: null } } });
    await render();
    const table = await screen.findByRole("table", { name: "Delivery attempts" });
    const [, first, second, third] = within(table).getAllByRole("row") as HTMLElement[];
    expect(first!.textContent).toContain("deal.won");
    expect(first!.textContent).toContain(failed.eventId);
    expect(first!.textContent).toContain("Failed");
    expect(first!.textContent).toContain("HTTP 503 in 1.8 s");
    expect(first!.textContent).toContain("Next attempt");
    expect(first!.textContent).toContain("Service unavailable: the LMS is being upgraded");
    expect(second!.textContent).toContain("Delivered");
    expect(second!.textContent).toContain("HTTP 204 in 85 ms");
    expect(third!.textContent).toContain("No answer (15.0 s)");
    expect(third!.textContent).toContain("timeout");
    expect(within(table).getAllByRole("button", { name: /^Retry / })).toHaveLength(3);
  });

  it("speaks German, keeping event types as the codes they are", async () => {
    mockApi({ [deliveriesPath]: { body: { data: [failed, timedOut], nextCursor: null } } });
    await setLanguage("de");
    await render();
    const table = await screen.findByRole("table", { name: "Zustellversuche" });
    const [, first, second] = within(table).getAllByRole("row") as HTMLElement[];
    expect(first!.textContent).toContain("deal.won");
    expect(first!.textContent).toContain("Fehlgeschlagen");
    expect(first!.textContent).toContain("HTTP 503 in 1,8 s");
    expect(first!.textContent).toContain("Nächster Versuch");
    expect(second!.textContent).toContain("Keine Antwort (15,0 s)");
    expect(within(table).getByRole("button", { name: "deal.won erneut senden (Versuch 2)" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: `Zustellprotokoll: ${endpoint.url}` })).toBeTruthy();
    expect(screen.getByLabelText("Ergebnis")).toBeTruthy();
  });

  it("filters by outcome and event type, asking the server", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      [deliveriesPath]: ({ url }) => {
        const status = url.searchParams.get("status");
        const eventType = url.searchParams.get("eventType");
        const data = [failed, delivered].filter(
          (attempt) => (!status || attempt.status === status) && (!eventType || attempt.eventType === eventType),
        );
        return { body: { data, nextCursor: null } };
      },
    });
    await render();
    await screen.findByRole("table", { name: "Delivery attempts" });
    await user.selectOptions(screen.getByLabelText("Outcome"), "failed");
    await waitFor(() => expect(screen.getAllByRole("row")).toHaveLength(2));
    await user.selectOptions(screen.getByLabelText("Event type"), "contact.created");
    expect(await screen.findByText("No attempts match these filters")).toBeTruthy();
    const last = api.calls.at(-1)!.url.searchParams;
    expect([last.get("status"), last.get("eventType")]).toEqual(["failed", "contact.created"]);
  });

  it("retries an attempt with POST and says so", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      [deliveriesPath]: { body: { data: [failed], nextCursor: null } },
      [`POST /api/v1/webhook-deliveries/${failed.id}/retry`]: {
        status: 202,
        body: { eventId: failed.eventId, deliveryId: "0195a3c9-5e6f-7a80-9b1c-2d3e4f5a6b79" },
      },
    });
    await render();
    const table = await screen.findByRole("table", { name: "Delivery attempts" });
    await user.click(within(table).getByRole("button", { name: "Retry deal.won (attempt 2)" }));
    expect(await screen.findByText("Sending deal.won again: the new attempt shows here shortly.")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual([
      `/api/v1/webhook-deliveries/${failed.id}/retry`,
    ]);
  });

  it("offers no retry while the endpoint is off", async () => {
    mockApi({ [deliveriesPath]: { body: { data: [failed], nextCursor: null } } });
    await render({ ...endpoint, active: false });
    const table = await screen.findByRole("table", { name: "Delivery attempts" });
    expect(within(table).queryByRole("button", { name: /^Retry / })).toBeNull();
  });
});
