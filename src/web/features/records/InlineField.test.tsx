import { render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiProblem } from "../../api/client.ts";
import { setLanguage } from "../../i18n/i18n.ts";
import { InlineField } from "./InlineField.tsx";

const stale = new Error("Someone else changed this contact meanwhile.", {
  cause: new ApiProblem({ type: "/problems/stale-version", title: "Stale version", status: 412 }),
});

/** The field as a record page renders it: its save bound to the record of that render. */
function field(onSave: (value: string) => Promise<unknown>, value = "Registrar") {
  return <InlineField label="Job title" value={value} display={value} canEdit onSave={onSave} />;
}

describe("InlineField", () => {
  it("saves through the record as it was when editing began, though the page refetched it meanwhile", async () => {
    const user = userEvent.setup();
    const saveOnVersion1 = vi.fn(() => Promise.resolve());
    const saveOnVersion2 = vi.fn(() => Promise.resolve());
    const { rerender } = render(field(saveOnVersion1));
    await user.click(screen.getByRole("button", { name: "Edit Job title" }));
    // A live update brings version 2 while the user types.
    rerender(field(saveOnVersion2, "Dean"));
    await user.clear(screen.getByRole("textbox", { name: "Job title" }));
    await user.type(screen.getByRole("textbox", { name: "Job title" }), "Provost");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(saveOnVersion1).toHaveBeenCalledWith("Provost");
    expect(saveOnVersion2).not.toHaveBeenCalled();
  });

  it("after being told of someone else's change, saves again onto the version shown now", async () => {
    const user = userEvent.setup();
    const saveOnVersion1 = vi.fn(() => Promise.reject(stale));
    const saveOnVersion2 = vi.fn(() => Promise.resolve());
    const { rerender } = render(field(saveOnVersion1));
    await user.click(screen.getByRole("button", { name: "Edit Job title" }));
    await user.type(screen.getByRole("textbox", { name: "Job title" }), " emeritus");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Someone else changed");
    rerender(field(saveOnVersion2, "Dean"));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(saveOnVersion2).toHaveBeenCalledWith("Registrar emeritus");
    expect(screen.queryByRole("textbox", { name: "Job title" })).toBeNull();
  });

  it("speaks German, and says a refused value in German words naming the field", async () => {
    await setLanguage("de");
    const user = userEvent.setup();
    render(
      <InlineField
        label="Position"
        value=""
        display="—"
        canEdit
        onSave={() => Promise.reject(new Error("Required"))}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Position bearbeiten" }));
    await user.type(screen.getByRole("textbox", { name: "Position" }), "x");
    await user.click(screen.getByRole("button", { name: "Speichern" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Position ist erforderlich");
  });
});
