import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, signedInAs, testMember } from "../../test/render.tsx";
import type { BulkOperationRow } from "./bulk-operations.api.ts";
import { BulkOperationsPage } from "./BulkOperationsPage.tsx";
import { settingsPagesFor } from "./settings-pages.ts";

const me = testMember.user;

const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
const assigned: BulkOperationRow = {
  operationId: "0190f6c2-0000-7000-8000-0000000000a1",
  status: "completed",
  resource: "contacts",
  action: "assign",
  matched: 1200,
  done: 1200,
  updated: 1198,
  refusedCount: 2,
  refused: [],
  createdBy: me.id,
  createdAt: "2026-03-02T10:00:00.000Z",
  finishedAt: "2026-03-02T10:00:09.000Z",
  undoableUntil: inAnHour,
  error: null,
};
const undone: BulkOperationRow = {
  ...assigned,
  operationId: "0190f6c2-0000-7000-8000-0000000000a2",
  resource: "deals",
  action: "delete",
  status: "undone",
  undoableUntil: null,
  refusedCount: 0,
};
const expired: BulkOperationRow = {
  ...assigned,
  operationId: "0190f6c2-0000-7000-8000-0000000000a3",
  action: "addTags",
  undoableUntil: "2026-03-03T10:00:00.000Z",
};
const running: BulkOperationRow = {
  ...assigned,
  operationId: "0190f6c2-0000-7000-8000-0000000000a4",
  status: "running",
  done: 300,
  updated: 300,
  refusedCount: 0,
};

const members = { data: [{ id: me.id, email: me.email, name: "Ada Admin", role: "admin" }], nextCursor: null };

describe("BulkOperationsPage", () => {
  it("lists each bulk change with what, who, counts and status; Undo only while it can be undone", async () => {
    mockApi({
      "GET /api/v1/bulk-operations": { body: { data: [running, assigned, undone, expired], nextCursor: null } },
      "GET /api/v1/users": { body: members },
    });
    await renderWithProviders(<BulkOperationsPage />, { queryClient: signedInAs() });
    const list = await screen.findByRole("list", { name: "Bulk changes" });
    const [first, second, third, fourth] = within(list).getAllByRole("listitem") as HTMLElement[];
    expect(first!.textContent).toContain("Assigned an owner · Contacts");
    expect(first!.textContent).toContain("300 of 1,200 records done");
    expect(within(first!).queryByRole("button", { name: /^Undo/ })).toBeNull();
    expect(second!.textContent).toContain("1,198 of 1,200 records changed. 2 left as they were.");
    expect(second!.textContent).toContain("Completed");
    await waitFor(() => expect(second!.textContent).toContain("By Ada Admin"));
    expect(within(second!).getByRole("button", { name: /^Undo “Assigned an owner · Contacts”/ })).toBeTruthy();
    expect(third!.textContent).toContain("Deleted · Deals");
    expect(third!.textContent).toContain("Undone");
    expect(within(third!).queryByRole("button", { name: /^Undo/ })).toBeNull();
    // Past its 24 hours: no Undo.
    expect(fourth!.textContent).toContain("Added tags · Contacts");
    expect(within(fourth!).queryByRole("button", { name: /^Undo/ })).toBeNull();
  });

  it("asks before undoing, then undoes with POST and says what went back", async () => {
    const user = userEvent.setup();
    let isUndone = false;
    const api = mockApi({
      "GET /api/v1/bulk-operations": () => ({
        body: {
          data: [isUndone ? { ...assigned, status: "undone", undoableUntil: null } : assigned],
          nextCursor: null,
        },
      }),
      "GET /api/v1/users": { body: members },
      [`POST /api/v1/bulk-operations/${assigned.operationId}/undo`]: () => {
        isUndone = true;
        return {
          body: { operationId: assigned.operationId, status: "undone", reverted: 1197, refusedCount: 1, refused: [] },
        };
      },
    });
    await renderWithProviders(
      <>
        <BulkOperationsPage />
        <Toaster />
      </>,
      { queryClient: signedInAs("agent") },
    );
    await user.click(await screen.findByRole("button", { name: /^Undo “Assigned an owner/ }));
    const dialog = await screen.findByRole("dialog", { name: "Undo this bulk change?" });
    expect(dialog.textContent).toContain("The 1,198 records it changed go back to how they were before.");
    expect(api.calls.some((call) => call.method === "POST")).toBe(false);
    await user.click(within(dialog).getByRole("button", { name: "Undo" }));

    expect(await screen.findByText("Undone: 1,197 put back, 1 changed since and left as they are.")).toBeTruthy();
    expect(api.calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
      `/api/v1/bulk-operations/${assigned.operationId}/undo`,
    ]);
    await waitFor(() => expect(screen.queryByRole("button", { name: /^Undo “/ })).toBeNull());
  });

  it("is listed in settings for roles that change records, not for viewers", () => {
    const listed = (role: "admin" | "manager" | "agent" | "viewer") =>
      settingsPagesFor(role).some((page) => page.to === "/settings/bulk-operations");
    expect(listed("admin")).toBe(true);
    expect(listed("manager")).toBe(true);
    expect(listed("agent")).toBe(true);
    expect(listed("viewer")).toBe(false);
  });
});
