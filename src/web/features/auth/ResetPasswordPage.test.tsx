import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { ResetPasswordPage } from "./ResetPasswordPage.tsx";

const newPassword = "harbour violet cinder 58";
const problem = (path: string, message: string) => ({
  status: 400,
  body: {
    type: "/problems/validation",
    title: "Invalid request",
    status: 400,
    detail: message,
    errors: [{ path, message }],
  },
});

describe("ResetPasswordPage", () => {
  it("sends the link's token with the new password, then offers to sign in", async () => {
    const user = userEvent.setup();
    const api = mockApi({ "POST /api/v1/auth/reset-password": { status: 204 }, "GET /api/v1/me": { status: 401 } });
    await renderWithProviders(<ResetPasswordPage />, { url: "/?token=tok-1" });
    await user.type(screen.getByLabelText("New password"), newPassword);
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("heading", { name: "Your password is changed" })).toBeTruthy();
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ token: "tok-1", password: newPassword });
  });

  it("puts a refused password at its field, and keeps the form", async () => {
    const user = userEvent.setup();
    mockApi({
      "POST /api/v1/auth/reset-password": problem("password", "This is a commonly used password; choose another."),
    });
    await renderWithProviders(<ResetPasswordPage />, { url: "/?token=tok-2" });
    await user.type(screen.getByLabelText("New password"), "password1234");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findAllByText("This is a commonly used password; choose another.")).not.toHaveLength(0);
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("true");
  });

  it("says the link does not work when the server refuses its token", async () => {
    const user = userEvent.setup();
    mockApi({ "POST /api/v1/auth/reset-password": problem("token", "This link is invalid or has expired.") });
    await renderWithProviders(<ResetPasswordPage />, { url: "/?token=tok-3" });
    await user.type(screen.getByLabelText("New password"), newPassword);
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("heading", { name: "This link does not work" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Ask for a new link" })).toBeTruthy();
  });
});
