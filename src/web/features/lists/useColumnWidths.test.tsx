import { fireEvent, render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DataTable } from "../../components/data-table/DataTable.tsx";
import type { DataColumn } from "../../components/data-table/types.ts";
import { useColumnWidths } from "./useColumnWidths.ts";

type Row = { id: string; name: string };
const columns: DataColumn<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name },
  { key: "city", header: "City", cell: () => "—" },
];

function Companies() {
  const [widths, setWidths] = useColumnWidths(
    "companies",
    columns.map((c) => c.key),
  );
  return (
    <DataTable
      label="Companies"
      rows={[{ id: "r1", name: "Acme" }]}
      columns={columns}
      getRowId={(r) => r.id}
      sort=""
      onSortChange={() => {}}
      hasMore={false}
      isLoadingMore={false}
      onLoadMore={() => {}}
      columnWidths={widths}
      onColumnWidthsChange={setWidths}
    />
  );
}

describe("useColumnWidths", () => {
  beforeEach(() => {
    localStorage.clear();
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
  });

  it("remembers a list's column widths when the list is opened again, ignoring damaged entries", async () => {
    const user = userEvent.setup();
    const first = render(<Companies />);
    screen.getByRole("separator", { name: "Resize column City" }).focus();
    await user.keyboard("{ArrowRight}");
    first.unmount();

    render(<Companies />);
    expect(screen.getByRole("separator", { name: "Resize column City" }).getAttribute("aria-valuenow")).toBe("176");
    expect(JSON.parse(localStorage.getItem("keel-column-widths-companies") ?? "{}")).toEqual({ city: 176 });
  });

  it("keeps a dragged width on screen as it moves and stores it once, when the drag ends", () => {
    render(<Companies />);
    const edge = screen.getByRole("separator", { name: "Resize column City" });
    edge.setPointerCapture = () => {};
    edge.hasPointerCapture = () => true;
    edge.releasePointerCapture = () => {};
    fireEvent.pointerDown(edge, { clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(edge, { clientX: 520, pointerId: 1 });
    fireEvent.pointerMove(edge, { clientX: 540, pointerId: 1 });
    fireEvent.pointerMove(edge, { clientX: 560, pointerId: 1 });
    expect(edge.getAttribute("aria-valuenow")).toBe("220");
    expect(localStorage.getItem("keel-column-widths-companies")).toBeNull();

    fireEvent.pointerUp(edge, { clientX: 560, pointerId: 1 });
    expect(JSON.parse(localStorage.getItem("keel-column-widths-companies") ?? "{}")).toEqual({ city: 220 });
  });

  it("ignores unknown columns and damaged values", () => {
    localStorage.setItem("keel-column-widths-companies", JSON.stringify({ city: "wide", gone: 300, name: 9999 }));
    render(<Companies />);
    expect(screen.getByRole("separator", { name: "Resize column City" }).getAttribute("aria-valuenow")).toBe("160");
    expect(screen.getByRole("separator", { name: "Resize column Name" }).getAttribute("aria-valuenow")).toBe("640");
  });
});
