import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DataTable } from "../../components/data-table/DataTable.tsx";
import type { DataColumn } from "../../components/data-table/types.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import { SavedViews } from "./SavedViews.tsx";
import { useColumnWidths } from "./useColumnWidths.ts";
import type { SavedView } from "./views.api.ts";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada", locale: null };
const workspaceId = "0190f6c2-0000-7000-8000-0000000000f1";

type Row = { id: string; name: string };
const columns: DataColumn<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name },
  { key: "email", header: "Email", cell: () => "—" },
  { key: "city", header: "City", cell: () => "—" },
];
const columnKeys = columns.map((c) => c.key);

const view = (overrides: Partial<SavedView>): SavedView => ({
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  name: "Wide emails",
  resource: "contacts",
  visibility: "private",
  ownerId: me.id,
  filters: [],
  sort: null,
  columns: ["name", "email"],
  q: null,
  columnWidths: {},
  version: 1,
  ...overrides,
});

/** A list as ListPage wires it: its widths (useColumnWidths) shown by the table and given to SavedViews. */
function Contacts({ hidden = [] }: { hidden?: string[] }) {
  const [widths, setWidths] = useColumnWidths("contacts", columnKeys);
  const [activeId, setActiveId] = useState<string>();
  return (
    <>
      <SavedViews
        collection="contacts"
        activeId={activeId}
        state={{ filters: [], sort: "", q: "", hidden, columnWidths: widths }}
        columnKeys={columnKeys}
        onColumnWidthsChange={setWidths}
        onOpen={(opened) => setActiveId(opened?.id)}
      />
      <DataTable
        label="Contacts"
        rows={[{ id: "r1", name: "Ada" }]}
        columns={columns}
        getRowId={(r) => r.id}
        sort=""
        onSortChange={() => {}}
        hiddenColumns={hidden}
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
        columnWidths={widths}
        onColumnWidthsChange={setWidths}
      />
    </>
  );
}

async function renderContacts(views: SavedView[], hidden?: string[]) {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], { user: me, workspaces: [], activeWorkspaceId: workspaceId, role: "agent" });
  const api = mockApi({
    "GET /api/v1/views": { body: { data: views, nextCursor: null } },
    "POST /api/v1/views": ({ body }) => ({ status: 201, body: view({ ...(body as Partial<SavedView>), id: "new" }) }),
    "PATCH /api/v1/views/0190f6c2-0000-7000-8000-0000000000a1": ({ body }) => ({
      body: view({ ...(body as Partial<SavedView>), version: 2 }),
    }),
  });
  await renderWithProviders(<Contacts hidden={hidden} />, { queryClient });
  return api;
}

async function openView(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.selectOptions(screen.getByRole("combobox", { name: "View" }), await screen.findByRole("option", { name }));
}

const widthOf = (header: string) =>
  screen.getByRole("separator", { name: `Resize column ${header}` }).getAttribute("aria-valuenow");

describe("SavedViews and column widths", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
  });

  it("saves a new view with the widths of the columns it shows", async () => {
    localStorage.setItem("keel-column-widths-contacts", JSON.stringify({ name: 240, city: 300 }));
    const user = userEvent.setup();
    const api = await renderContacts([], ["city"]);
    screen.getByRole("separator", { name: "Resize column Email" }).focus();
    await user.keyboard("{ArrowRight}");

    await user.click(screen.getByRole("button", { name: "Save as view" }));
    await user.type(screen.getByRole("textbox", { name: /Name/ }), "Wide names");
    await user.click(screen.getByRole("button", { name: "Save view" }));

    await waitFor(() => expect(api.calls.some((call) => call.method === "POST")).toBe(true));
    const saved = api.calls.find((call) => call.method === "POST");
    expect(saved?.body).toMatchObject({ name: "Wide names", columns: ["name", "email"] });
    // The hidden city column's width is the browser's, not the view's.
    expect((saved?.body as SavedView).columnWidths).toEqual({ name: 240, email: 176 });
  });

  it("updates the open view with the list's current widths", async () => {
    const user = userEvent.setup();
    const api = await renderContacts([view({ columnWidths: { email: 400 } })]);
    await openView(user, "Wide emails");
    screen.getByRole("separator", { name: "Resize column Name" }).focus();
    await user.keyboard("{End}");

    await user.click(screen.getByRole("button", { name: "Update view" }));
    await waitFor(() => expect(api.calls.some((call) => call.method === "PATCH")).toBe(true));
    const patched = api.calls.find((call) => call.method === "PATCH");
    expect((patched?.body as SavedView).columnWidths).toEqual({ name: 640, email: 400 });
    expect(patched?.headers.get("if-match")).toBe('"1"');
  });

  it("makes an opened view's widths the list's own, columns it does not name at their defaults", async () => {
    localStorage.setItem("keel-column-widths-contacts", JSON.stringify({ name: 240, city: 300 }));
    const user = userEvent.setup();
    await renderContacts([view({ columnWidths: { email: 400, gone: 500 } })]);
    expect(widthOf("Name")).toBe("240");

    await openView(user, "Wide emails");
    expect(widthOf("Email")).toBe("400");
    expect(widthOf("Name")).toBe("160");
    expect(widthOf("City")).toBe("160");
    // Kept for the next visit of the list, like widths dragged by hand; a column the list no longer has is dropped.
    expect(JSON.parse(localStorage.getItem("keel-column-widths-contacts") ?? "{}")).toEqual({ email: 400 });
  });

  it("leaves the list's widths alone when the opened view has none", async () => {
    localStorage.setItem("keel-column-widths-contacts", JSON.stringify({ name: 240 }));
    const user = userEvent.setup();
    await renderContacts([view({ columnWidths: {} })]);

    await openView(user, "Wide emails");
    expect(screen.getByRole("button", { name: "Update view" })).toBeTruthy();
    expect(widthOf("Name")).toBe("240");
    expect(widthOf("Email")).toBe("160");
  });
});
