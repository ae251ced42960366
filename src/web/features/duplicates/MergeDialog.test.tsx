import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { renderWithProviders } from "../../test/render.tsx";
import { MergeDialog, type MergeCandidate } from "./MergeDialog.tsx";
import { contactFields } from "./MergeGroupDialog.tsx";

const older: MergeCandidate = {
  id: "0190f6c2-0000-7000-8000-000000000001",
  title: "Ada Lovelace",
  values: { firstName: "Ada", lastName: "Lovelace", email: "ada@old.test", phone: null, jobTitle: "Countess" },
};
const newer: MergeCandidate = {
  id: "0190f6c2-0000-7000-8000-000000000002",
  title: "Ada King",
  values: { firstName: "Ada", lastName: "King", email: "ada@new.test", phone: "+441234567890", jobTitle: null },
};

async function open(onMerge = vi.fn(), props: { error?: string; isMerging?: boolean } = {}) {
  await renderWithProviders(
    <MergeDialog
      open
      onOpenChange={vi.fn()}
      noun="contact"
      records={[older, newer]}
      fields={contactFields()}
      isMerging={props.isMerging ?? false}
      error={props.error}
      onMerge={onMerge}
    />,
  );
  return onMerge;
}

describe("MergeDialog", () => {
  afterEach(() => setLanguage("en"));

  it("speaks German: title, survivor choice, field labels and the merge button", async () => {
    await setLanguage("de");
    await open();
    expect(screen.getByRole("dialog", { name: "2 Kontakte zusammenführen" })).toBeTruthy();
    expect(screen.getByRole("radio", { name: "Ada Lovelace behalten" })).toBeTruthy();
    expect(screen.getByRole("radio", { name: "Telefon: leer (von Ada Lovelace)" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "In Ada Lovelace zusammenführen" })).toBeTruthy();
  });

  it("keeps the oldest record and its values by default, filling its empty fields from the other", async () => {
    const user = userEvent.setup();
    const onMerge = await open();
    expect(screen.getByRole("dialog", { name: "Merge 2 contacts" })).toBeTruthy();
    expect((screen.getByRole("radio", { name: "Keep Ada Lovelace" }) as HTMLInputElement).checked).toBe(true);
    expect(
      (screen.getByRole("radio", { name: "Phone: +441234567890 (from Ada King)" }) as HTMLInputElement).checked,
    ).toBe(true);
    await user.click(screen.getByRole("button", { name: "Merge into Ada Lovelace" }));
    expect(onMerge).toHaveBeenCalledWith({
      survivorId: older.id,
      mergedIds: [newer.id],
      fields: { phone: newer.id },
    });
  });

  it("sends the values chosen field by field, side by side", async () => {
    const user = userEvent.setup();
    const onMerge = await open();
    await user.click(screen.getByRole("radio", { name: "E-mail: ada@new.test (from Ada King)" }));
    await user.click(screen.getByRole("radio", { name: "Last name: King (from Ada King)" }));
    await user.click(screen.getByRole("button", { name: "Merge into Ada Lovelace" }));
    expect(onMerge).toHaveBeenCalledWith({
      survivorId: older.id,
      mergedIds: [newer.id],
      fields: { email: newer.id, lastName: newer.id, phone: newer.id },
    });
  });

  it("starts over from the new survivor's values when another record is kept", async () => {
    const user = userEvent.setup();
    const onMerge = await open();
    await user.click(screen.getByRole("radio", { name: "Keep Ada King" }));
    expect(
      (screen.getByRole("radio", { name: "E-mail: ada@new.test (from Ada King)" }) as HTMLInputElement).checked,
    ).toBe(true);
    await user.click(screen.getByRole("button", { name: "Merge into Ada King" }));
    expect(onMerge).toHaveBeenCalledWith({
      survivorId: newer.id,
      mergedIds: [older.id],
      fields: { jobTitle: older.id },
    });
  });

  it("shows the server's refusal and no second merge while one runs", async () => {
    await open(vi.fn(), { error: "The contact changed since.", isMerging: true });
    expect(screen.getByRole("alert").textContent).toBe("The contact changed since.");
    expect((screen.getByRole("button", { name: "Merging…" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
