import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { AuditRow } from "./audit.api.ts";
import { AuditLogPage } from "./AuditLogPage.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada Lovelace" };
const dealId = "0190f6c2-0000-7000-8000-0000000000d1";

function signedIn() {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: me,
    workspaces: [],
    activeWorkspaceId: "0190f6c2-0000-7000-8000-0000000000f1",
    role: "admin",
  });
  return queryClient;
}

const updated: AuditRow = {
  id: "0190f6c2-0000-7000-8000-00000000a002",
  occurredAt: "2026-03-02T10:00:00.000Z",
  actor: { type: "apiKey", id: "0190f6c2-0000-7000-8000-0000000000k1", name: "Zapier", onBehalfOf: me.id },
  action: "deal.updated",
  resourceType: "deal",
  resourceId: dealId,
  changes: {
    name: ["Big deal", "Bigger deal"],
    tags: [
      ["renewal", "q1"],
      ["renewal", "q2", "priority"],
    ],
    value: [
      { amount: "1250.00", currency: "EUR" },
      { amount: "1500.00", currency: "EUR" },
    ],
    expectedCloseDate: [null, "2026-04-30"],
    notes: ["[masked]", "[masked]"],
  },
  details: { via: "bulk update" },
  ipAddress: "203.0.113.7",
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
  requestId: "0190f6c2-req",
  sealed: true,
};
const created: AuditRow = {
  ...updated,
  id: "0190f6c2-0000-7000-8000-00000000a001",
  occurredAt: "2026-03-01T09:00:00.000Z",
  actor: { type: "user", id: me.id, name: me.name, onBehalfOf: null },
  action: "deal.created",
  changes: null,
  details: null,
  sealed: false,
};

async function openDiff() {
  const user = userEvent.setup();
  mockApi({
    "GET /api/v1/users": {
      body: { data: [{ ...me, role: "admin", joinedAt: "2026-01-01T00:00:00.000Z" }], nextCursor: null },
    },
    "GET /api/v1/audit-logs": { body: { data: [updated, created], nextCursor: null } },
  });
  await renderWithProviders(<AuditLogPage />, { queryClient: signedIn(), url: "/admin/audit-logs" });
  const table = await screen.findByRole("table", { name: "Audit log entries, newest first" });
  const [, row] = within(table).getAllByRole("row") as [HTMLElement, HTMLElement];
  await user.click(within(row).getByRole("button", { name: /^Details/ }));
  return { user, dialog: await screen.findByRole("dialog", { name: "Deal updated" }) };
}

function cellsOf(table: HTMLElement, field: string): [HTMLElement, HTMLElement] {
  const row = within(table)
    .getByRole("rowheader", { name: new RegExp(`^${field}`) })
    .closest("tr");
  if (!row) throw new Error(`No row for ${field}`);
  return within(row).getAllByRole("cell") as [HTMLElement, HTMLElement];
}

describe("AuditEntryDialog", () => {
  it("shows the changes side by side: field | old | new, what changed highlighted", async () => {
    const { dialog } = await openDiff();
    const diff = within(dialog).getByRole("table", { name: "Field changes" });
    const headers = within(diff)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Field", "Old value", "New value"]);

    const [oldName, newName] = cellsOf(diff, "Name");
    expect(oldName.querySelector("del")?.textContent).toBe("Big deal");
    expect(newName.querySelector("ins")?.textContent).toBe("Bigger deal");

    // A list: the items kept are plain, the one removed and the ones added are marked.
    const [oldTags, newTags] = cellsOf(diff, "Tags");
    expect(oldTags.textContent).toContain('"renewal"');
    expect(Array.from(oldTags.querySelectorAll("del")).map((d) => d.textContent)).toEqual(['  "q1" (removed)']);
    expect(Array.from(newTags.querySelectorAll("ins")).map((d) => d.textContent)).toEqual([
      '  "q2", (added)',
      '  "priority" (added)',
    ]);

    // JSON objects are pretty-printed, one member a line; only the changed member is marked.
    const [oldValue, newValue] = cellsOf(diff, "Value");
    expect(oldValue.querySelector("pre")?.textContent).toContain('"amount": "1250.00"');
    expect(Array.from(newValue.querySelectorAll("ins")).map((d) => d.textContent)).toEqual([
      '  "amount": "1500.00", (added)',
    ]);
    expect(newValue.textContent).toContain('"currency": "EUR"');

    const [oldDate, newDate] = cellsOf(diff, "Expected close date");
    expect(oldDate.textContent).toBe("empty");
    expect(newDate.textContent).toBe("2026-04-30");
    const [oldNotes, newNotes] = cellsOf(diff, "Notes");
    expect(oldNotes.textContent).toBe("(masked)");
    expect(newNotes.textContent).toBe("(masked)");
  });

  it("shows who, from where and which request, whether it is sealed, and other details", async () => {
    const { dialog } = await openDiff();
    const text = dialog.textContent ?? "";
    expect(text).toContain("API key Zapier");
    expect(text).toContain("acting for Ada Lovelace");
    expect(text).toContain("deal.updated");
    expect(text).toContain("203.0.113.7");
    expect(text).toContain("Firefox on Windows");
    expect(text).toContain("0190f6c2-req");
    expect(text).toContain("hash chain");
    expect(
      within(dialog)
        .getByRole("link", { name: new RegExp(dealId) })
        .getAttribute("href"),
    ).toBe(`/deals/${dealId}`);
    expect(within(within(dialog).getByRole("region", { name: "Other details" })).getByText("bulk update")).toBeTruthy();
  });

  it("steps to older and newer entries and closes with Escape, by keyboard", async () => {
    const { user, dialog } = await openDiff();
    expect(within(dialog).getByRole("button", { name: "← Newer entry" }).hasAttribute("disabled")).toBe(true);
    within(dialog).getByRole("button", { name: "Older entry →" }).focus();
    await user.keyboard("{Enter}");
    const older = await screen.findByRole("dialog", { name: "Deal created" });
    expect(older.textContent).toContain("No field changes recorded with this entry.");
    expect(older.textContent).toContain("Not yet");
    expect(within(older).getByRole("button", { name: "Older entry →" }).hasAttribute("disabled")).toBe(true);
    await user.click(within(older).getByRole("button", { name: "← Newer entry" }));
    await screen.findByRole("dialog", { name: "Deal updated" });
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
