import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { SessionRow, SignInRow } from "./profile.api.ts";
import { ProfilePage } from "./ProfilePage.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada", locale: null };
const workspace = { id: "0190f6c2-0000-7000-8000-0000000000f1", name: "Acme", role: "agent" };

function signedIn() {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: me,
    workspaces: [workspace],
    activeWorkspaceId: workspace.id,
    role: "agent",
  });
  return queryClient;
}

const chromeUa =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const firefoxUa = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0";
const iphoneUa =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

const session = (id: string, userAgent: string, ipAddress: string, current = false): SessionRow => ({
  id: `0190f6c2-0000-7000-8000-0000000000${id}`,
  createdAt: "2026-03-01T10:00:00.000Z",
  lastSeenAt: "2026-03-02T10:00:00.000Z",
  expiresAt: "2026-03-15T10:00:00.000Z",
  ipAddress,
  userAgent,
  current,
});
const thisOne = session("c1", chromeUa, "203.0.113.7", true);
const laptop = session("c2", firefoxUa, "198.51.100.4");
const phone = session("c3", iphoneUa, "192.0.2.9");

const attempt = (n: number, success: boolean): SignInRow => ({
  id: `0190f6c2-0000-7000-8000-${String(n).padStart(12, "0")}`,
  userId: me.id,
  email: me.email,
  success,
  reason: success ? null : "wrong-password",
  ipAddress: "203.0.113.7",
  userAgent: chromeUa,
  at: "2026-03-02T09:00:00.000Z",
});

function withToasts(ui: React.ReactElement) {
  return (
    <>
      {ui}
      <Toaster />
    </>
  );
}

/** The fake API of the profile page: my sessions (revocable) and two pages of sign-ins. */
function profileApi(extra: Parameters<typeof mockApi>[0] = {}) {
  let sessions = [thisOne, laptop, phone];
  return mockApi({
    "GET /api/v1/me/sessions": () => ({ body: { data: sessions } }),
    [`DELETE /api/v1/me/sessions/${laptop.id}`]: () => {
      sessions = sessions.filter((s) => s.id !== laptop.id);
      return { status: 204 };
    },
    "POST /api/v1/me/sessions/revoke-others": () => {
      const revoked = sessions.filter((s) => !s.current).length;
      sessions = sessions.filter((s) => s.current);
      return { body: { revoked } };
    },
    // Two-factor sign-in has its own tests (TwoFactorSection.test.tsx): here it is off.
    "GET /api/v1/me/two-factor": { body: { enabled: false, enabledAt: null, backupCodesLeft: 0 } },
    "GET /api/v1/me/sign-ins": ({ url }) =>
      url.searchParams.get("cursor") === "page-2"
        ? { body: { data: [attempt(1, true)], nextCursor: null } }
        : { body: { data: [attempt(3, true), attempt(2, false)], nextCursor: "page-2" } },
    ...extra,
  });
}

