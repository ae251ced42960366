import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import { settingsPagesFor } from "./settings-pages.ts";
import type { WorkspaceRow } from "./workspace.api.ts";
import { WorkspacePage } from "./WorkspacePage.tsx";

const workspaceId = "0190f6c2-0000-7000-8000-0000000000f1";

const stored: WorkspaceRow = {
  id: workspaceId,
  name: "Acme",
  baseCurrency: "EUR",
  timeZone: "UTC",
  dateFormat: "auto",
  numberFormat: "auto",
  fiscalYearStartMonth: 1,
  leadLostReasons: ["No budget"],
  dealLostReasons: [],
  requireDealLostReason: false,
  customerOnWonDeal: true,
  agentsSeeOwnRecordsOnly: false,
  activityTypes: [
    { key: "call", label: "Call" },
    { key: "email", label: "E-mail" },
    { key: "meeting", label: "Meeting" },
    { key: "note", label: "Note" },
  ],
  defaultPhoneCountry: null,
  version: 1,
  updatedAt: "2026-01-05T10:00:00.000Z",
};

const meOf = (role: "admin" | "manager") => ({
  user: { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" },
  workspaces: [{ id: workspaceId, name: "Acme", role }],
  activeWorkspaceId: workspaceId,
  role,
});

function signedIn(role: "admin" | "manager") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], meOf(role));
  return queryClient;
}

async function renderPage(role: "admin" | "manager" = "admin") {
  await renderWithProviders(
    <>
      <WorkspacePage />
      <Toaster />
    </>,
    { queryClient: signedIn(role) },
  );
}

const problem = (status: number, errors: { path: string; message: string }[] = []) => ({
  status,
  body: { type: status === 412 ? "/problems/stale-version" : "/problems/validation", title: "No", status, errors },
});
const list = (name: string) => screen.getByRole("list", { name });
const lineTexts = (name: string) =>
  within(list(name))
    .getAllByRole("textbox")
    .map((input) => (input as HTMLInputElement).value);

