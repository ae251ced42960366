import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders, signedInAs } from "../../test/render.tsx";
import type { SsoSettingsRow } from "./sso.api.ts";
import { SsoPage } from "./SsoPage.tsx";

const links = {
  redirectUri: "https://crm.acme.test/api/v1/auth/oidc/acme-0000f1ab/callback",
  signInUrl: "https://crm.acme.test/api/v1/auth/oidc/acme-0000f1ab/start",
};
const saved: SsoSettingsRow = {
  ...links,
  issuer: "https://login.acme.test",
  clientId: "keel",
  hasClientSecret: true,
  allowedDomains: ["acme.test", "acme.example"],
  defaultRole: "agent",
  enabled: true,
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
};
const notSetUp = {
  status: 404,
  body: { type: "/problems/not-found", title: "Not found", status: 404, detail: "Single sign-on is not set up." },
};

function renderPage(role: "admin" | "manager" | "agent" | "viewer" = "admin") {
  return renderWithProviders(
    <>
      <SsoPage />
      <Toaster />
    </>,
    { queryClient: signedInAs(role) },
  );
}

describe("SsoPage", () => {
  it("sets single sign-on up: shows the redirect URI to register first, requires the secret, sends the domains as a list", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/sso": notSetUp,
      "GET /api/v1/sso/links": { body: links },
      "PUT /api/v1/sso": ({ body }) => ({ body: { ...saved, ...(body as object) } }),
    });
    await renderPage();

    expect(await screen.findByText(/Not set up/)).toBeTruthy();
    expect((screen.getByLabelText("Redirect URI") as HTMLInputElement).value).toBe(links.redirectUri);
    expect((screen.getByLabelText("Sign-in link") as HTMLInputElement).value).toBe(links.signInUrl);
    expect(screen.queryByRole("button", { name: "Delete settings" })).toBeNull();

    await user.type(screen.getByLabelText("Issuer URL"), "https://login.acme.test");
    await user.type(screen.getByLabelText("Client ID"), "keel");
    await user.type(screen.getByLabelText("Allowed e-mail domains"), "Acme.test, acme.example");
    await user.selectOptions(screen.getByLabelText("Default role"), "viewer");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/^.+ is required to set single sign-on up$/)).toBeTruthy();
    expect(api.calls.some((c) => c.method === "PUT")).toBe(false);

    await user.type(screen.getByLabelText("Client secret"), "s3cret");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved: single sign-on is on.")).toBeTruthy();
    expect(api.calls.find((c) => c.method === "PUT")?.body).toEqual({
      issuer: "https://login.acme.test",
      clientId: "keel",
      clientSecret: "s3cret",
      allowedDomains: ["acme.test", "acme.example"],
      defaultRole: "viewer",
      enabled: true,
    });
    expect(await screen.findByText(/On: members can sign in/)).toBeTruthy();
    // The secret is write-only: gone from the form once saved.
    await waitFor(() => expect((screen.getByLabelText("Client secret") as HTMLInputElement).value).toBe(""));
    expect(document.body.innerHTML).not.toContain("s3cret");
  });

  it("shows the saved settings, never a secret, and keeps the stored one when the field is left empty", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/sso": { body: saved },
      "GET /api/v1/sso/links": { body: links },
      "PUT /api/v1/sso": ({ body }) => ({ body: { ...saved, ...(body as object) } }),
    });
    await renderPage();

    const issuer = (await screen.findByLabelText("Issuer URL")) as HTMLInputElement;
    expect(issuer.value).toBe("https://login.acme.test");
    expect((screen.getByLabelText("Allowed e-mail domains") as HTMLTextAreaElement).value).toBe(
      "acme.test, acme.example",
    );
    expect((screen.getByLabelText("Client secret") as HTMLInputElement).value).toBe("");
    expect(screen.getByText("A secret is stored; it is never shown. Leave empty to keep it.")).toBeTruthy();

    await user.click(screen.getByRole("checkbox", { name: /Members can sign in through this provider/ }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved: single sign-on is off.")).toBeTruthy();
    const put = api.calls.find((c) => c.method === "PUT");
    expect(put?.body).toEqual({
      issuer: "https://login.acme.test",
      clientId: "keel",
      allowedDomains: ["acme.test", "acme.example"],
      defaultRole: "agent",
      enabled: false,
    });
  });

  it("names a wrong domain before sending, and puts the server's field errors on the fields", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/sso": { body: saved },
      "GET /api/v1/sso/links": { body: links },
      "PUT /api/v1/sso": {
        status: 422,
        body: {
          type: "/problems/rule-violation",
          title: "Rule violation",
          status: 422,
          detail: "Keel could not read https://login.acme.test/.well-known/openid-configuration",
          errors: [
            { path: "issuer", message: "Keel could not read https://login.acme.test/.well-known/openid-configuration" },
          ],
        },
      },
    });
    await renderPage();
    const domains = await screen.findByLabelText("Allowed e-mail domains");
    await user.clear(domains);
    await user.type(domains, "acme.test, not a domain");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("“not” is not a domain name such as example.com")).toBeTruthy();
    expect(api.calls.some((c) => c.method === "PUT")).toBe(false);

    await user.clear(domains);
    await user.click(screen.getByRole("button", { name: "Save" }));
    const issuerError = await screen.findByText(/Keel could not read https:\/\/login\.acme\.test/);
    expect(issuerError.getAttribute("role")).toBe("alert");
    expect(screen.getByLabelText("Issuer URL").getAttribute("aria-invalid")).toBe("true");
  });

  it("copies the redirect URI and the sign-in link", async () => {
    const user = userEvent.setup();
    mockApi({ "GET /api/v1/sso": { body: saved }, "GET /api/v1/sso/links": { body: links } });
    await renderPage();
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(await screen.findByRole("button", { name: "Copy the redirect URI" }));
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(screen.getByRole("button", { name: "Copy the sign-in link" }));
    expect(writeText.mock.calls).toEqual([[links.redirectUri], [links.signInUrl]]);
  });

  it("deletes the settings after asking", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/sso": { body: saved },
      "GET /api/v1/sso/links": { body: links },
      "DELETE /api/v1/sso": { status: 204 },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "Delete settings" }));
    const confirm = await screen.findByRole("dialog", { name: "Delete the single sign-on settings?" });
    expect(api.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Delete settings" }));
    expect(await screen.findByText("Deleted the single sign-on settings.")).toBeTruthy();
    expect(await screen.findByText(/Not set up/)).toBeTruthy();
    expect((screen.getByLabelText("Issuer URL") as HTMLInputElement).value).toBe("");
  });

  it.each(["manager", "agent", "viewer"] as const)(
    "tells a %s that only admins manage it, and asks nothing",
    async (role) => {
      const api = mockApi({});
      await renderPage(role);
      expect(screen.getByText("Only admins manage single sign-on.")).toBeTruthy();
      expect(screen.queryByLabelText("Issuer URL")).toBeNull();
      expect(api.calls).toEqual([]);
    },
  );
});
