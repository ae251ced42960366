import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { browserFormats, setFormatPreferences } from "../../lib/format.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import { DealForm } from "./DealForm.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" };
const workspaceId = "0190f6c2-0000-7000-8000-0000000000f1";

function signedIn() {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], { user: me, workspaces: [], activeWorkspaceId: workspaceId, role: "admin" });
  queryClient.setQueryData(["workspace"], { id: workspaceId, baseCurrency: "CHF", dealLostReasons: [] });
  return queryClient;
}

describe("DealForm currency", () => {
  it("is a list of currencies, blank meaning the workspace's, and sends the code picked", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/pipelines": { body: { data: [], nextCursor: null } },
      "GET /api/v1/users": { body: { data: [me], nextCursor: null } },
      "POST /api/v1/deals": { status: 201, body: { id: "0190f6c2-0000-7000-8000-0000000000d1", name: "Renewal" } },
    });
    await renderWithProviders(<DealForm onDone={vi.fn()} onCancel={vi.fn()} />, { queryClient: signedIn() });

    const currency = screen.getByRole("combobox", { name: "Currency" });
    expect(screen.getByRole("option", { name: "Workspace currency (CHF)" })).toBeTruthy();
    expect(screen.getByRole("option", { name: /^EUR — / })).toBeTruthy();
    // Free text is no longer possible: only codes Intl knows are offered.
    expect(screen.queryByRole("option", { name: /^EURO/ })).toBeNull();

    await user.type(screen.getByLabelText("Name"), "Renewal");
    await user.selectOptions(currency, "EUR");
    await user.click(screen.getByRole("button", { name: "Create deal" }));
    await vi.waitFor(() => expect(api.calls.some((c) => c.method === "POST")).toBe(true));
    expect(api.calls.find((c) => c.method === "POST")?.body).toMatchObject({ name: "Renewal", currency: "EUR" });
  });
});

describe("DealForm value", () => {
  it("takes the value with the workspace's grouping and sends it as a plain decimal", async () => {
    const user = userEvent.setup();
    setFormatPreferences({ ...browserFormats, numberFormat: "1.234,56" });
    try {
      const api = mockApi({
        "GET /api/v1/pipelines": { body: { data: [], nextCursor: null } },
        "GET /api/v1/users": { body: { data: [me], nextCursor: null } },
        "POST /api/v1/deals": { status: 201, body: { id: "0190f6c2-0000-7000-8000-0000000000d2", name: "Grant" } },
      });
      await renderWithProviders(<DealForm onDone={vi.fn()} onCancel={vi.fn()} />, { queryClient: signedIn() });
      await user.type(screen.getByLabelText("Name"), "Grant");
      await user.clear(screen.getByLabelText("Value"));
      await user.type(screen.getByLabelText("Value"), "12.500,50");
      await user.click(screen.getByRole("button", { name: "Create deal" }));
      await vi.waitFor(() => expect(api.calls.some((c) => c.method === "POST")).toBe(true));
      expect(api.calls.find((c) => c.method === "POST")?.body).toMatchObject({ name: "Grant", value: "12500.50" });
    } finally {
      setFormatPreferences(browserFormats);
    }
  });
});
