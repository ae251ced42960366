import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DataTable } from "../../components/data-table/DataTable.tsx";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { contactColumns, type ContactRow } from "../contacts/contacts.columns.tsx";
import { useCellSave } from "./useCellSave.ts";

const contact = {
  id: "0190f6c2-0000-7000-8000-000000000001",
  version: 7,
  firstName: "Ada",
  lastName: "Lovelace",
  email: null,
  phone: "+44 1",
  jobTitle: null,
  companyId: null,
  ownerId: null,
  lifecycle: "lead",
  source: null,
  tags: [],
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
} as unknown as ContactRow;

function Contacts() {
  const save = useCellSave("contacts", "contact");
  return (
    <div style={{ height: 400, display: "flex" }}>
      <DataTable
        label="Contacts"
        rows={[contact]}
        columns={contactColumns()}
        getRowId={(r) => r.id}
        sort=""
        onSortChange={() => {}}
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
        onCellSave={save}
        rowLabel={() => "Ada Lovelace"}
      />
    </div>
  );
}

describe("saving a list cell", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  });

  it("sends If-Match with the row's version, and reports a 412 in the cell keeping the draft", async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const api = mockApi({
      [`PATCH /api/v1/contacts/${contact.id}`]: () =>
        ++attempts === 1
          ? {
              status: 412,
              body: {
                type: "/problems/stale-version",
                title: "Stale version",
                status: 412,
                detail: "Changed meanwhile.",
              },
            }
          : { body: { ...contact, version: 9, lifecycle: "customer" } },
    });
    await renderWithProviders(<Contacts />);

    await user.click(screen.getByRole("button", { name: "Edit Lifecycle of Ada Lovelace" }));
    const select = screen.getByRole("combobox", { name: "Lifecycle of Ada Lovelace" });
    await user.selectOptions(select, "customer");
    await user.click(screen.getByRole("button", { name: "Save Lifecycle of Ada Lovelace" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "Someone else changed this contact meanwhile. The list now shows their version; save again to apply yours.",
    );
    expect((select as HTMLSelectElement).value).toBe("customer");
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.headers.get("if-match")).toBe('"7"');
    expect(patch?.body).toEqual({ lifecycle: "customer" });

    await user.click(screen.getByRole("button", { name: "Save Lifecycle of Ada Lovelace" }));
    await screen.findByRole("button", { name: "Edit Lifecycle of Ada Lovelace" });
    expect(attempts).toBe(2);
  });
});
