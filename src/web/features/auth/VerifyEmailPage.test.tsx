import { screen } from "@testing-library/react";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { VerifyEmailPage } from "./VerifyEmailPage.tsx";

const invalidToken = {
  status: 400,
  body: {
    type: "/problems/validation",
    title: "Invalid request",
    status: 400,
    detail: "This link is invalid or has expired; ask for a new one.",
    errors: [{ path: "token", message: "This link is invalid or has expired; ask for a new one." }],
  },
};

describe("VerifyEmailPage", () => {
  it("posts the link's token once, even under StrictMode, and offers to sign in", async () => {
    const api = mockApi({ "POST /api/v1/auth/verify-email": { body: { email: "grace@example.com" } } });
    await renderWithProviders(
      <StrictMode>
        <VerifyEmailPage />
      </StrictMode>,
      { url: "/?token=tok-once" },
    );
    expect(await screen.findByRole("heading", { name: "Your e-mail is verified" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toContain("grace@example.com");
    expect(screen.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/sign-in");
    expect(api.calls.map((c) => c.body)).toEqual([{ token: "tok-once" }]);
  });

  it("says plainly when the link is used, expired or forged", async () => {
    mockApi({ "POST /api/v1/auth/verify-email": invalidToken });
    await renderWithProviders(<VerifyEmailPage />, { url: "/?token=tok-used" });
    expect(await screen.findByRole("heading", { name: "This link does not work" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toContain("invalid or has expired");
  });

  it("asks nothing of the server for a link without a token", async () => {
    const api = mockApi({});
    await renderWithProviders(<VerifyEmailPage />, { url: "/" });
    expect(await screen.findByRole("heading", { name: "This link does not work" })).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });
});
