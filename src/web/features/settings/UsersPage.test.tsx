import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { MemberRow } from "../users/users.api.ts";
import { UsersPage } from "./UsersPage.tsx";

const workspace = { id: "0190f6c2-0000-7000-8000-0000000000f1", name: "Acme" };
const ada: MemberRow = {
  id: "0190f6c2-0000-7000-8000-0000000000e1",
  email: "ada@example.com",
  name: "Ada",
  role: "admin",
  joinedAt: "2026-01-05T10:00:00.000Z",
};
const grace: MemberRow = {
  ...ada,
  id: "0190f6c2-0000-7000-8000-0000000000e2",
  email: "grace@example.com",
  name: "Grace",
  role: "agent",
};

function signedIn(role: "admin" | "manager" = "admin") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: { id: ada.id, email: ada.email, name: ada.name },
    workspaces: [{ ...workspace, role }],
    activeWorkspaceId: workspace.id,
    role,
  });
  return queryClient;
}

const lastAdmin = {
  status: 422,
  body: {
    type: "/problems/rule-violation",
    title: "Rule violation",
    status: 422,
    detail: "The workspace's last admin cannot be demoted: make someone else admin first.",
  },
};

function withToasts(ui: React.ReactElement) {
  return (
    <>
      {ui}
      <Toaster />
    </>
  );
}

const memberItem = (name: string) =>
  within(screen.getByRole("list", { name: "Members" }))
    .getAllByRole("listitem")
    .find((item) => item.textContent?.includes(name)) as HTMLElement;

describe("UsersPage", () => {
  it("changes a member's role with PATCH and shows the new role", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/users": { body: { data: [ada, grace], nextCursor: null } },
      [`PATCH /api/v1/users/${grace.id}`]: ({ body }) => ({ body: { ...grace, ...(body as object), active: true } }),
    });
    await renderWithProviders(withToasts(<UsersPage />), { queryClient: signedIn() });
    const role = (await screen.findByLabelText("Role of Grace")) as HTMLSelectElement;
    expect(role.value).toBe("agent");
    expect(memberItem("Ada").textContent).toContain("(you)");

    await user.selectOptions(role, "manager");
    expect(await screen.findByText("Grace is now manager.")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ role: "manager" }]);
    await waitFor(() => expect((screen.getByLabelText("Role of Grace") as HTMLSelectElement).value).toBe("manager"));
  });

  it("shows the last admin's refusal at that member and keeps their role", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/users": { body: { data: [ada, grace], nextCursor: null } },
      [`PATCH /api/v1/users/${ada.id}`]: lastAdmin,
    });
    await renderWithProviders(withToasts(<UsersPage />), { queryClient: signedIn() });
    await user.selectOptions(await screen.findByLabelText("Role of Ada"), "viewer");
    const alert = await within(memberItem("Ada")).findByRole("alert");
    expect(alert.textContent).toBe("The workspace's last admin cannot be demoted: make someone else admin first.");
    expect((screen.getByLabelText("Role of Ada") as HTMLSelectElement).value).toBe("admin");
    expect(within(memberItem("Grace")).queryByRole("alert")).toBeNull();
  });

  it("deactivates and reactivates a member", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/users": { body: { data: [ada, grace], nextCursor: null } },
      [`PATCH /api/v1/users/${grace.id}`]: ({ body }) => ({ body: { ...grace, ...(body as object) } }),
    });
    await renderWithProviders(withToasts(<UsersPage />), { queryClient: signedIn() });
    await user.click(await screen.findByRole("button", { name: "Deactivate Grace" }));
    expect(await screen.findByText("Grace is deactivated.")).toBeTruthy();
    expect(memberItem("Grace").textContent).toContain("Deactivated");
    await user.click(screen.getByRole("button", { name: "Reactivate Grace" }));
    await waitFor(() => expect(memberItem("Grace").textContent).not.toContain("Deactivated"));
    expect(api.calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([
      { active: false },
      { active: true },
    ]);
  });

  it("removes a member after asking", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/users": { body: { data: [ada, grace], nextCursor: null } },
      [`DELETE /api/v1/users/${grace.id}`]: { status: 204 },
    });
    await renderWithProviders(withToasts(<UsersPage />), { queryClient: signedIn() });
    await user.click(await screen.findByRole("button", { name: "Remove Grace" }));
    const confirm = await screen.findByRole("dialog", { name: "Remove Grace from the workspace?" });
    expect(api.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Remove member" }));
    expect(await screen.findByText("Removed Grace from the workspace.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByLabelText("Role of Grace")).toBeNull());
  });

  it("shows nothing to change to a role that may not", async () => {
    mockApi({ "GET /api/v1/users": { body: { data: [ada, grace], nextCursor: null } } });
    await renderWithProviders(<UsersPage />, { queryClient: signedIn("manager") });
    expect(screen.getByText("Only admins manage the workspace’s users.")).toBeTruthy();
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
  });
});
