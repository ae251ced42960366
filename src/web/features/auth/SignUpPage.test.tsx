import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { SignUpPage } from "./SignUpPage.tsx";

const strongPassword = "lantern orbit meadow 74";

async function fillForm(user: ReturnType<typeof userEvent.setup>, password = strongPassword) {
  await user.type(screen.getByLabelText("Your name"), "Grace Hopper");
  await user.type(screen.getByLabelText("E-mail"), "grace@example.com");
  await user.type(screen.getByLabelText("Password"), password);
  await user.type(screen.getByLabelText("Workspace name"), "Compilers");
}

/** The strength meter once zxcvbn has loaded and judged the value typed. */
async function meter(): Promise<HTMLElement> {
  return screen.findByRole("meter", { name: "Password strength" }, { timeout: 10_000 });
}

describe("SignUpPage", () => {
  it("rates the password as it is typed: too short, then common, then strong enough", async () => {
    const user = userEvent.setup();
    mockApi({});
    await renderWithProviders(<SignUpPage />);
    const password = screen.getByLabelText("Password");
    expect(screen.getByText(/At least 12 characters/)).toBeTruthy();

    await user.type(password, "qwerty");
    expect(await screen.findByText("Use at least 12 characters: 6 more.", {}, { timeout: 10_000 })).toBeTruthy();
    expect((await meter()).getAttribute("aria-valuetext")).toMatch(/^Too short/);

    await user.clear(password);
    await user.type(password, "password1234");
    await waitFor(() => expect(screen.getByText("This is a commonly used password; choose another.")).toBeTruthy());
    expect(Number((await meter()).getAttribute("aria-valuenow"))).toBeLessThan(2);

    await user.clear(password);
    await user.type(password, strongPassword);
    await waitFor(() => expect(screen.getByText("Strong enough.")).toBeTruthy());
    expect(Number((await meter()).getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(3);
    // The meter's text describes the field, so a screen reader reads it with the field.
    const describedBy = password.getAttribute("aria-describedby") ?? "";
    expect(
      describedBy.split(" ").some((id) => document.getElementById(id)?.textContent?.includes("Strong enough")),
    ).toBe(true);
  });

  it("counts the person's own name as guessable", async () => {
    const user = userEvent.setup();
    mockApi({});
    await renderWithProviders(<SignUpPage />);
    await user.type(screen.getByLabelText("Your name"), "Grace Hopper");
    await user.type(screen.getByLabelText("Password"), "grace hopper 1");
    await waitFor(() => expect(screen.getByText(/Too easy to guess/)).toBeTruthy(), { timeout: 10_000 });
  });

  it("checks the fields before sending, then shows the server's field errors at their fields", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "POST /api/v1/auth/sign-up": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "Too easy to guess; use a longer passphrase of several unrelated words.",
          errors: [
            { path: "password", message: "Too easy to guess; use a longer passphrase of several unrelated words." },
          ],
        },
      },
    });
    await renderWithProviders(<SignUpPage />);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findAllByText(/^.+ is required$/)).toHaveLength(2);
    expect(screen.getByText("E-mail must be an e-mail address")).toBeTruthy();
    expect(screen.getByText(/^Password must be at least 12 characters/)).toBeTruthy();
    expect(api.calls).toHaveLength(0);

    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const error = await screen.findByText("Too easy to guess; use a longer passphrase of several unrelated words.");
    const field = screen.getByLabelText("Password");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toContain(error.id);
    expect(api.calls.map((c) => c.body)).toEqual([
      { name: "Grace Hopper", email: "grace@example.com", password: strongPassword, workspaceName: "Compilers" },
    ]);
  });

  it("says to check the e-mail once the server took the sign-up", async () => {
    const user = userEvent.setup();
    mockApi({ "POST /api/v1/auth/sign-up": { status: 202, body: { status: "check-your-email" } } });
    await renderWithProviders(<SignUpPage />);
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("heading", { name: "Check your e-mail" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toContain("grace@example.com");
    expect(screen.getByRole("link", { name: "Sign in" })).toBeTruthy();
  });

  it("says sign-up is closed when the server answers 403", async () => {
    const user = userEvent.setup();
    mockApi({
      "POST /api/v1/auth/sign-up": {
        status: 403,
        body: { type: "/problems/forbidden", title: "Not allowed", status: 403, detail: "Sign-up is closed." },
      },
    });
    await renderWithProviders(<SignUpPage />);
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Ask a workspace admin to invite you.");
  });
});
