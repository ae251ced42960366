import { act, fireEvent, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { setLanguage } from "../i18n/i18n.ts";
import { mockApi, renderWithProviders, screen } from "../test/render.tsx";
import { CommandPalette } from "./CommandPalette.tsx";

const empty = { body: { data: [], nextCursor: null } };
const noRecords = {
  "GET /api/v1/contacts": empty,
  "GET /api/v1/companies": empty,
  "GET /api/v1/leads": empty,
  "GET /api/v1/deals": empty,
};

async function openPalette() {
  const run = vi.fn();
  await renderWithProviders(
    <CommandPalette open onOpenChange={() => {}} actions={[{ label: "Switch to the dark theme", run }]} />,
  );
  const input = await screen.findByPlaceholderText("Search records or type a command…");
  const type = (text: string) => act(() => fireEvent.change(input, { target: { value: text } }));
  return { type, run };
}

describe("CommandPalette", () => {
  it("shows a group's heading only while something in it matches", async () => {
    mockApi(noRecords);
    const { type } = await openPalette();
    expect(screen.getByText("Go to")).toBeTruthy();
    expect(screen.getByText("Commands")).toBeTruthy();

    await type("theme");
    expect(screen.getByText("Commands")).toBeTruthy();
    expect(screen.queryByText("Go to")).toBeNull();

    await type("contacts");
    expect(screen.getByText("Go to")).toBeTruthy();
    expect(screen.queryByText("Commands")).toBeNull();
    // A place is named by its label alone: its shortcut is shown, not read as part of the name.
    expect(screen.getByRole("option", { name: "Contacts" })).toBeTruthy();

    await type("zzqx");
    expect(screen.queryByText("Go to")).toBeNull();
    expect(screen.queryByText("Commands")).toBeNull();
    await waitFor(() => expect(screen.getByText("No results.")).toBeTruthy());
  });

  it("speaks German, and filters by the German names", async () => {
    mockApi(noRecords);
    await setLanguage("de");
    await renderWithProviders(<CommandPalette open onOpenChange={() => {}} actions={[]} />);
    const input = await screen.findByPlaceholderText("Datensätze suchen oder Befehl eingeben…");
    expect(screen.getByText("Gehe zu")).toBeTruthy();
    act(() => void fireEvent.change(input, { target: { value: "firm" } }));
    expect(screen.getByText("Firmen")).toBeTruthy();
    expect(screen.queryByText("Kontakte")).toBeNull();
  });

  it("gives focus back to what opened it when Escape closes it", async () => {
    mockApi(noRecords);
    const user = userEvent.setup();
    function Shell() {
      const [isOpen, setOpen] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Search or jump to…
          </button>
          <CommandPalette open={isOpen} onOpenChange={setOpen} actions={[]} />
        </>
      );
    }
    await renderWithProviders(<Shell />);
    const opener = screen.getByRole("button", { name: "Search or jump to…" });
    await user.click(opener);
    await screen.findByPlaceholderText("Search records or type a command…");

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByPlaceholderText("Search records or type a command…")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it("names a record found by its name, type and e-mail apart, not run together", async () => {
    const mateo = {
      id: "0190f6c2-0000-7000-8000-000000000011",
      firstName: "Mateo",
      lastName: "Fischer",
      email: "mateo.fischer@example.com",
    };
    mockApi({ ...noRecords, "GET /api/v1/contacts": { body: { data: [mateo], nextCursor: null } } });
    const { type } = await openPalette();
    await type("mateo");
    expect(
      await screen.findByRole(
        "option",
        { name: "Mateo Fischer, Contact · mateo.fischer@example.com" },
        { timeout: 3000 },
      ),
    ).toBeTruthy();
  });
});
