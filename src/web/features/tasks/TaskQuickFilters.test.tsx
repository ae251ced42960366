import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ListFilter } from "../../api/records.ts";
import { setLanguage } from "../../i18n/i18n.ts";
import { renderWithProviders } from "../../test/render.tsx";
import { mineFilter } from "./task-filters.ts";
import { TaskQuickFilters } from "./TaskQuickFilters.tsx";

async function renderQuickFilters(filters: ListFilter[]) {
  const onChange = vi.fn();
  await renderWithProviders(<TaskQuickFilters filters={filters} onChange={onChange} />);
  return onChange;
}

describe("TaskQuickFilters", () => {
  afterEach(() => setLanguage("en"));

  it("has no Mine button of its own, and keeps the My records preset's filter when one is chosen", async () => {
    const user = userEvent.setup();
    const onChange = await renderQuickFilters([mineFilter]);
    const group = screen.getByRole("group", { name: "Quick filters" });
    expect(
      within(group)
        .getAllByRole("button")
        .map((button) => button.textContent),
    ).toEqual(["All", "Open", "Due today", "Overdue", "Done"]);
    expect(within(group).getByRole("button", { name: "All" }).getAttribute("aria-pressed")).toBe("true");

    await user.click(within(group).getByRole("button", { name: "Done" }));
    expect(onChange).toHaveBeenCalledWith([mineFilter, { field: "status", op: "eq", value: "completed" }]);
  });

  it("speaks German", async () => {
    await setLanguage("de");
    await renderQuickFilters([{ field: "status", op: "eq", value: "completed" }]);
    const group = screen.getByRole("group", { name: "Schnellfilter" });
    expect(within(group).getByRole("button", { name: "Erledigt" }).getAttribute("aria-pressed")).toBe("true");
    expect(within(group).getByRole("button", { name: "Überfällig" })).toBeTruthy();
  });
});
