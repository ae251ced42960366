import { render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { listQuery, type ListFilter } from "../../api/records.ts";
import { browserFormats, setFormatPreferences } from "../../lib/format.ts";
import { ListPresets } from "./ListPresets.tsx";
import { isPresetActive, startOfWeek, withPreset } from "./list-presets.ts";

function Harness(props: {
  initial?: ListFilter[];
  ownerField?: string;
  canBeUnassigned?: boolean;
  canSeeDeleted?: boolean;
}) {
  const [filters, setFilters] = useState<ListFilter[]>(props.initial ?? []);
  return (
    <>
      <ListPresets
        filters={filters}
        ownerField={props.ownerField ?? "ownerId"}
        canBeUnassigned={props.canBeUnassigned ?? true}
        canSeeDeleted={props.canSeeDeleted ?? false}
        onChange={setFilters}
      />
      <output aria-label="filters">{JSON.stringify(filters)}</output>
    </>
  );
}

const shown = () => JSON.parse(screen.getByRole("status", { name: "filters" }).textContent ?? "[]") as ListFilter[];
const pressed = (name: string) => screen.getByRole("button", { name }).getAttribute("aria-pressed");

afterEach(() => setFormatPreferences(browserFormats));

describe("startOfWeek", () => {
  it("is Monday 00:00 on the workspace's clock", () => {
    setFormatPreferences({ ...browserFormats, timeZone: "Europe/Berlin" });
    // Sunday 2026-12-06 23:30 in Berlin is still the week that began Monday 2026-11-30.
    expect(startOfWeek(new Date("2026-12-06T22:30:00Z"))).toBe("2026-11-29T23:00:00.000Z");
    // Monday 00:30 in Berlin (Sunday 23:30 UTC) already belongs to the next week.
    expect(startOfWeek(new Date("2026-12-06T23:30:00Z"))).toBe("2026-12-06T23:00:00.000Z");
    setFormatPreferences({ ...browserFormats, timeZone: "America/Los_Angeles" });
    // Summer time: Monday 2026-06-29 00:00 in Los Angeles is 07:00 UTC.
    expect(startOfWeek(new Date("2026-07-01T12:00:00Z"))).toBe("2026-06-29T07:00:00.000Z");
  });
});

describe("withPreset", () => {
  const options = { ownerField: "ownerId", canBeUnassigned: true };
  it("keeps other filters, and mine and unassigned replace each other", () => {
    const other = { field: "lifecycle", op: "eq", value: "customer" };
    const mine = withPreset([other], "mine", true, options);
    expect(mine).toEqual([other, { field: "ownerId", op: "eq", value: "me" }]);
    const unassigned = withPreset(mine, "unassigned", true, options);
    expect(unassigned).toEqual([other, { field: "ownerId", op: "empty", value: "true" }]);
    expect(isPresetActive(unassigned, "mine", options)).toBe(false);
    expect(withPreset(unassigned, "unassigned", false, options)).toEqual([other]);
  });
});

describe("ListPresets", () => {
  it("applies My records, Unassigned and Created this week in one click each, combined and shown as pressed", async () => {
    const user = userEvent.setup();
    const kept = { field: "tags", op: "contains", value: "vip" };
    render(<Harness initial={[kept]} />);
    expect(screen.getByRole("group", { name: "Presets" })).toBeTruthy();
    expect(pressed("My records")).toBe("false");

    await user.click(screen.getByRole("button", { name: "My records" }));
    expect(pressed("My records")).toBe("true");
    await user.click(screen.getByRole("button", { name: "Created this week" }));
    expect(pressed("Created this week")).toBe("true");
    expect(shown()).toEqual([
      kept,
      { field: "ownerId", op: "eq", value: "me" },
      { field: "createdAt", op: "gte", value: startOfWeek() },
    ]);

    // Unassigned takes the owner's place; My records is no longer pressed.
    await user.click(screen.getByRole("button", { name: "Unassigned" }));
    expect(pressed("Unassigned")).toBe("true");
    expect(pressed("My records")).toBe("false");
    expect(shown()).toContainEqual({ field: "ownerId", op: "empty", value: "true" });

    // A second click turns a preset off, keeping the rest.
    await user.click(screen.getByRole("button", { name: "Created this week" }));
    expect(shown()).toEqual([kept, { field: "ownerId", op: "empty", value: "true" }]);
  });

  it("shows a preset as pressed when the URL's filters already hold it, and uses the list's owner field", async () => {
    const user = userEvent.setup();
    render(
      <Harness
        ownerField="createdBy"
        canBeUnassigned={false}
        initial={[{ field: "createdBy", op: "eq", value: "me" }]}
      />,
    );
    expect(pressed("My records")).toBe("true");
    expect(screen.queryByRole("button", { name: "Unassigned" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "My records" }));
    expect(shown()).toEqual([]);
  });

  it("offers the trash (Deleted) only to those who may restore, as filter[deleted]=true", async () => {
    const user = userEvent.setup();
    const { unmount } = render(<Harness />);
    expect(screen.queryByRole("button", { name: "Deleted" })).toBeNull();
    unmount();

    render(<Harness canSeeDeleted initial={[{ field: "lastName", op: "contains", value: "Smith" }]} />);
    await user.click(screen.getByRole("button", { name: "Deleted" }));
    expect(pressed("Deleted")).toBe("true");
    expect(listQuery({ filters: shown() })).toMatchObject({
      "filter[lastName][contains]": "Smith",
      "filter[deleted]": "true",
    });
    await user.click(screen.getByRole("button", { name: "Deleted" }));
    expect(shown()).toEqual([{ field: "lastName", op: "contains", value: "Smith" }]);
  });
});
