import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { defaultWorkspaceSettings } from "../../../shared/workspace-defaults.ts";
import { mockApi, renderWithProviders, type ApiCall } from "../../test/render.tsx";
import { ActivityForm } from "./ActivityForm.tsx";
import type { RecordLink } from "./Timeline.tsx";

const link: RecordLink = { field: "dealId", id: "0190f6c2-0000-7000-8000-0000000000d1" };

/** The workspace's settings with its activity types (the form offers those). */
const workspace = (activityTypes = defaultWorkspaceSettings.activityTypes) => ({
  body: {
    id: "0190f6c2-0000-7000-8000-0000000000f1",
    name: "Acme",
    baseCurrency: "EUR",
    ...defaultWorkspaceSettings,
    activityTypes,
    version: 1,
  },
});
const posts = (api: { calls: ApiCall[] }) => api.calls.filter((call) => call.method === "POST");

describe("ActivityForm", () => {
  it("checks the shared schema before sending anything", async () => {
    const user = userEvent.setup();
    const api = mockApi({ "GET /api/v1/workspace": workspace() });
    await renderWithProviders(<ActivityForm link={link} onDone={vi.fn()} onCancel={vi.fn()} />);

    await user.type(screen.getByLabelText("Duration (minutes)"), "2000");
    await user.click(screen.getByRole("button", { name: "Log activity" }));

    expect(await screen.findByText("Subject is required (only a note may go without one)")).toBeTruthy();
    expect(screen.getByText("Duration (minutes) can be at most 1440 minutes (a day)")).toBeTruthy();
    expect(posts(api)).toHaveLength(0);
  });

  it("shows the fields of the chosen type and sends only those, linked to the record", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const api = mockApi({
      "GET /api/v1/workspace": workspace(),
      "POST /api/v1/activities": { status: 201, body: { id: "x", type: "note", subject: "Met at fair" } },
    });
    await renderWithProviders(<ActivityForm link={link} onDone={onDone} onCancel={vi.fn()} />);

    expect(screen.getByLabelText("Direction")).toBeTruthy();
    await user.click(screen.getByLabelText("Note"));
    expect(screen.queryByLabelText("Direction")).toBeNull();
    expect(screen.queryByLabelText("Duration (minutes)")).toBeNull();
    await user.type(screen.getByLabelText("Subject"), "Met at fair");
    await user.type(screen.getByRole("textbox", { name: "Note" }), "Line one{Enter}Line two");
    await user.click(screen.getByRole("button", { name: "Log activity" }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    const body = posts(api)[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "note",
      subject: "Met at fair",
      body: "Line one\nLine two",
      direction: null,
      durationMinutes: null,
      dealId: link.id,
    });
    expect(typeof body.occurredAt).toBe("string");
    expect(Number.isNaN(Date.parse(String(body.occurredAt)))).toBe(false);
  });

  it("links the activity to other records too: a contact and a company picked by typing", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const ada = { id: "0190f6c2-0000-7000-8000-0000000000a1", firstName: "Ada", lastName: "Lovelace", email: null };
    const acme = { id: "0190f6c2-0000-7000-8000-0000000000c1", name: "Acme", domain: null };
    const api = mockApi({
      "GET /api/v1/workspace": workspace(),
      "GET /api/v1/contacts": { body: { data: [ada], nextCursor: null } },
      "GET /api/v1/companies": { body: { data: [acme], nextCursor: null } },
      "POST /api/v1/activities": { status: 201, body: { id: "x", type: "note", subject: "" } },
    });
    await renderWithProviders(<ActivityForm link={link} onDone={onDone} onCancel={vi.fn()} />);

    // Logged on a deal: no deal picker, the deal is fixed.
    expect(screen.queryByRole("combobox", { name: "Deal" })).toBeNull();
    await user.click(screen.getByLabelText("Note"));
    await user.type(screen.getByRole("combobox", { name: "Contact" }), "ada");
    await user.click(await screen.findByRole("option", { name: /Ada Lovelace/ }));
    await user.type(screen.getByRole("combobox", { name: "Company" }), "acme");
    await user.click(await screen.findByRole("option", { name: /Acme/ }));
    await user.click(screen.getByRole("button", { name: "Log activity" }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posts(api)[0]?.body).toMatchObject({ dealId: link.id, contactId: ada.id, companyId: acme.id });
  });

  it("logged on no record, asks for at least one and links the records picked, a lead too", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const lead = { id: "0190f6c2-0000-7000-8000-0000000000c2", title: "Spring intake" };
    const api = mockApi({
      "GET /api/v1/workspace": workspace(),
      "GET /api/v1/leads": { body: { data: [lead], nextCursor: null } },
      "POST /api/v1/activities": { status: 201, body: { id: "x", type: "note", subject: "" } },
    });
    await renderWithProviders(<ActivityForm onDone={onDone} onCancel={vi.fn()} />);

    const group = screen.getByRole("group", { name: "Linked to" });
    expect(within(group).getAllByRole("combobox")).toHaveLength(4);
    await user.click(screen.getByLabelText("Note"));
    await user.click(screen.getByRole("button", { name: "Log activity" }));
    const contact = screen.getByRole("combobox", { name: "Contact" });
    expect(await screen.findByText("Choose at least one record the activity is about")).toBeTruthy();
    expect(contact.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(contact);
    expect(posts(api)).toHaveLength(0);

    await user.type(within(group).getByRole("combobox", { name: "Lead" }), "spring");
    await user.click(await screen.findByRole("option", { name: /Spring intake/ }));
    await user.click(screen.getByRole("button", { name: "Log activity" }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    const body = posts(api)[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ type: "note", leadId: lead.id });
    expect(Object.keys(body)).not.toContain("contactId");
  });

  it("puts the server's field errors on the fields", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/workspace": workspace(),
      "POST /api/v1/activities": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          errors: [{ path: "outcome", message: "Not allowed here" }],
        },
      },
    });
    await renderWithProviders(<ActivityForm link={link} onDone={vi.fn()} onCancel={vi.fn()} />);

    await user.type(screen.getByLabelText("Subject"), "Intro call");
    await user.type(screen.getByLabelText("Outcome"), "x");
    await user.click(screen.getByRole("button", { name: "Log activity" }));

    expect(await screen.findByText("Not allowed here")).toBeTruthy();
    expect(screen.getByLabelText("Outcome").getAttribute("aria-invalid")).toBe("true");
  });

  it("offers the workspace's own activity types, in its order, and logs one of them", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const api = mockApi({
      "GET /api/v1/workspace": workspace([
        { key: "campus_visit", label: "Campus visit" },
        { key: "call", label: "Phone call" },
      ]),
      "POST /api/v1/activities": { status: 201, body: { id: "x", type: "campus_visit", subject: "Tour" } },
    });
    await renderWithProviders(<ActivityForm link={link} onDone={onDone} onCancel={vi.fn()} />);

    const group = await screen.findByRole("group", { name: "Type" });
    await vi.waitFor(() =>
      expect(
        within(group)
          .getAllByRole("radio")
          .map((radio) => radio.closest("label")?.textContent),
      ).toEqual(["Campus visit", "Phone call"]),
    );
    expect(screen.queryByLabelText("Note")).toBeNull();
    await user.click(screen.getByLabelText("Campus visit"));
    await user.type(screen.getByLabelText("Subject"), "Tour");
    await user.click(screen.getByRole("button", { name: "Log activity" }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posts(api)[0]?.body).toMatchObject({ type: "campus_visit", subject: "Tour", dealId: link.id });
  });
});