describe("ProfilePage: sessions", () => {
  it("lists my sessions with this one marked and not revocable here", async () => {
    profileApi();
    await renderWithProviders(<ProfilePage />, { queryClient: signedIn() });
    const list = await screen.findByRole("list", { name: "My sessions" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(items[0]?.textContent).toContain("Chrome on Linux");
    expect(items[0]?.textContent).toContain("This session");
    expect(within(items[0] as HTMLElement).queryByRole("button")).toBeNull();
    expect(items[1]?.textContent).toContain("Firefox on Windows");
    expect(items[1]?.textContent).toContain("198.51.100.4");
    expect(items[1]?.textContent).not.toContain("This session");
  });

  it("signs one other session out with DELETE, and the list follows", async () => {
    const user = userEvent.setup();
    const api = profileApi();
    await renderWithProviders(withToasts(<ProfilePage />), { queryClient: signedIn() });
    await user.click(await screen.findByRole("button", { name: "Sign out Firefox on Windows at 198.51.100.4" }));
    expect(await screen.findByText("Signed out Firefox on Windows at 198.51.100.4.")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      `/api/v1/me/sessions/${laptop.id}`,
    ]);
    await waitFor(() =>
      expect(within(screen.getByRole("list", { name: "My sessions" })).getAllByRole("listitem")).toHaveLength(2),
    );
  });

  it("signs out everywhere else after asking, keeping this session", async () => {
    const user = userEvent.setup();
    const api = profileApi();
    await renderWithProviders(withToasts(<ProfilePage />), { queryClient: signedIn() });
    await screen.findByRole("list", { name: "My sessions" });
    await user.click(screen.getByRole("button", { name: "Sign out everywhere else" }));
    const confirm = await screen.findByRole("dialog", { name: "Sign out everywhere else?" });
    expect(confirm.textContent).toContain("(2)");
    expect(api.calls.some((c) => c.path.endsWith("/revoke-others"))).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Sign out other sessions" }));
    expect(await screen.findByText("Signed out 2 other sessions.")).toBeTruthy();
    await waitFor(() =>
      expect(within(screen.getByRole("list", { name: "My sessions" })).getAllByRole("listitem")).toHaveLength(1),
    );
    expect((screen.getByRole("button", { name: "Sign out everywhere else" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("ProfilePage: language", () => {
  /** PATCH /me as the API answers it: the new Me with the chosen locale. */
  const languageApi = () =>
    profileApi({
      "PATCH /api/v1/me": ({ body }) => ({
        body: {
          user: { ...me, locale: (body as { locale: string | null }).locale },
          workspaces: [workspace],
          activeWorkspaceId: workspace.id,
          role: "agent",
        },
      }),
    });
  const picker = () => screen.getByRole("combobox", { name: "Interface language" }) as HTMLSelectElement;

  it("offers the browser's language and each language in itself, and saves the choice as the new me", async () => {
    const user = userEvent.setup();
    const api = languageApi();
    const { queryClient } = await renderWithProviders(withToasts(<ProfilePage />), { queryClient: signedIn() });
    expect(screen.getByRole("heading", { level: 2, name: "Language" })).toBeTruthy();
    expect(
      within(picker())
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Browser default", "English", "Deutsch"]);
    expect(within(picker()).getByRole("option", { name: "Deutsch" }).getAttribute("lang")).toBe("de");
    expect(picker().value).toBe("");

    await user.selectOptions(picker(), "Deutsch");
    // The interface speaks the language chosen at once, the toast too.
    expect(await screen.findByText("Sprache gespeichert.")).toBeTruthy();
    expect(queryClient.getQueryData<{ user: { locale: string | null } }>(["me"])?.user.locale).toBe("de");
    expect(document.documentElement.lang).toBe("de");
    expect(await screen.findByRole("heading", { level: 1, name: "Profil" })).toBeTruthy();
    const german = screen.getByRole("combobox", { name: "Sprache der Oberfläche" }) as HTMLSelectElement;
    expect(german.value).toBe("de");

    await user.selectOptions(german, "Browser-Standard");
    expect(await screen.findByRole("heading", { level: 1, name: "Profile" })).toBeTruthy();
    expect(document.documentElement.lang).toBe("en");
    await waitFor(() =>
      expect(queryClient.getQueryData<{ user: { locale: string | null } }>(["me"])?.user.locale).toBeNull(),
    );
    expect(picker().value).toBe("");
    expect(api.calls.filter((c) => c.method === "PATCH").map((c) => [c.path, c.body])).toEqual([
      ["/api/v1/me", { locale: "de" }],
      ["/api/v1/me", { locale: null }],
    ]);
  });

  it("shows the language still in force when the server refuses a change", async () => {
    const user = userEvent.setup();
    profileApi({
      "PATCH /api/v1/me": {
        status: 500,
        body: { type: "/problems/internal", title: "Internal error", status: 500, detail: "The server broke." },
      },
    });
    const queryClient = signedIn();
    await renderWithProviders(<ProfilePage />, { queryClient });
    await user.selectOptions(picker(), "English");
    await waitFor(() => expect(queryClient.isMutating()).toBe(0));
    expect(picker().value).toBe("");
    expect(queryClient.getQueryData<{ user: { locale: string | null } }>(["me"])?.user.locale).toBeNull();
  });
});

describe("ProfilePage: name, password and sign-ins", () => {
  it("saves the name with PATCH /me and shows it as the new me", async () => {
    const user = userEvent.setup();
    const api = profileApi({
      "PATCH /api/v1/me": ({ body }) => ({
        body: {
          user: { ...me, name: (body as { name: string }).name.trim() },
          workspaces: [workspace],
          activeWorkspaceId: workspace.id,
          role: "agent",
        },
      }),
    });
    const { queryClient } = await renderWithProviders(withToasts(<ProfilePage />), { queryClient: signedIn() });
    const name = screen.getByLabelText("Name");
    expect((name as HTMLInputElement).value).toBe("Ada");
    await user.clear(name);
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByText("Name is required")).toBeTruthy();
    await user.type(name, "Ada Lovelace");
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByText("Name saved.")).toBeTruthy();
    expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ name: "Ada Lovelace" });
    expect(queryClient.getQueryData<{ user: { name: string } }>(["me"])?.user.name).toBe("Ada Lovelace");
  });

  it("puts a wrong current password at its field", async () => {
    const user = userEvent.setup();
    profileApi({
      "POST /api/v1/me/password": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "Wrong password.",
          errors: [{ path: "currentPassword", message: "Wrong password." }],
        },
      },
    });
    await renderWithProviders(<ProfilePage />, { queryClient: signedIn() });
    await user.type(screen.getByLabelText("Current password"), "not-my-password");
    await user.type(screen.getByLabelText("New password"), "lantern orbit meadow 74");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("Wrong password.")).toBeTruthy();
    expect(screen.getByLabelText("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("false");
  });

  it("pages through my sign-ins with Load more", async () => {
    const user = userEvent.setup();
    const api = profileApi();
    await renderWithProviders(<ProfilePage />, { queryClient: signedIn() });
    const list = await screen.findByRole("list", { name: "My sign-ins" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    expect(list.textContent).toContain("Failed: Wrong password");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(3));
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    const cursors = api.calls
      .filter((c) => c.path === "/api/v1/me/sign-ins")
      .map((c) => c.url.searchParams.get("cursor"));
    expect(cursors).toEqual([null, "page-2"]);
  });
});
