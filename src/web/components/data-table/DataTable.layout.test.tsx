import { fireEvent, render, screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ColumnWidths } from "./column-widths.ts";
import { DataTable } from "./DataTable.tsx";
import type { DataColumn } from "./types.ts";

type Row = { id: string; name: string; city: string };
const rows: Row[] = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, name: `Name ${i}`, city: `City ${i}` }));
const columns: DataColumn<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name, sortField: "name", width: "15rem" },
  { key: "city", header: "City", cell: (r) => r.city },
  { key: "notes", header: "Notes", cell: () => "—", isHiddenByDefault: true },
];

function Harness(props: { initialWidths?: ColumnWidths; onWidths?: (widths: ColumnWidths) => void }) {
  const [widths, setWidths] = useState<ColumnWidths>(props.initialWidths ?? {});
  return (
    <DataTable
      label="People"
      rows={rows}
      columns={columns}
      getRowId={(r) => r.id}
      sort="name"
      onSortChange={() => {}}
      hiddenColumns={["notes"]}
      selection={{}}
      onSelectionChange={() => {}}
      hasMore={false}
      isLoadingMore={false}
      onLoadMore={() => {}}
      columnWidths={widths}
      onColumnWidthsChange={(next) => {
        setWidths(next);
        props.onWidths?.(next);
      }}
    />
  );
}

const setWidth = (width: number) =>
  (
    window as unknown as { happyDOM: { setViewport: (v: { width: number; height: number }) => void } }
  ).happyDOM.setViewport({ width, height: 800 });

describe("DataTable columns", () => {
  beforeEach(() => {
    setWidth(1280);
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  });
  afterEach(() => setWidth(1024));

  it("resizes a column from the keyboard on its header's edge, within bounds, and reports the widths", async () => {
    const user = userEvent.setup();
    const onWidths = vi.fn();
    render(<Harness onWidths={onWidths} />);
    const edge = screen.getByRole("separator", { name: "Resize column City" });
    // The default width (10rem), and the column's own for Name (15rem).
    expect(edge.getAttribute("aria-valuenow")).toBe("160");
    expect(screen.getByRole("separator", { name: "Resize column Name" }).getAttribute("aria-valuenow")).toBe("240");

    edge.focus();
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(edge.getAttribute("aria-valuenow")).toBe("192");
    expect(onWidths).toHaveBeenLastCalledWith({ city: 192 });
    await user.keyboard("{Shift>}{ArrowLeft}{/Shift}");
    expect(edge.getAttribute("aria-valuenow")).toBe("128");
    await user.keyboard("{Home}");
    expect(edge.getAttribute("aria-valuenow")).toBe("64");
    await user.keyboard("{ArrowLeft}");
    expect(edge.getAttribute("aria-valuenow")).toBe("64");

    // The header and the table follow: selection column (40) + Name (240) + City (64).
    expect(screen.getByRole("columnheader", { name: "City" }).style.width).toBe("64px");
    expect(screen.getByRole("table", { name: "People" }).style.width).toBe("344px");
  });

  it("resizes by dragging the edge", () => {
    render(<Harness initialWidths={{ city: 200 }} />);
    const edge = screen.getByRole("separator", { name: "Resize column City" });
    expect(edge.getAttribute("aria-valuenow")).toBe("200");
    edge.setPointerCapture = () => {};
    edge.hasPointerCapture = () => true;
    edge.releasePointerCapture = () => {};
    fireEvent.pointerDown(edge, { clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(edge, { clientX: 570, pointerId: 1 });
    expect(edge.getAttribute("aria-valuenow")).toBe("270");
    fireEvent.pointerUp(edge, { clientX: 570, pointerId: 1 });
    fireEvent.pointerMove(edge, { clientX: 700, pointerId: 1 });
    expect(edge.getAttribute("aria-valuenow")).toBe("270");
  });

  it("keeps the first column (after the selection boxes) stuck to the left edge", () => {
    render(<Harness />);
    const header = screen.getByRole("columnheader", { name: "Name" });
    expect(header.className).toContain("sticky");
    expect(header.style.left).toBe("40px");
    const firstCell = within(screen.getAllByRole("row")[1] as HTMLElement).getAllByRole("cell")[1] as HTMLElement;
    expect(firstCell.textContent).toBe("Name 0");
    expect(firstCell.className).toContain("sticky");
    expect(screen.getByRole("columnheader", { name: "City" }).className).not.toContain("sticky");
  });

  it("shows cards instead of a table on a phone, each value under its column's name", () => {
    setWidth(375);
    render(<Harness />);
    expect(screen.queryByRole("table")).toBeNull();
    const list = screen.getByRole("list", { name: "People" });
    const cards = within(list).getAllByRole("listitem");
    expect(cards).toHaveLength(5);
    const first = cards[0] as HTMLElement;
    expect(within(first).getByText("Name 0")).toBeTruthy();
    expect(within(first).getByText("City").tagName).toBe("DT");
    expect(within(first).getByText("City 0").tagName).toBe("DD");
    // Hidden columns stay hidden on cards too.
    expect(within(first).queryByText("Notes")).toBeNull();
    expect(within(first).getByRole("checkbox", { name: "Select row 1" })).toBeTruthy();
  });
});
