import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import type { Role } from "../../../shared/permissions.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { InvitationRow } from "./invitations.api.ts";
import { InvitationsPage } from "./InvitationsPage.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" };
const workspace = { id: "0190f6c2-0000-7000-8000-0000000000f1", name: "Acme" };

function signedIn(role: Role = "admin") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], { user: me, workspaces: [workspace], activeWorkspaceId: workspace.id, role });
  return queryClient;
}

const pending: InvitationRow = {
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  email: "grace@example.com",
  role: "agent",
  status: "pending",
  invitedBy: { id: me.id, name: "Ada" },
  expiresAt: "2026-03-08T10:00:00.000Z",
  acceptedAt: null,
  revokedAt: null,
  createdAt: "2026-03-01T10:00:00.000Z",
};
const accepted: InvitationRow = {
  ...pending,
  id: "0190f6c2-0000-7000-8000-0000000000a2",
  email: "alan@example.com",
  status: "accepted",
  acceptedAt: "2026-03-02T10:00:00.000Z",
};
const expiredAdmin: InvitationRow = {
  ...pending,
  id: "0190f6c2-0000-7000-8000-0000000000a3",
  email: "edsger@example.com",
  role: "admin",
  status: "expired",
};

function withToasts(ui: React.ReactElement) {
  return (
    <>
      {ui}
      <Toaster />
    </>
  );
}

const table = async () => within(await screen.findByRole("table"));
const rowOf = async (email: string) => {
  const row = (await table()).getAllByRole("row").find((r) => r.textContent?.includes(email));
  if (!row) throw new Error(`no row for ${email}`);
  return within(row);
};

