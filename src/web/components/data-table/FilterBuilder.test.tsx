import { render, screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FilterBuilder, completeFilters } from "./FilterBuilder.tsx";
import type { FilterField } from "./types.ts";

const fields: FilterField[] = [
  { field: "lastName", label: "Last name", kind: "text" },
  {
    field: "lifecycle",
    label: "Lifecycle",
    kind: "enum",
    options: [
      { value: "lead", label: "Lead" },
      { value: "customer", label: "Customer" },
    ],
  },
  { field: "ownerId", label: "Owner", kind: "user" },
  { field: "createdAt", label: "Created", kind: "datetime" },
];

describe("completeFilters", () => {
  it("drops rows without a value, keeps 'empty' rows and trims values", () => {
    expect(
      completeFilters([
        { field: "lastName", op: "contains", value: "  smi " },
        { field: "email", op: "eq", value: "" },
        { field: "phone", op: "empty", value: "" },
      ]),
    ).toEqual([
      { field: "lastName", op: "contains", value: "smi" },
      { field: "phone", op: "empty", value: "true" },
    ]);
  });
});

describe("FilterBuilder", () => {
  it("builds field/operator/value rows into API filters", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <FilterBuilder
        fields={fields}
        value={[]}
        onChange={onChange}
        renderUserValue={({ label, value, onChange: change }) => (
          <select aria-label={label} value={value} onChange={(e) => change(e.target.value)}>
            <option value="">Choose…</option>
            <option value="me">Me</option>
            <option value="u1">Ada</option>
          </select>
        )}
      />,
    );

    await user.click(screen.getByRole("button", { name: "Filter" }));
    await user.click(screen.getByRole("button", { name: "+ Add filter" }));
    await user.type(screen.getByRole("textbox", { name: "Filter 1 value" }), "Smith");
    await user.click(screen.getByRole("button", { name: "+ Add filter" }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Filter 2 field" }), "lifecycle");
    await user.selectOptions(screen.getByRole("combobox", { name: "Filter 2 value" }), "customer");
    await user.click(screen.getByRole("button", { name: "+ Add filter" }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Filter 3 field" }), "ownerId");
    const owner = screen.getByRole("combobox", { name: "Filter 3 value" });
    expect(within(owner).getByRole("option", { name: "Me" })).toBeTruthy();
    await user.selectOptions(owner, "me");
    await user.click(screen.getByRole("button", { name: "Apply" }));

    expect(onChange).toHaveBeenCalledWith([
      { field: "lastName", op: "contains", value: "Smith" },
      { field: "lifecycle", op: "eq", value: "customer" },
      { field: "ownerId", op: "eq", value: "me" },
    ]);
  });

  it("keeps a filter on a field it does not offer (the trash preset) when its rows are applied", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const trash = { field: "deleted", op: "eq", value: "true" };
    render(<FilterBuilder fields={fields} value={[trash]} onChange={onChange} />);
    // The trash is not one of the builder's filters: the button counts none.
    expect(screen.getByRole("button", { name: "Filter" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Filter" }));
    expect(screen.queryByRole("combobox", { name: "Filter 1 field" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "+ Add filter" }));
    await user.type(screen.getByRole("textbox", { name: "Filter 1 value" }), "Smith");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onChange).toHaveBeenCalledWith([trash, { field: "lastName", op: "contains", value: "Smith" }]);
  });

  it("offers only the operators of the field's kind and removes rows", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <FilterBuilder
        fields={fields}
        value={[{ field: "createdAt", op: "gte", value: "2026-01-01" }]}
        onChange={onChange}
      />,
    );

    await user.click(screen.getByRole("button", { name: "Filter 1 active" }));
    const operators = within(screen.getByRole("combobox", { name: "Filter 1 operator" }))
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);
    expect(operators).toEqual(["gte", "lte", "gt", "lt", "empty"]);
    expect(operators).not.toContain("contains");

    await user.click(screen.getByRole("button", { name: "Remove filter 1" }));
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onChange).toHaveBeenCalledWith([]);
  });

  it("opens as a dialog named Filters", async () => {
    const user = userEvent.setup();
    render(<FilterBuilder fields={fields} value={[]} onChange={vi.fn()} />);
    await user.click(screen.getByRole("button", { name: "Filter" }));
    expect(screen.getByRole("dialog", { name: "Filters" })).toBeTruthy();
  });
});
