import { render, screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { DataTable } from "./DataTable.tsx";
import type { DataColumn } from "./types.ts";

type Row = { id: string; version: number; name: string; phone: string | null; stage: string };
const ada: Row = { id: "r1", version: 3, name: "Ada", phone: "+44 1", stage: "new" };

const columns: DataColumn<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name },
  {
    key: "phone",
    header: "Phone",
    cell: (r) => r.phone ?? "—",
    edit: { input: "tel", value: (r) => r.phone ?? "", toChanges: (value) => ({ phone: value || null }) },
  },
  {
    key: "stage",
    header: "Stage",
    cell: (r) => r.stage,
    edit: {
      input: "select",
      value: (r) => r.stage,
      options: () => [
        { value: "new", label: "New" },
        { value: "won", label: "Won" },
      ],
      toChanges: (stage) => ({ stage }),
    },
  },
];

function renderTable(props: {
  rows?: Row[];
  onCellSave?: (row: Row, changes: Record<string, unknown>) => Promise<unknown>;
  canEditRow?: (row: Row) => boolean;
}) {
  const table = (rows: Row[]) => (
    <div style={{ height: 400, display: "flex" }}>
      <DataTable
        label="People"
        rows={rows}
        columns={columns}
        getRowId={(r) => r.id}
        sort=""
        onSortChange={() => {}}
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
        onCellSave={props.onCellSave ?? (() => Promise.resolve())}
        canEditRow={props.canEditRow}
        rowLabel={(r) => r.name}
      />
    </div>
  );
  const result = render(table(props.rows ?? [ada]));
  return { ...result, rerenderRows: (rows: Row[]) => result.rerender(table(rows)) };
}

/** The phone cell's text, where a double-click lands. */
const phoneCell = () => screen.getByRole("button", { name: "Edit Phone of Ada" }).previousElementSibling as HTMLElement;

describe("editing a cell in place", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  });

  it("opens on double-click, saves on Enter with the row it began from, and Escape cancels", async () => {
    const user = userEvent.setup();
    const onCellSave = vi.fn(() => Promise.resolve());
    renderTable({ onCellSave });

    await user.dblClick(phoneCell());
    const input = screen.getByRole("textbox", { name: "Phone of Ada" });
    expect(document.activeElement).toBe(input);
    expect((input as HTMLInputElement).value).toBe("+44 1");
    await user.clear(input);
    await user.type(input, "+44 2{Enter}");
    expect(onCellSave).toHaveBeenCalledWith(ada, { phone: "+44 2" });
    expect(screen.queryByRole("textbox", { name: "Phone of Ada" })).toBeNull();
    // Focus is back on the cell's edit button.
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Edit Phone of Ada" }));

    // Enter on the edit button opens it too; Escape leaves without saving.
    await user.keyboard("{Enter}");
    await user.type(screen.getByRole("textbox", { name: "Phone of Ada" }), "999{Escape}");
    expect(screen.queryByRole("textbox", { name: "Phone of Ada" })).toBeNull();
    expect(onCellSave).toHaveBeenCalledTimes(1);
  });

  it("saves a choice with Enter on the select", async () => {
    const user = userEvent.setup();
    const onCellSave = vi.fn(() => Promise.resolve());
    renderTable({ onCellSave });
    await user.click(screen.getByRole("button", { name: "Edit Stage of Ada" }));
    const select = screen.getByRole("combobox", { name: "Stage of Ada" });
    await user.selectOptions(select, "won");
    await user.type(select, "{Enter}");
    expect(onCellSave).toHaveBeenCalledWith(ada, { stage: "won" });
  });

  it("reports a refused save in the cell, keeps the draft, and saves again onto the row as now shown", async () => {
    const user = userEvent.setup();
    const onCellSave = vi
      .fn<(row: Row, changes: Record<string, unknown>) => Promise<unknown>>()
      .mockRejectedValueOnce(new Error("Someone else changed this contact meanwhile."))
      .mockResolvedValueOnce(undefined);
    const { rerenderRows } = renderTable({ onCellSave });

    await user.dblClick(phoneCell());
    const input = screen.getByRole("textbox", { name: "Phone of Ada" });
    await user.clear(input);
    await user.type(input, "+44 3{Enter}");
    expect(screen.getByRole("alert").textContent).toBe("Someone else changed this contact meanwhile.");
    expect((input as HTMLInputElement).value).toBe("+44 3");
    expect(input.getAttribute("aria-invalid")).toBe("true");

    // The list reloads the other person's version; saving again is based on it.
    const newer = { ...ada, version: 4, phone: "+44 9" };
    rerenderRows([newer]);
    await user.type(screen.getByRole("textbox", { name: "Phone of Ada" }), "{Enter}");
    expect(onCellSave).toHaveBeenLastCalledWith(newer, { phone: "+44 3" });
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says a refused value in words naming the column, and describes the input with it", async () => {
    const user = userEvent.setup();
    const onCellSave = vi.fn(() => Promise.reject(new Error("Must be a phone number, like +49 30 1234567")));
    renderTable({ onCellSave });

    await user.dblClick(phoneCell());
    const input = screen.getByRole("textbox", { name: "Phone of Ada" });
    await user.type(input, "abc{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Phone must be a phone number, like +49 30 1234567");
    expect(input.getAttribute("aria-describedby")).toBe(alert.id);
    expect(alert.id).not.toBe("");
  });

  it("speaks German", async () => {
    await setLanguage("de");
    const user = userEvent.setup();
    renderTable({ onCellSave: () => Promise.reject(new Error("Must be a phone number, like +49 30 1234567")) });
    await user.click(screen.getByRole("button", { name: "Phone von Ada bearbeiten" }));
    await user.type(screen.getByRole("textbox", { name: "Phone von Ada" }), "x{Enter}");
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Phone muss eine Telefonnummer sein, z. B. +49 30 1234567",
    );
    expect(screen.getByRole("button", { name: "Phone von Ada speichern" })).toBeTruthy();
  });

  it("offers no edit to whom may not edit the row", async () => {
    const user = userEvent.setup();
    const onCellSave = vi.fn(() => Promise.resolve());
    renderTable({ onCellSave, canEditRow: () => false });
    expect(screen.queryByRole("button", { name: /^Edit / })).toBeNull();
    const row = screen.getAllByRole("row")[1] as HTMLElement;
    await user.dblClick(within(row).getByText("+44 1"));
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});
