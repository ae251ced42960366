import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { ContactForm } from "../contacts/ContactForm.tsx";

const existing = "0190f6c2-0000-7000-8000-000000000009";

describe("the create form's duplicate warning", () => {
  it("names a likely duplicate as the user types, linking to it", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/contacts/possible-duplicates": ({ url }) => ({
        body: {
          data:
            url.searchParams.get("email") === "ada@example.com"
              ? [
                  {
                    id: existing,
                    name: "Ada Lovelace",
                    email: "ada@example.com",
                    domain: null,
                    phone: null,
                    ownerId: null,
                    owner: null,
                    createdAt: "2026-01-01T00:00:00.000Z",
                    reason: "email",
                    confidence: "high",
                  },
                ]
              : [],
        },
      }),
    });
    await renderWithProviders(<ContactForm onDone={vi.fn()} onCancel={vi.fn()} />);
    await user.type(screen.getByLabelText("E-mail"), "ada@example.com");
    const link = await screen.findByRole("link", { name: "Ada Lovelace" }, { timeout: 3000 });
    expect(link.getAttribute("href")).toBe(`/contacts/${existing}`);
    expect(link.closest("[role=status]")?.textContent).toContain("same e-mail");
    // Asked after pauses in typing, not once per key.
    const checks = api.calls.filter((c) => c.path === "/api/v1/contacts/possible-duplicates");
    expect(checks.length).toBeLessThan(4);
  });

  it("asks only with fields the form would accept: not a name too long, not a half-typed e-mail", async () => {
    const user = userEvent.setup();
    const api = mockApi({ "GET /api/v1/contacts/possible-duplicates": { body: { data: [] } } });
    await renderWithProviders(<ContactForm onDone={vi.fn()} onCancel={vi.fn()} />);
    await user.click(screen.getByLabelText("First name"));
    await user.paste("A".repeat(101));
    await user.type(screen.getByLabelText("E-mail"), "foo@");
    // Longer than the check waits for a pause in typing (400 ms).
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(api.calls).toEqual([]);

    await user.type(screen.getByLabelText("E-mail"), "example.com");
    await waitFor(() => expect(api.calls).toHaveLength(1), { timeout: 3000 });
    const asked = Object.fromEntries(api.calls[0]?.url.searchParams ?? []);
    expect(asked).toEqual({ email: "foo@example.com" });
  });
});
