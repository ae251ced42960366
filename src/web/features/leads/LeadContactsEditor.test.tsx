import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { LeadContactsEditor, type LeadContactLink } from "./LeadContactsEditor.tsx";

const ada = { contactId: "0190f6c2-0000-7000-8000-0000000000a1", isPrimary: true, label: "Ada Lovelace" };
const grace = { contactId: "0190f6c2-0000-7000-8000-0000000000b2", isPrimary: false, label: "Grace Hopper" };
const alan = {
  id: "0190f6c2-0000-7000-8000-0000000000c3",
  firstName: "Alan",
  lastName: "Turing",
  email: "alan@example.com",
};

/** The editor on a list it owns, as the lead form holds it; `saved` sees every list it was given. */
function Harness({
  initial,
  canEdit = true,
  saved,
}: {
  initial: LeadContactLink[];
  canEdit?: boolean;
  saved: LeadContactLink[][];
}) {
  const [links, setLinks] = useState(initial);
  return (
    <LeadContactsEditor
      links={links}
      canEdit={canEdit}
      onChange={(next) => {
        saved.push(next);
        setLinks(next);
      }}
    />
  );
}

const names = () =>
  screen.getAllByRole("listitem").map((item) => item.textContent?.replace(/(Make primary|Remove)/g, "").trim());

describe("LeadContactsEditor", () => {
  it("makes another contact primary, so exactly one is", async () => {
    const user = userEvent.setup();
    const saved: LeadContactLink[][] = [];
    mockApi({});
    await renderWithProviders(<Harness initial={[ada, grace]} saved={saved} />);

    await user.click(screen.getByRole("button", { name: "Make primary: Grace Hopper" }));
    expect(saved.at(-1)).toEqual([
      { ...ada, isPrimary: false },
      { ...grace, isPrimary: true },
    ]);
    expect(names()).toEqual(["Ada Lovelace", "Grace HopperPrimary"]);
  });

  it("removing the primary contact makes the first one left primary", async () => {
    const user = userEvent.setup();
    const saved: LeadContactLink[][] = [];
    mockApi({});
    await renderWithProviders(<Harness initial={[ada, grace]} saved={saved} />);

    await user.click(screen.getByRole("button", { name: "Remove Ada Lovelace" }));
    expect(saved.at(-1)).toEqual([{ ...grace, isPrimary: true }]);
    await user.click(screen.getByRole("button", { name: "Remove Grace Hopper" }));
    expect(saved.at(-1)).toEqual([]);
    expect(screen.getByText("No contacts yet.")).toBeTruthy();
  });

  it("adds a contact found by typing; the first one added is primary, a repeat is ignored", async () => {
    const user = userEvent.setup();
    const saved: LeadContactLink[][] = [];
    mockApi({ "GET /api/v1/contacts": { body: { data: [alan], nextCursor: null } } });
    await renderWithProviders(<Harness initial={[]} saved={saved} />);

    await user.type(screen.getByRole("combobox", { name: "Add a contact" }), "alan");
    await user.click(await screen.findByRole("option", { name: /Alan Turing/ }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([{ contactId: alan.id, isPrimary: true, label: expect.stringContaining("Alan Turing") }]);

    await user.type(screen.getByRole("combobox", { name: "Add a contact" }), "alan");
    await user.click(await screen.findByRole("option", { name: /Alan Turing/ }));
    expect(saved).toHaveLength(1);
  });

  it("shows the save's error and keeps the list as it was", async () => {
    const user = userEvent.setup();
    mockApi({});
    await renderWithProviders(
      <LeadContactsEditor
        links={[ada, grace]}
        canEdit
        onChange={() => Promise.reject(new Error("Someone else changed this lead meanwhile."))}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Remove Grace Hopper" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Someone else changed this lead meanwhile.");
    expect(names()).toEqual(["Ada LovelacePrimary", "Grace Hopper"]);
  });

  it("offers no changes to someone who cannot edit the lead", async () => {
    mockApi({});
    await renderWithProviders(<Harness initial={[ada, grace]} canEdit={false} saved={[]} />);
    expect(names()).toEqual(["Ada LovelacePrimary", "Grace Hopper"]);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.queryByRole("combobox")).toBeNull();
  });

  it("names a contact without a name “Contact” in its link and buttons", async () => {
    mockApi({});
    const nameless = { contactId: "0190f6c2-0000-7000-8000-0000000000d4", isPrimary: false, label: "" };
    await renderWithProviders(<Harness initial={[ada, nameless]} saved={[]} />);
    expect(screen.getByRole("link", { name: "Contact" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Make primary: Contact" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Remove Contact" })).toBeTruthy();
  });

  it("adds no contact while a change is being saved", async () => {
    const user = userEvent.setup();
    const api = mockApi({ "GET /api/v1/contacts": { body: { data: [alan], nextCursor: null } } });
    let finishSave = () => {};
    const changes: LeadContactLink[][] = [];
    await renderWithProviders(
      <LeadContactsEditor
        links={[ada, grace]}
        canEdit
        onChange={(next) => {
          changes.push(next);
          return new Promise<void>((resolve) => {
            finishSave = resolve;
          });
        }}
      />,
    );
    await user.click(screen.getByRole("button", { name: "Make primary: Grace Hopper" }));
    const adding = screen.getByRole("combobox", { name: "Add a contact" });
    await user.type(adding, "alan");
    expect((adding as HTMLInputElement).value).toBe("");
    expect(api.calls.filter((call) => call.path === "/api/v1/contacts")).toHaveLength(0);
    expect(changes).toHaveLength(1);

    finishSave();
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Remove Grace Hopper" })).toHaveProperty("disabled", false),
    );
    await user.type(adding, "alan");
    expect((adding as HTMLInputElement).value).toBe("alan");
  });

  it("speaks German", async () => {
    mockApi({});
    await setLanguage("de");
    await renderWithProviders(<Harness initial={[ada, grace]} saved={[]} />);
    expect(screen.getByRole("list", { name: "Kontakte dieses Leads" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Zum Hauptkontakt machen: Grace Hopper" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ada Lovelace entfernen" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Kontakt hinzufügen" })).toBeTruthy();
  });
});
