import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { SsoSignInPage } from "./SsoSignInPage.tsx";

const problem = (status: number) => ({
  status,
  body: { type: "/problems/not-found", title: "Not found", status, detail: "No such workspace." },
});

afterEach(() => {
  vi.restoreAllMocks();
});

function stubNavigation() {
  const assign = vi.fn();
  vi.spyOn(window.location, "assign").mockImplementation(assign);
  return assign;
}

describe("SsoSignInPage", () => {
  it("sends the browser to the workspace's start, in lower case, and remembers the name", async () => {
    const user = userEvent.setup();
    const assign = stubNavigation();
    const api = mockApi({ "GET /api/v1/auth/oidc/acme-1a2b3c4d/start": { status: 302 } });
    await renderWithProviders(<SsoSignInPage />, { url: "/sso" });
    await user.type(screen.getByLabelText("Workspace sign-in name"), " Acme-1A2B3C4D ");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(assign).toHaveBeenCalledWith("/api/v1/auth/oidc/acme-1a2b3c4d/start");
    expect(api.calls).toHaveLength(1);
    expect(localStorage.getItem("keel.sso.workspace")).toBe("acme-1a2b3c4d");
  });

  it("explains an unknown name instead of leaving for a page of JSON", async () => {
    const user = userEvent.setup();
    const assign = stubNavigation();
    mockApi({ "GET /api/v1/auth/oidc/nobody-here/start": problem(404) });
    await renderWithProviders(<SsoSignInPage />, { url: "/sso" });
    await user.type(screen.getByLabelText("Workspace sign-in name"), "nobody-here");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByText(/No workspace with this sign-in name uses single sign-on/)).toBeTruthy();
    expect(screen.getByLabelText("Workspace sign-in name").getAttribute("aria-invalid")).toBe("true");
    expect(assign).not.toHaveBeenCalled();
  });

  it("refuses a name that cannot be one without asking the server", async () => {
    const user = userEvent.setup();
    const api = mockApi({});
    await renderWithProviders(<SsoSignInPage />, { url: "/sso" });
    await user.type(screen.getByLabelText("Workspace sign-in name"), "acme/../admin");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByText(/only letters, digits and hyphens/)).toBeTruthy();
    expect(api.calls).toEqual([]);
  });

  it("speaks German to a browser that prefers it, before anyone signs in", async () => {
    const user = userEvent.setup();
    const api = mockApi({});
    await setLanguage("de");
    await renderWithProviders(<SsoSignInPage />, { url: "/sso" });
    expect(screen.getByRole("heading", { name: "Mit Single Sign-on anmelden" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Stattdessen mit E-Mail und Passwort anmelden" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Weiter" }));
    expect(await screen.findByText("Geben Sie den Anmeldenamen Ihres Arbeitsbereichs an.")).toBeTruthy();
    expect(screen.getByLabelText("Anmeldename des Arbeitsbereichs").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls).toEqual([]);
  });
});
