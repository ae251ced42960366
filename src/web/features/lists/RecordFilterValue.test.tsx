import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FilterBuilder } from "../../components/data-table/FilterBuilder.tsx";
import type { FilterField } from "../../components/data-table/types.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { RecordFilterValue } from "./RecordFilterValue.tsx";

const acme = { id: "0190f6c2-0000-7000-8000-000000000001", name: "Acme", domain: "acme.com" };
const zenith = { id: "0190f6c2-0000-7000-8000-000000000002", name: "Zenith Works", domain: null };

const fields: FilterField[] = [
  { field: "lastName", label: "Last name", kind: "text" },
  { field: "companyId", label: "Company", kind: "record", records: "companies" },
  { field: "contactId", label: "Contact", kind: "record", records: "contacts", operators: ["eq"] },
  { field: "leadId", label: "Lead", kind: "record", records: "leads" },
];

describe("a relation filter's record picker", () => {
  it("searches the server as the user types and filters by the chosen record's id", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const api = mockApi({
      "GET /api/v1/companies": ({ url }) => {
        const q = (url.searchParams.get("q") ?? "").toLowerCase();
        return { body: { data: [acme, zenith].filter((c) => c.name.toLowerCase().startsWith(q)), nextCursor: null } };
      },
    });
    await renderWithProviders(
      <FilterBuilder
        fields={fields}
        value={[]}
        onChange={onChange}
        renderRecordValue={(input) => <RecordFilterValue {...input} />}
      />,
    );

    await user.click(screen.getByRole("button", { name: "Filter" }));
    await user.click(screen.getByRole("button", { name: "+ Add filter" }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Filter 1 field" }), "companyId");
    // A relation offers "is" and "is empty".
    const operators = screen.getByRole("combobox", { name: "Filter 1 operator" });
    expect(Array.from((operators as HTMLSelectElement).options, (o) => o.value)).toEqual(["eq", "empty"]);

    const picker = screen.getByRole("combobox", { name: "Filter 1 value" });
    await user.type(picker, "zen");
    // Asked of the server once typing pauses; only the match is offered then.
    await waitFor(() => expect(api.calls.map((c) => c.url.searchParams.get("q"))).toContain("zen"));
    await waitFor(() => expect(screen.queryByRole("option", { name: "Acme" })).toBeNull());
    await user.click(screen.getByRole("option", { name: "Zenith Works" }));
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onChange).toHaveBeenCalledWith([{ field: "companyId", op: "eq", value: zenith.id }]);
  });

  it("narrows the operators to the field's own and shows a chosen record by name when reopened", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/contacts/0190f6c2-0000-7000-8000-000000000009": {
        body: { id: "0190f6c2-0000-7000-8000-000000000009", firstName: "Ada", lastName: "Lovelace", email: null },
      },
    });
    await renderWithProviders(
      <FilterBuilder
        fields={fields}
        value={[{ field: "contactId", op: "eq", value: "0190f6c2-0000-7000-8000-000000000009" }]}
        onChange={() => {}}
        renderRecordValue={(input) => <RecordFilterValue {...input} />}
      />,
    );
    await user.click(screen.getByRole("button", { name: /Filter/ }));
    const operators = screen.getByRole("combobox", { name: "Filter 1 operator" }) as HTMLSelectElement;
    expect(Array.from(operators.options, (o) => o.value)).toEqual(["eq"]);
    const picker = screen.getByRole("combobox", { name: "Filter 1 value" }) as HTMLInputElement;
    await waitFor(() => expect(picker.value).toBe("Ada Lovelace"));
  });

  it("finds leads by title for activities and tasks filtered by lead", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const lead = { id: "0190f6c2-0000-7000-8000-000000000003", title: "Harbour expansion" };
    const api = mockApi({
      "GET /api/v1/leads": ({ url }) => ({
        body: { data: url.searchParams.get("q") === "harb" ? [lead] : [], nextCursor: null },
      }),
    });
    await renderWithProviders(
      <FilterBuilder
        fields={fields}
        value={[]}
        onChange={onChange}
        renderRecordValue={(input) => <RecordFilterValue {...input} />}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Filter" }));
    await user.click(screen.getByRole("button", { name: "+ Add filter" }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Filter 1 field" }), "leadId");
    await user.type(screen.getByRole("combobox", { name: "Filter 1 value" }), "harb");
    await user.click(await screen.findByRole("option", { name: "Harbour expansion" }));
    expect(api.calls.find((c) => c.url.searchParams.get("q") === "harb")?.url.searchParams.get("sort")).toBe("title");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onChange).toHaveBeenCalledWith([{ field: "leadId", op: "eq", value: lead.id }]);
  });
});