describe("InvitationsPage", () => {
  it("lists invitations with their status; pending ones can be revoked, all but accepted ones resent", async () => {
    mockApi({ "GET /api/v1/invitations": { body: { data: [pending, accepted, expiredAdmin], nextCursor: null } } });
    await renderWithProviders(<InvitationsPage />, { queryClient: signedIn() });

    const first = await rowOf("grace@example.com");
    expect(first.getByText("Pending")).toBeTruthy();
    expect(first.getByText("Agent")).toBeTruthy();
    expect(first.getByRole("button", { name: "Revoke grace@example.com" })).toBeTruthy();
    expect(first.getByRole("button", { name: "Resend to grace@example.com" })).toBeTruthy();
    const second = await rowOf("alan@example.com");
    expect(second.getByText("Accepted")).toBeTruthy();
    expect(second.queryAllByRole("button")).toHaveLength(0);
    const third = await rowOf("edsger@example.com");
    expect(third.getByText("Expired")).toBeTruthy();
    expect(third.queryByRole("button", { name: /Revoke/ })).toBeNull();
    expect(third.getByRole("button", { name: "Resend to edsger@example.com" })).toBeTruthy();
  });

  it("invites: offers an admin every role, sends the address and role, says so, and clears the address", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/invitations": { body: { data: [], nextCursor: null } },
      "POST /api/v1/invitations": ({ body }) => ({ status: 201, body: { ...pending, ...(body as object) } }),
    });
    await renderWithProviders(withToasts(<InvitationsPage />), { queryClient: signedIn() });
    expect(await screen.findByText("No invitations yet")).toBeTruthy();

    const role = screen.getByLabelText("Role") as HTMLSelectElement;
    expect(Array.from(role.options).map((o) => o.textContent)).toEqual(["Admin", "Manager", "Agent", "Viewer"]);
    expect(role.value).toBe("agent");
    await user.type(screen.getByLabelText("E-mail"), "hopper@example.com");
    await user.selectOptions(role, "manager");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));

    expect(await screen.findByText("Invitation sent to hopper@example.com.")).toBeTruthy();
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ email: "hopper@example.com", role: "manager" });
    await waitFor(() => expect((screen.getByLabelText("E-mail") as HTMLInputElement).value).toBe(""));
  });

  it("checks the address before sending and puts the server's 409 on the e-mail field", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/invitations": { body: { data: [], nextCursor: null } },
      "POST /api/v1/invitations": {
        status: 409,
        body: {
          type: "/problems/duplicate",
          title: "Duplicate record",
          status: 409,
          detail: "This address already belongs to a member of the workspace.",
          errors: [{ path: "email", message: "Already a member of this workspace" }],
        },
      },
    });
    await renderWithProviders(<InvitationsPage />, { queryClient: signedIn() });
    await screen.findByText("No invitations yet");
    await user.type(screen.getByLabelText("E-mail"), "not-an-address");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(await screen.findByText("E-mail must be an e-mail address")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByLabelText("E-mail"));
    await user.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(await screen.findByText("Already a member of this workspace")).toBeTruthy();
    expect(screen.getByLabelText("E-mail").getAttribute("aria-invalid")).toBe("true");
  });

  it("offers a manager only agents and viewers, and no actions on an admin's invitation", async () => {
    mockApi({ "GET /api/v1/invitations": { body: { data: [pending, expiredAdmin], nextCursor: null } } });
    await renderWithProviders(<InvitationsPage />, { queryClient: signedIn("manager") });
    const row = await rowOf("edsger@example.com");
    expect(row.queryAllByRole("button")).toHaveLength(0);
    expect((await rowOf("grace@example.com")).getByRole("button", { name: "Revoke grace@example.com" })).toBeTruthy();
    const role = screen.getByLabelText("Role") as HTMLSelectElement;
    expect(Array.from(role.options).map((o) => o.value)).toEqual(["agent", "viewer"]);
  });

  it.each(["agent", "viewer"] as const)("shows a %s no form, no list and asks nothing of the API", async (role) => {
    const api = mockApi({});
    await renderWithProviders(<InvitationsPage />, { queryClient: signedIn(role) });
    expect(await screen.findByText("Only admins and managers invite people.")).toBeTruthy();
    expect(screen.queryByLabelText("E-mail")).toBeNull();
    expect(screen.queryByRole("button", { name: "Send invitation" })).toBeNull();
    expect(api.calls).toEqual([]);
  });

  it("revokes after asking, with DELETE, and says so", async () => {
    const user = userEvent.setup();
    let isRevoked = false;
    const api = mockApi({
      "GET /api/v1/invitations": () => ({
        body: {
          data: [isRevoked ? { ...pending, status: "revoked", revokedAt: "2026-03-03T00:00:00.000Z" } : pending],
          nextCursor: null,
        },
      }),
      [`DELETE /api/v1/invitations/${pending.id}`]: () => {
        isRevoked = true;
        return { status: 204 };
      },
    });
    await renderWithProviders(withToasts(<InvitationsPage />), { queryClient: signedIn() });
    await user.click((await rowOf("grace@example.com")).getByRole("button", { name: "Revoke grace@example.com" }));
    const confirm = await screen.findByRole("dialog", { name: "Revoke the invitation to grace@example.com?" });
    expect(api.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Revoke invitation" }));

    expect(await screen.findByText("Revoked the invitation to grace@example.com.")).toBeTruthy();
    await waitFor(async () => expect((await rowOf("grace@example.com")).getByText("Revoked")).toBeTruthy());
    expect(api.calls.filter((c) => c.method === "DELETE")).toHaveLength(1);
  });

  it("resends with the same address and role", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/invitations": { body: { data: [expiredAdmin], nextCursor: null } },
      "POST /api/v1/invitations": { status: 201, body: { ...expiredAdmin, status: "pending" } },
    });
    await renderWithProviders(withToasts(<InvitationsPage />), { queryClient: signedIn() });
    await user.click((await rowOf("edsger@example.com")).getByRole("button", { name: "Resend to edsger@example.com" }));
    expect(await screen.findByText("Sent a new invitation to edsger@example.com.")).toBeTruthy();
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ email: "edsger@example.com", role: "admin" });
  });

  it("filters by status and pages with the cursor", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/invitations": ({ url }) => {
        if (url.searchParams.get("status") === "accepted") return { body: { data: [accepted], nextCursor: null } };
        return url.searchParams.get("cursor") === "next"
          ? { body: { data: [expiredAdmin], nextCursor: null } }
          : { body: { data: [pending], nextCursor: "next" } };
      },
    });
    await renderWithProviders(<InvitationsPage />, { queryClient: signedIn() });
    await rowOf("grace@example.com");
    await user.click(screen.getByRole("button", { name: "Show more" }));
    await rowOf("edsger@example.com");
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();

    await user.selectOptions(screen.getByLabelText("Status"), "accepted");
    await rowOf("alan@example.com");
    expect(screen.queryByText("grace@example.com")).toBeNull();
    expect(api.calls.at(-1)?.url.searchParams.get("status")).toBe("accepted");
  });
});
