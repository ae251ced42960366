import { render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RowSelectionState } from "@tanstack/react-table";
import { DataTable } from "./DataTable.tsx";
import type { DataColumn } from "./types.ts";

type Row = { id: string; name: string; city: string };
const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, name: `Name ${i}`, city: `City ${i}` }));
const columns: DataColumn<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name, sortField: "name" },
  { key: "city", header: "City", cell: (r) => r.city },
  { key: "owner", header: "Owner", cell: () => "—", sortField: "ownerId" },
];

function Harness(props: {
  onSort?: (s: string) => void;
  onLoadMore?: () => void;
  hasMore?: boolean;
  hidden?: string[];
  sort?: string;
  isRefreshing?: boolean;
  scrollResetKey?: string;
}) {
  const [sort, setSort] = useState(props.sort ?? "name");
  const [selection, setSelection] = useState<RowSelectionState>({});
  return (
    <div style={{ height: 400, display: "flex" }}>
      <DataTable
        label="People"
        rows={rows}
        columns={columns}
        getRowId={(r) => r.id}
        sort={sort}
        onSortChange={(s) => {
          setSort(s);
          props.onSort?.(s);
        }}
        hiddenColumns={props.hidden ?? []}
        selection={selection}
        onSelectionChange={setSelection}
        hasMore={props.hasMore ?? false}
        isLoadingMore={false}
        onLoadMore={props.onLoadMore ?? (() => {})}
        isRefreshing={props.isRefreshing}
        scrollResetKey={props.scrollResetKey}
      />
      <output aria-label="selected">{Object.keys(selection).join(",")}</output>
    </div>
  );
}

describe("DataTable", () => {
  // happy-dom has no layout: give elements a screen-sized box so the virtualiser renders rows.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1280);
    // …and no resize notifications, which would report that missing layout as a zero size.
    const view = document.defaultView as unknown as { ResizeObserver: unknown };
    const original = view.ResizeObserver;
    view.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
    return () => {
      view.ResizeObserver = original;
    };
  });

  it("cycles a sortable header through ascending, descending and unsorted, announcing it", async () => {
    const user = userEvent.setup();
    const onSort = vi.fn();
    render(<Harness onSort={onSort} />);
    const header = screen.getByRole("columnheader", { name: /Name/ });
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    await user.click(screen.getByRole("button", { name: /Name/ }));
    expect(onSort).toHaveBeenLastCalledWith("-name");
    expect(header.getAttribute("aria-sort")).toBe("descending");
    await user.click(screen.getByRole("button", { name: /Name/ }));
    expect(onSort).toHaveBeenLastCalledWith("");
    // Unsortable columns have no sort button.
    expect(screen.queryByRole("button", { name: /City/ })).toBeNull();
  });

  it("sorts from the keyboard, and shows a sort of several fields on the header of the first", async () => {
    const user = userEvent.setup();
    const onSort = vi.fn();
    render(<Harness onSort={onSort} sort="-ownerId,name" />);
    const owner = screen.getByRole("columnheader", { name: /Owner/ });
    const name = screen.getByRole("columnheader", { name: /Name/ });
    expect(owner.getAttribute("aria-sort")).toBe("descending");
    expect(name.getAttribute("aria-sort")).toBe("none");

    // Tab onto a header's button and press Enter: a new field sorts ascending on its own.
    screen.getByRole("button", { name: /Name/ }).focus();
    await user.keyboard("{Enter}");
    expect(onSort).toHaveBeenLastCalledWith("name");
    expect(name.getAttribute("aria-sort")).toBe("ascending");
    expect(owner.getAttribute("aria-sort")).toBe("none");
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: /Owner/ }));
    await user.keyboard(" ");
    expect(onSort).toHaveBeenLastCalledWith("ownerId");
    expect(owner.getAttribute("aria-sort")).toBe("ascending");
  });

  it("selects single rows and all loaded rows", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole("checkbox", { name: "Select row 2" }));
    expect(screen.getByLabelText("selected").textContent).toBe("r1");
    await user.click(screen.getByRole("checkbox", { name: "Select all loaded rows" }));
    expect(screen.getByLabelText("selected").textContent?.split(",")).toHaveLength(rows.length);
  });

  it("hides chosen columns and asks for the next page when the end is near", () => {
    const onLoadMore = vi.fn();
    render(<Harness hidden={["city"]} hasMore onLoadMore={onLoadMore} />);
    expect(screen.queryByRole("columnheader", { name: "City" })).toBeNull();
    expect(screen.getByRole("columnheader", { name: /Name/ })).toBeTruthy();
    // 30 rows with 15 to go: the table asks for more straight away.
    expect(onLoadMore).toHaveBeenCalled();
  });

  it("while the previous rows stand in for a new search: busy, nothing to select, back at the top", () => {
    const { rerender } = render(<Harness isRefreshing={false} scrollResetKey="a" />);
    const scroller = screen.getByTestId("data-table-scroll");
    scroller.scrollTop = 600;
    rerender(<Harness isRefreshing={false} scrollResetKey="a" />);
    expect(scroller.scrollTop).toBe(600);
    rerender(<Harness isRefreshing={true} scrollResetKey="b" />);
    expect(screen.getByRole("table", { name: "People" }).getAttribute("aria-busy")).toBe("true");
    expect(screen.getAllByRole("checkbox").every((box) => (box as HTMLInputElement).disabled)).toBe(true);
    expect(scroller.scrollTop).toBe(0);
    rerender(<Harness isRefreshing={false} scrollResetKey="b" />);
    expect(screen.getByRole("table", { name: "People" }).getAttribute("aria-busy")).toBeNull();
    expect(screen.getAllByRole("checkbox").some((box) => (box as HTMLInputElement).disabled)).toBe(false);
  });
});
