import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it, vi } from "vitest";
import { settingsPagesFor } from "./settings-pages.ts";
import { AppShell } from "../../layout/AppShell.tsx";
import { mockApi, renderWithProviders, signedInAs, testMember } from "../../test/render.tsx";
import type { ApiKeyRow } from "./api-keys.api.ts";
import { ApiKeysPage } from "./ApiKeysPage.tsx";

const me = testMember.user;

const zapier: ApiKeyRow = {
  id: "0190f6c2-0000-7000-8000-0000000000k1",
  name: "Zapier",
  prefix: "keel_x7Hq2bZ",
  scopes: ["contacts:read", "deals:write"],
  createdBy: me.id,
  createdAt: "2026-03-01T10:00:00.000Z",
  lastUsedAt: "2026-03-02T11:30:00.000Z",
  lastUsedIp: "203.0.113.7",
  expiresAt: null,
  revokedAt: null,
};
const oldScript: ApiKeyRow = {
  ...zapier,
  id: "0190f6c2-0000-7000-8000-0000000000k2",
  name: "Old script",
  prefix: "keel_Ab3dEf9",
  scopes: ["*:read"],
  lastUsedAt: null,
  lastUsedIp: null,
  revokedAt: "2026-03-03T09:00:00.000Z",
};

function withToasts(ui: React.ReactElement) {
  return (
    <>
      {ui}
      <Toaster />
    </>
  );
}

