import { QueryClientProvider } from "@tanstack/react-query";
import {
  RouterProvider,
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
} from "@tanstack/react-router";
import { render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, testQueryClient } from "../../test/render.tsx";
import { SignInPage } from "./SignInPage.tsx";

const options = { demoAccounts: [], demoPassword: null };

/** The sign-in page at its own route (it reads that route's search: where to go after, and SSO errors). */
async function renderSignIn(url: string) {
  const rootRoute = createRootRoute();
  const signInRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: "/sign-in",
    validateSearch: (search: Record<string, unknown>) => ({
      redirect: typeof search.redirect === "string" ? search.redirect : undefined,
      sso_error: typeof search.sso_error === "string" ? search.sso_error : undefined,
    }),
    component: SignInPage,
  });
  const router = createRouter({
    routeTree: rootRoute.addChildren([signInRoute]),
    history: createMemoryHistory({ initialEntries: [url] }),
  });
  await router.load();
  render(
    <QueryClientProvider client={testQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe("SignInPage", () => {
  it("explains why a single sign-on came back refused, from its code", async () => {
    mockApi({ "GET /api/v1/auth/options": { body: options } });
    await renderSignIn("/sign-in?sso_error=expired-state");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("Signing in took too long. Start again.");
    expect(screen.getByLabelText("E-mail")).toBeTruthy();
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });

  it("speaks German to a browser that prefers it, before anyone signs in", async () => {
    mockApi({ "GET /api/v1/auth/options": { body: options } });
    await setLanguage("de");
    await renderSignIn("/sign-in?sso_error=not-a-known-code");
    expect(await screen.findByRole("heading", { name: "Anmelden" })).toBeTruthy();
    expect(screen.getByLabelText("E-Mail")).toBeTruthy();
    expect(screen.getByLabelText("Passwort")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Anmelden" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Passwort vergessen?" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Mit Single Sign-on anmelden" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toMatch(/^Die Single-Sign-on-Anmeldung wurde nicht abgeschlossen/);
  });

  it.each([
    ["en", "E-mail", "Password", "Sign in", "E-mail must be an e-mail address"],
    ["de", "E-Mail", "Passwort", "Anmelden", "E-Mail muss eine E-Mail-Adresse sein"],
  ] as const)(
    "says at the field, in %s, that the e-mail is not an address, without asking the server",
    async (language, emailLabel, passwordLabel, submit, message) => {
      const user = userEvent.setup();
      const api = mockApi({ "GET /api/v1/auth/options": { body: options } });
      await setLanguage(language);
      await renderSignIn("/sign-in");
      const email = await screen.findByLabelText(emailLabel);
      await user.type(email, "not-an-email");
      await user.type(screen.getByLabelText(passwordLabel), "correct horse battery");
      await user.click(screen.getByRole("button", { name: submit }));

      expect((await screen.findByRole("alert")).textContent).toBe(message);
      expect(email.getAttribute("aria-invalid")).toBe("true");
      expect(api.calls.filter((call) => call.path === "/api/v1/auth/sign-in")).toEqual([]);
    },
  );
});
