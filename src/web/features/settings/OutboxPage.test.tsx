import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { OutboxRow } from "./outbox.api.ts";
import { OutboxPage } from "./OutboxPage.tsx";

const workspace = { id: "0190f6c2-0000-7000-8000-0000000000f1", name: "Acme" };

function signedIn(role: "admin" | "manager") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" },
    workspaces: [{ ...workspace, role }],
    activeWorkspaceId: workspace.id,
    role,
  });
  return queryClient;
}

const reset: OutboxRow = {
  id: "0190f6c2-0000-7000-8000-0000000000m1",
  to: "grace@example.com",
  subject: "Reset your Keel password",
  text: "Someone asked to reset your password.\n\nhttps://keel.example.com/reset-password?token=abc\n",
  html: null,
  createdAt: "2026-03-02T10:00:00.000Z",
};

describe("OutboxPage", () => {
  it("lists the kept messages and opens one to read its text", async () => {
    const user = userEvent.setup();
    mockApi({ "GET /api/v1/admin/outbox": { body: { data: [reset] } } });
    await renderWithProviders(<OutboxPage />, { queryClient: signedIn("admin") });
    expect(screen.getByText(/While no SMTP server is configured/)).toBeTruthy();
    const list = await screen.findByRole("list", { name: "Messages" });
    const item = within(list).getByRole("button", { name: /Reset your Keel password/ });
    expect(item.textContent).toContain("grace@example.com");
    await user.click(item);
    const dialog = await screen.findByRole("dialog", { name: "Reset your Keel password" });
    expect(within(dialog).getByRole("region", { name: "Message text" }).textContent).toContain(
      "https://keel.example.com/reset-password?token=abc",
    );
  });

  it("asks nothing of the server for a role that may not read it", async () => {
    const api = mockApi({});
    await renderWithProviders(<OutboxPage />, { queryClient: signedIn("manager") });
    expect(screen.getByText("Only admins read the mail outbox.")).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });
});
