import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { ContactForm } from "./ContactForm.tsx";

const lookups = {
  "GET /api/v1/companies": {
    body: { data: [{ id: "0190f6c2-0000-7000-8000-000000000001", name: "Acme" }], nextCursor: null },
  },
  "GET /api/v1/users": { body: { data: [], nextCursor: null } },
};

describe("ContactForm", () => {
  it("checks the shared schema before sending anything", async () => {
    const user = userEvent.setup();
    const api = mockApi(lookups);
    await renderWithProviders(<ContactForm onDone={vi.fn()} onCancel={vi.fn()} />);

    await user.type(screen.getByLabelText("E-mail"), "not-an-address");
    await user.type(screen.getByLabelText("Phone"), "call me");
    await user.click(screen.getByRole("button", { name: "Create contact" }));

    expect(await screen.findByText("First name is required")).toBeTruthy();
    expect(screen.getByText("E-mail must be an e-mail address")).toBeTruthy();
    expect(screen.getByText(/^Phone must be a phone number/)).toBeTruthy();
    expect(screen.getByLabelText("First name").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("puts the server's problem+json field errors on the fields and keeps what was typed", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const api = mockApi({
      ...lookups,
      "POST /api/v1/contacts": {
        status: 409,
        body: {
          type: "/problems/duplicate",
          title: "Duplicate record",
          status: 409,
          detail: "A contact with this e-mail already exists.",
          errors: [{ path: "email", message: "Already used in this workspace" }],
        },
      },
    });
    await renderWithProviders(<ContactForm onDone={onDone} onCancel={vi.fn()} />);

    await user.type(screen.getByLabelText("First name"), "Ada");
    await user.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Create contact" }));

    expect(await screen.findByText("Already used in this workspace")).toBeTruthy();
    expect((screen.getByLabelText("First name") as HTMLInputElement).value).toBe("Ada");
    expect(onDone).not.toHaveBeenCalled();
    const post = api.calls.find((c) => c.method === "POST");
    // Empty optional fields are sent as null (cleared), never as "".
    expect(post?.body).toMatchObject({ firstName: "Ada", email: "ada@example.com", phone: null, companyId: null });
  });

  it("sends the edit with If-Match of the version it was based on", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const contact = {
      id: "0190f6c2-0000-7000-8000-0000000000aa",
      version: 4,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      createdBy: null,
      deletedAt: null,
      firstName: "Ada",
      lastName: "Lovelace",
      email: null,
      phone: null,
      jobTitle: null,
      companyId: null,
      ownerId: null,
      lifecycle: "lead" as const,
      source: null,
      tags: [],
    };
    const api = mockApi({
      ...lookups,
      [`PATCH /api/v1/contacts/${contact.id}`]: ({ body }) => ({
        body: { ...contact, ...(body as object), version: 5 },
      }),
    });
    await renderWithProviders(<ContactForm contact={contact} onDone={onDone} onCancel={vi.fn()} />);

    const jobTitle = screen.getByLabelText("Job title");
    await user.type(jobTitle, "Analyst");
    await user.click(screen.getByRole("button", { name: "Save contact" }));

    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.headers.get("if-match")).toBe('"4"');
    expect(patch?.body).toMatchObject({ jobTitle: "Analyst", lastName: "Lovelace" });
  });

  it("speaks German", async () => {
    mockApi(lookups);
    await setLanguage("de");
    await renderWithProviders(<ContactForm onDone={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByLabelText("Vorname")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Lebenszyklusphase" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Kontakt anlegen" })).toBeTruthy();
  });
});
