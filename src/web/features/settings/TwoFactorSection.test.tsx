import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import { TwoFactorSection } from "./TwoFactorSection.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" };
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

function render() {
  return renderWithProviders(
    <>
      <TwoFactorSection />
      <Toaster />
    </>,
    { queryClient: signedIn() },
  );
}

const off = { enabled: false, enabledAt: null, backupCodesLeft: 0 };
const on = (backupCodesLeft = 10) => ({ enabled: true, enabledAt: "2026-03-01T10:00:00.000Z", backupCodesLeft });
const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const qrSvg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M0 0h7v7H0z"/></svg>';
const backupCodes = Array.from({ length: 10 }, (_, i) => `abcd${i + 2}-efgh${i + 2}`.slice(0, 11));

function problem(status: number, path: string | null, detail: string) {
  return {
    status,
    body: {
      type: "/problems/validation",
      title: "Invalid request",
      status,
      detail,
      ...(path ? { errors: [{ path, message: detail }] } : {}),
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("TwoFactorSection", () => {
  it("turns on: QR code as an image, the key to type, a code to confirm; then the backup codes, once", async () => {
    const user = userEvent.setup();
    let status: object = off;
    const api = mockApi({
      "GET /api/v1/me/two-factor": () => ({ body: status }),
      "POST /api/v1/me/two-factor/setup": {
        body: { secret, otpauthUrl: `otpauth://totp/Keel:ada%40example.com?secret=${secret}`, qrSvg },
      },
      "POST /api/v1/me/two-factor/enable": ({ body }) => {
        if ((body as { code: string }).code !== "123456") return problem(400, "code", "Wrong code");
        status = on();
        return { body: { backupCodes } };
      },
    });
    await render();

    expect(await screen.findByText("Off.")).toBeTruthy();
    expect(screen.getByRole("heading", { level: 2, name: "Two-factor sign-in" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Turn on" }));
    const dialog = await screen.findByRole("dialog", { name: "Turn on two-factor sign-in" });

    const qr = within(dialog).getByRole("img", { name: /QR code/ }) as HTMLImageElement;
    expect(qr.getAttribute("src")).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`);
    // The SVG is never put into the page as markup.
    expect(dialog.querySelector("svg path[d='M0 0h7v7H0z']")).toBeNull();
    const key = within(dialog).getByLabelText("Key for typing by hand") as HTMLInputElement;
    expect(key.value.replaceAll(" ", "")).toBe(secret);
    expect(key.readOnly).toBe(true);

    const code = within(dialog).getByLabelText("Code from your app");
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(code.getAttribute("inputmode")).toBe("numeric");
    // Empty: refused before sending.
    await user.click(within(dialog).getByRole("button", { name: "Turn on" }));
    expect(await within(dialog).findByText("Code from your app is required")).toBeTruthy();
    expect(api.calls.filter((c) => c.path.endsWith("/enable"))).toHaveLength(0);
    // Wrong: the server's error on the field.
    await user.type(code, "654321");
    await user.click(within(dialog).getByRole("button", { name: "Turn on" }));
    expect(await within(dialog).findByText("Wrong code")).toBeTruthy();
    expect(code.getAttribute("aria-invalid")).toBe("true");

    await user.clear(code);
    await user.type(code, "123456");
    await user.click(within(dialog).getByRole("button", { name: "Turn on" }));
    const saved = await screen.findByRole("dialog", { name: "Save your backup codes" });
    expect(saved.textContent).toContain("shown only this once");
    const list = within(saved).getByRole("list", { name: "Backup codes" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(backupCodes);
    expect(api.calls.filter((c) => c.path.endsWith("/enable")).map((c) => c.body)).toEqual([
      { code: "654321" },
      { code: "123456" },
    ]);

    // Copy: every code, one a line.
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(within(saved).getByRole("button", { name: "Copy codes" }));
    const copied = String((writeText.mock.calls[0] as unknown[] | undefined)?.[0]);
    for (const backupCode of backupCodes) expect(copied.split("\n")).toContain(backupCode);
    expect(copied).toContain("ada@example.com");

    // Download: a .txt file of the same text.
    const createObjectURL = vi.fn((blob: Blob) => {
      void blob;
      return "blob:codes";
    });
    const { createObjectURL: realCreate, revokeObjectURL: realRevoke } = URL;
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe("keel-backup-codes.txt");
      expect(this.getAttribute("href")).toBe("blob:codes");
    });
    await user.click(within(saved).getByRole("button", { name: "Download (.txt)" }));
    expect(clicked).toHaveBeenCalledOnce();
    const blob = createObjectURL.mock.calls[0]?.[0];
    expect(await blob?.text()).toBe(copied);
    clicked.mockRestore();
    URL.createObjectURL = realCreate;
    URL.revokeObjectURL = realRevoke;

    await user.click(within(saved).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.body.textContent).not.toContain(backupCodes[0]);
    expect(await screen.findByText(/10 backup codes left/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Turn off" })).toBeTruthy();
  });

  it("when on: says since when and how few backup codes are left, and makes new ones for a code", async () => {
    const user = userEvent.setup();
    const fresh = backupCodes.map((c) => c.replace("abcd", "wxyz"));
    const api = mockApi({
      "GET /api/v1/me/two-factor": { body: on(2) },
      "POST /api/v1/me/two-factor/backup-codes": { body: { backupCodes: fresh } },
    });
    await render();
    expect(await screen.findByText(/2 backup codes left\. Make new ones before you run out\./)).toBeTruthy();
    expect(screen.getByText(/since/).textContent).toMatch(/since .*2026/);

    await user.click(screen.getByRole("button", { name: "New backup codes" }));
    const dialog = await screen.findByRole("dialog", { name: "New backup codes" });
    await user.type(within(dialog).getByLabelText("Code from your app, or a backup code"), "abcd2-efgh2");
    await user.click(within(dialog).getByRole("button", { name: "Make new codes" }));
    const shown = await screen.findByRole("dialog", { name: "Save your new backup codes" });
    expect(
      within(shown)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(fresh);
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ code: "abcd2-efgh2" });
  });

  it("turns off with the password and a code, putting the server's errors on their fields", async () => {
    const user = userEvent.setup();
    let status: object = on();
    const api = mockApi({
      "GET /api/v1/me/two-factor": () => ({ body: status }),
      "POST /api/v1/me/two-factor/disable": ({ body }) => {
        const { password } = body as { password: string };
        if (password !== "right-password") return problem(400, "password", "Wrong password.");
        status = off;
        return { status: 204 };
      },
    });
    await render();
    await user.click(await screen.findByRole("button", { name: "Turn off" }));
    const dialog = await screen.findByRole("dialog", { name: "Turn off two-factor sign-in?" });
    const password = within(dialog).getByLabelText("Password");
    await user.type(password, "wrong-password");
    await user.type(within(dialog).getByLabelText("Code from your app, or a backup code"), "123456");
    await user.click(within(dialog).getByRole("button", { name: "Turn off" }));
    expect(await within(dialog).findByText("Wrong password.")).toBeTruthy();
    expect(password.getAttribute("aria-invalid")).toBe("true");

    await user.clear(password);
    await user.type(password, "right-password");
    await user.click(within(dialog).getByRole("button", { name: "Turn off" }));
    expect(await screen.findByText("Two-factor sign-in is off.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Off.")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([
      { password: "wrong-password", code: "123456" },
      { password: "right-password", code: "123456" },
    ]);
  });
});