describe("ApiKeysPage", () => {
  it("lists the keys: prefix, scopes, last use with its IP, status; only active keys can be revoked", async () => {
    mockApi({ "GET /api/v1/api-keys": { body: { data: [zapier, oldScript] } } });
    await renderWithProviders(<ApiKeysPage />, { queryClient: signedInAs() });

    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    const [, first, second] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(first.textContent).toContain("Zapier");
    expect(first.textContent).toContain("keel_x7Hq2bZ…");
    expect(first.textContent).toContain("contacts: read, deals: write");
    expect(first.textContent).toContain("203.0.113.7");
    expect(first.textContent).toContain("Active");
    expect(within(first).getByRole("button", { name: "Revoke Zapier" })).toBeTruthy();
    expect(second.textContent).toContain("All resources: read");
    expect(second.textContent).toContain("Never");
    expect(second.textContent).toContain("Revoked");
    expect(within(second).queryByRole("button", { name: /Revoke/ })).toBeNull();
  });

  it.each(["manager", "agent", "viewer"] as const)(
    "for the %s role: says the page is for admins, and asks the server for no keys (it would refuse)",
    async (role) => {
      const api = mockApi({});
      await renderWithProviders(<ApiKeysPage />, { queryClient: signedInAs(role) });
      expect(await screen.findByText("Only admins manage API keys.")).toBeTruthy();
      expect(api.calls).toEqual([]);
    },
  );

  it("explains what a key is for when there is none", async () => {
    mockApi({ "GET /api/v1/api-keys": { body: { data: [] } } });
    await renderWithProviders(<ApiKeysPage />, { queryClient: signedInAs() });
    expect(await screen.findByText("No API keys yet")).toBeTruthy();
    expect(screen.getByText(/lets another tool/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Create key" })).toBeTruthy();
  });

  it("sends the scopes ticked, then shows the new key once, to copy, until Done", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const created = {
      ...zapier,
      id: "0190f6c2-0000-7000-8000-0000000000k3",
      name: "Importer",
      scopes: ["contacts:read"],
    };
    const api = mockApi({
      "GET /api/v1/api-keys": { body: { data: [zapier] } },
      "POST /api/v1/api-keys": { status: 201, body: { ...created, key: "keel_secretSECRETsecret" } },
    });
    await renderWithProviders(withToasts(<ApiKeysPage />), { queryClient: signedInAs() });

    await user.click(await screen.findByRole("button", { name: "Create key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await user.type(within(dialog).getByLabelText("Name"), "Importer");
    await user.click(within(dialog).getByRole("checkbox", { name: "Read contacts" }));
    // Write implies read: ticking write shows read ticked and fixed, and sends only write.
    await user.click(within(dialog).getByRole("checkbox", { name: "Write deals" }));
    const dealsRead = within(dialog).getByRole("checkbox", { name: "Read deals" }) as HTMLInputElement;
    expect(dealsRead.checked && dealsRead.disabled).toBe(true);
    await user.click(within(dialog).getByRole("checkbox", { name: "Write deals" }));
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));

    const shown = await screen.findByRole("dialog", { name: "Copy your new API key" });
    const post = api.calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({ name: "Importer", scopes: ["contacts:read"] });
    expect((within(shown).getByLabelText("Key “Importer”") as HTMLInputElement).value).toBe("keel_secretSECRETsecret");
    expect(shown.textContent).toContain("you won’t see it again");

    // Set after userEvent.setup(), which installs its own clipboard.
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(within(shown).getByRole("button", { name: "Copy key" }));
    expect(writeText).toHaveBeenCalledWith("keel_secretSECRETsecret");
    await user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.queryByText("keel_secretSECRETsecret")).toBeNull();
    expect(document.body.innerHTML).not.toContain("keel_secretSECRETsecret");
  });

  it("asks for a name and a scope before sending, and puts the server's field errors on the fields", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/api-keys": { body: { data: [zapier] } },
      "POST /api/v1/api-keys": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid",
          status: 400,
          detail: "Some fields are invalid.",
          errors: [{ path: "expiresAt", message: "Must be in the future" }],
        },
      },
    });
    await renderWithProviders(<ApiKeysPage />, { queryClient: signedInAs() });
    await user.click(await screen.findByRole("button", { name: "Create key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    expect(await within(dialog).findByText("Give at least one scope")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.type(within(dialog).getByLabelText("Name"), "Late");
    await user.click(within(dialog).getByRole("checkbox", { name: "Read all resources" }));
    expect((within(dialog).getByRole("checkbox", { name: "Read leads" }) as HTMLInputElement).disabled).toBe(true);
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    expect(await within(dialog).findByText("Expires on (optional) must be in the future")).toBeTruthy();
    expect(within(dialog).getByLabelText("Expires on (optional)").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Late", scopes: ["*:read"] });
  });

  it("revokes a key after asking, with DELETE, and says so", async () => {
    const user = userEvent.setup();
    let isRevoked = false;
    const api = mockApi({
      "GET /api/v1/api-keys": () => ({
        body: { data: [isRevoked ? { ...zapier, revokedAt: "2026-03-04T00:00:00.000Z" } : zapier] },
      }),
      [`DELETE /api/v1/api-keys/${zapier.id}`]: () => {
        isRevoked = true;
        return { status: 204 };
      },
    });
    await renderWithProviders(withToasts(<ApiKeysPage />), { queryClient: signedInAs() });
    // The table (wide screens) and the cards (phones) are both in happy-dom's document.
    await user.click(within(await screen.findByRole("table")).getByRole("button", { name: "Revoke Zapier" }));
    const confirm = await screen.findByRole("dialog", { name: "Revoke “Zapier”?" });
    expect(api.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Revoke key" }));

    expect(await screen.findByText("Revoked “Zapier”.")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      `/api/v1/api-keys/${zapier.id}`,
    ]);
    await waitFor(() => expect(screen.queryAllByRole("button", { name: "Revoke Zapier" })).toHaveLength(0));
  });
});

describe("the Settings link", () => {
  async function accountMenuItems(role: "admin" | "manager" | "agent" | "viewer") {
    const user = userEvent.setup();
    await renderWithProviders(<AppShell />, { queryClient: signedInAs(role) });
    await user.click(screen.getByRole("button", { name: "Account menu for Ada" }));
    const menu = await screen.findByRole("menu");
    return within(menu)
      .getAllByRole("menuitem")
      .map((item) => item.textContent);
  }

  it.each(["admin", "manager", "agent", "viewer"] as const)(
    "is in the account menu of a %s (everyone has a profile)",
    async (role) => {
      expect(await accountMenuItems(role)).toContain("Settings");
    },
  );

  it("lists the API keys page for admins only", () => {
    const apiKeysFor = (role: "admin" | "manager" | "agent" | "viewer") =>
      settingsPagesFor(role).some((page) => page.to === "/settings/api-keys");
    expect(apiKeysFor("admin")).toBe(true);
    expect(apiKeysFor("manager")).toBe(false);
    expect(apiKeysFor("agent")).toBe(false);
    expect(apiKeysFor("viewer")).toBe(false);
    expect(settingsPagesFor("viewer").map((page) => page.to)).toEqual(["/settings/profile"]);
  });
});
