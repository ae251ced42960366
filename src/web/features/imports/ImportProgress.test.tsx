import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { ImportProgress } from "./ImportProgress.tsx";
import type { ImportRow } from "./imports.api.ts";

const id = "0190f6c2-0000-7000-8000-0000000000a1";

/** An import of contacts, as GET /imports/:id answers it; `changes` sets its status and counts. */
function importRow(changes: Partial<ImportRow> = {}): ImportRow {
  return {
    id,
    resource: "contacts",
    status: "completed",
    fileName: "people.csv",
    sizeBytes: 2048,
    format: "csv",
    delimiter: ",",
    encoding: "utf-8",
    columns: ["First name", "E-mail"],
    mapping: { "First name": "firstName", "E-mail": "email" },
    onDuplicate: "update",
    options: {},
    rowsTotal: 20,
    rowsDone: 20,
    rowsPerSecond: null,
    eta: null,
    created: 12,
    updated: 3,
    skipped: 5,
    failed: 0,
    dryRun: null,
    createdBy: "0190f6c2-0000-7000-8000-0000000000e1",
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:01:00.000Z",
    startedAt: "2026-03-01T10:00:05.000Z",
    finishedAt: "2026-03-01T10:01:00.000Z",
    errorSummary: null,
    ...changes,
  };
}

describe("ImportProgress", () => {
  it("asks before undoing, saying how many records go to the trash and how many get their values back", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      [`POST /api/v1/imports/${id}/undo`]: { body: importRow({ status: "undone" }) },
      "GET /api/v1/imports": { body: { data: [], nextCursor: null } },
      [`GET /api/v1/imports/${id}`]: { body: importRow({ status: "undone" }) },
    });
    await renderWithProviders(<ImportProgress row={importRow()} canUndo />);

    await user.click(screen.getByRole("button", { name: "Undo import" }));
    const dialog = await screen.findByRole("dialog", { name: "Undo the import of “people.csv”?" });
    expect(dialog.textContent).toContain(
      "The 12 records it created move to the trash. The 3 records it updated get back the values they had before.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Keep the import" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(api.calls.filter((call) => call.method === "POST")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Undo import" }));
    const again = await screen.findByRole("dialog", { name: "Undo the import of “people.csv”?" });
    await user.click(within(again).getByRole("button", { name: "Undo import" }));
    await waitFor(() =>
      expect(api.calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
        `/api/v1/imports/${id}/undo`,
      ]),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("says so when the import changed no records", async () => {
    const user = userEvent.setup();
    mockApi({});
    await renderWithProviders(<ImportProgress row={importRow({ created: 0, updated: 0 })} canUndo />);
    await user.click(screen.getByRole("button", { name: "Undo import" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("It created and updated no records");
  });

  it("asks before cancelling a running import; keeping it on sends nothing", async () => {
    const user = userEvent.setup();
    const running = importRow({ status: "running", rowsDone: 8, created: 6, updated: 2, finishedAt: null });
    const api = mockApi({
      [`POST /api/v1/imports/${id}/cancel`]: { body: { ...running, status: "cancelled" } },
      "GET /api/v1/imports": { body: { data: [], nextCursor: null } },
      [`GET /api/v1/imports/${id}`]: { body: { ...running, status: "cancelled" } },
    });
    await renderWithProviders(<ImportProgress row={running} canUndo />);

    await user.click(screen.getByRole("button", { name: "Cancel import" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel the import of “people.csv”?" });
    expect(dialog.textContent).toContain("What it imported so far (6 created, 2 updated) stays");
    await user.click(within(dialog).getByRole("button", { name: "Keep importing" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(api.calls.filter((call) => call.method === "POST")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Cancel import" }));
    const again = await screen.findByRole("dialog", { name: "Cancel the import of “people.csv”?" });
    await user.click(within(again).getByRole("button", { name: "Cancel import" }));
    await waitFor(() =>
      expect(api.calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
        `/api/v1/imports/${id}/cancel`,
      ]),
    );
  });
});