describe("WorkspacePage", () => {
  it("saves only what changed: currency, a new lost reason, and activity types renamed, reordered, added and removed", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/workspace": { body: stored },
      "PATCH /api/v1/workspace": ({ body }) => ({ body: { ...stored, ...(body as object), version: 2 } }),
      "GET /api/v1/me": { body: meOf("admin") },
    });
    await renderPage();
    await screen.findByRole("heading", { name: "General" });
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Acme");
    expect(screen.getByRole("button", { name: "Save settings" }).hasAttribute("disabled")).toBe(true);

    await user.selectOptions(screen.getByLabelText("Default currency"), "GBP");
    await user.type(screen.getByLabelText("New lead lost reason"), "Chose a rival{Enter}");
    expect(lineTexts("Lead lost reasons")).toEqual(["No budget", "Chose a rival"]);

    const types = list("Activity types");
    await user.clear(within(types).getByLabelText("Activity type 3"));
    await user.type(within(types).getByLabelText("Activity type 3"), "Visit");
    await user.click(within(types).getByRole("button", { name: "Move “Visit” up" }));
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move “Visit” up");
    expect(screen.getByText("Moved “Visit” to position 2 of 4.")).toBeTruthy();
    await user.click(within(types).getByRole("button", { name: "Remove “Note”" }));
    await user.type(screen.getByLabelText("New activity type"), "Campus visit");
    await user.click(screen.getByRole("button", { name: "Add activity type" }));
    expect(lineTexts("Activity types")).toEqual(["Call", "Visit", "E-mail", "Campus visit"]);
    expect(screen.getByText("New: added when you save")).toBeTruthy();
    const customerRule = screen.getByRole("checkbox", { name: /A won deal makes its contact a customer/ });
    expect((customerRule as HTMLInputElement).checked).toBe(true);
    await user.click(customerRule);

    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText("Saved the workspace's settings.")).toBeTruthy();
    const patch = api.calls.find((call) => call.method === "PATCH");
    expect(patch?.headers.get("if-match")).toBe('"1"');
    expect(patch?.body).toEqual({
      baseCurrency: "GBP",
      leadLostReasons: ["No budget", "Chose a rival"],
      activityTypes: [
        { key: "call", label: "Call" },
        { key: "meeting", label: "Visit" },
        { key: "email", label: "E-mail" },
        { key: "campus_visit", label: "Campus visit" },
      ],
      customerOnWonDeal: false,
    });
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Save settings" }).hasAttribute("disabled")).toBe(true),
    );
  });

  it("checks with the API's schema before sending, and puts the server's errors on the lines they name", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/workspace": { body: stored },
      "PATCH /api/v1/workspace": problem(400, [{ path: "activityTypes.0.label", message: "Taken by the server" }]),
    });
    await renderPage();
    await screen.findByRole("list", { name: "Lead lost reasons" });

    await user.type(screen.getByLabelText("New lead lost reason"), "no budget{Enter}");
    expect(await screen.findByText("“no budget” is in the list already")).toBeTruthy();
    await user.type(screen.getByLabelText("New lead lost reason"), "x");
    await user.click(screen.getByRole("button", { name: "Add lead lost reason" }));
    await user.clear(screen.getByLabelText("Lead lost reason 2"));
    await user.type(screen.getByLabelText("Lead lost reason 2"), "No Budget");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText("Listed twice")).toBeTruthy();
    expect(screen.getByLabelText("Lead lost reason 2").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls.filter((call) => call.method === "PATCH")).toHaveLength(0);

    await user.click(within(list("Lead lost reasons")).getByRole("button", { name: "Remove “No Budget”" }));
    await user.clear(screen.getByLabelText("Activity type 1"));
    await user.type(screen.getByLabelText("Activity type 1"), "Ring");
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText("Taken by the server")).toBeTruthy();
    expect(screen.getByLabelText("Activity type 1").getAttribute("aria-invalid")).toBe("true");
  });

  it("keeps the admin's changes on a 412 and saves them over the newer version when asked", async () => {
    const user = userEvent.setup();
    const theirs = { ...stored, timeZone: "Asia/Tokyo", version: 2 };
    let current = stored;
    const api = mockApi({
      "GET /api/v1/workspace": () => ({ body: current }),
      "PATCH /api/v1/workspace": ({ headers, body }) =>
        headers.get("if-match") === `"${theirs.version}"`
          ? { body: { ...theirs, ...(body as object), version: 3 } }
          : problem(412),
      "GET /api/v1/me": { body: meOf("admin") },
    });
    await renderPage();
    await screen.findByLabelText("Name");
    current = theirs;
    await user.clear(screen.getByLabelText("Name"));
    await user.type(screen.getByLabelText("Name"), "Acme Admissions");
    await user.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByText(/Someone else changed the settings/)).toBeTruthy();
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Acme Admissions");
    await user.click(screen.getByRole("button", { name: "Save mine over theirs" }));
    // Saved: the form starts again from the stored version, the message gone.
    await screen.findByRole("button", { name: "Save settings" });
    expect(screen.queryByText(/Someone else changed the settings/)).toBeNull();
    expect((screen.getByLabelText("Time zone") as HTMLSelectElement).value).toBe("Asia/Tokyo");
    const patches = api.calls.filter((call) => call.method === "PATCH");
    expect(patches.map((call) => call.headers.get("if-match"))).toEqual(['"1"', '"2"']);
    // Only the admin's own change: Tokyo, saved by the other admin meanwhile, stays.
    expect(patches[1]?.body).toEqual({ name: "Acme Admissions" });
  });

  it("turns on, and off again, that agents see only their own records", async () => {
    const user = userEvent.setup();
    let current = stored;
    const api = mockApi({
      "GET /api/v1/workspace": () => ({ body: current }),
      "PATCH /api/v1/workspace": ({ body }) => {
        current = { ...current, ...(body as object), version: current.version + 1 };
        return { body: current };
      },
    });
    await renderPage();
    const rule = (await screen.findByRole("checkbox", {
      name: /Agents see only their own records/,
    })) as HTMLInputElement;
    expect(rule.checked).toBe(false);
    expect(
      screen.getByText(
        "Agents then see only the contacts, companies, leads, deals, activities and tasks they own or are assigned.",
      ),
    ).toBeTruthy();

    await user.click(rule);
    expect(rule.checked).toBe(true);
    const save = screen.getByRole("button", { name: "Save settings" });
    await user.click(save);
    // Saved: nothing left to save until the next change.
    await waitFor(() => expect(save.hasAttribute("disabled")).toBe(true));
    expect(rule.checked).toBe(true);
    await user.click(rule);
    await user.click(save);
    await waitFor(() => expect(save.hasAttribute("disabled")).toBe(true));

    const patches = api.calls.filter((call) => call.method === "PATCH");
    expect(patches.map((call) => call.body)).toEqual([
      { agentsSeeOwnRecordsOnly: true },
      { agentsSeeOwnRecordsOnly: false },
    ]);
    expect(patches.map((call) => call.headers.get("if-match"))).toEqual(['"1"', '"2"']);
    expect(rule.checked).toBe(false);
  });

  it("speaks German once the interface does", async () => {
    await setLanguage("de");
    mockApi({ "GET /api/v1/workspace": { body: stored } });
    await renderPage();
    expect(await screen.findByRole("heading", { level: 1, name: "Arbeitsbereich" })).toBeTruthy();
    expect(await screen.findByRole("checkbox", { name: /Agents sehen nur ihre eigenen Datensätze/ })).toBeTruthy();
    expect(screen.getByRole("list", { name: "Aktivitätstypen" })).toBeTruthy();
    expect(screen.getByLabelText("Neuer Aktivitätstyp")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Einstellungen speichern" })).toBeTruthy();
    // Months and the "auto" formats follow the interface's language too.
    expect(screen.getByRole("option", { name: "Januar" })).toBeTruthy();
    expect(screen.getAllByRole("option", { name: "Sprache der jeweiligen Person" })).toHaveLength(2);
  });

  it("is for admins: others get an explanation and no settings link", async () => {
    mockApi({ "GET /api/v1/workspace": { body: stored } });
    await renderPage("manager");
    expect(await screen.findByText("Only admins change the workspace's settings.")).toBeTruthy();
    expect(screen.queryByLabelText("Name")).toBeNull();
    expect(settingsPagesFor("admin").map((page) => page.to)).toContain("/settings/workspace");
    for (const role of ["manager", "agent", "viewer"] as const) {
      expect(settingsPagesFor(role).map((page) => page.to)).not.toContain("/settings/workspace");
    }
  });
});
