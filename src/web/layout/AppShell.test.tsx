import { act, fireEvent, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Role } from "../../shared/permissions.ts";
import { useCreateAction } from "../lib/page-actions.ts";
import { mockApi, renderWithProviders, screen, testQueryClient } from "../test/render.tsx";
import { AppShell } from "./AppShell.tsx";

const workspaceId = "0190f6c2-0000-7000-8000-0000000000f1";

/** A page that offers a create action to whoever opens it, as a page that forgot the role's rights would. */
function PageWithCreateAction({ onCreate }: { onCreate: () => void }) {
  useCreateAction(onCreate);
  return null;
}

async function renderShell(role: Role) {
  // No live stream in these tests.
  vi.stubGlobal("EventSource", undefined);
  mockApi({
    "GET /api/v1/workspace": { body: { id: workspaceId, name: "Acme", baseCurrency: "EUR", version: 1 } },
    "GET /api/v1/notifications": { body: { data: [], unreadCount: 0, nextCursor: null } },
  });
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" },
    workspaces: [{ id: workspaceId, name: "Acme" }],
    activeWorkspaceId: workspaceId,
    role,
  });
  const onCreate = vi.fn();
  await renderWithProviders(
    <>
      <AppShell />
      <PageWithCreateAction onCreate={onCreate} />
    </>,
    { queryClient },
  );
  await screen.findByText("Search or jump to…");
  const openPalette = async () => {
    act(() => void fireEvent.keyDown(window, { key: "k", ctrlKey: true }));
    await screen.findByPlaceholderText("Search records or type a command…");
  };
  return { onCreate, openPalette };
}

describe("AppShell", () => {
  it("offers the page's create command in the palette to a role that may create", async () => {
    const { onCreate, openPalette } = await renderShell("agent");
    await openPalette();
    fireEvent.click(screen.getByText("Create a record on this page"));
    expect(onCreate).toHaveBeenCalledTimes(1);
  });

  it("never offers a viewer a create command, in the palette or by the c key", async () => {
    const { onCreate, openPalette } = await renderShell("viewer");
    act(() => void fireEvent.keyDown(window, { key: "c" }));
    expect(onCreate).not.toHaveBeenCalled();

    await openPalette();
    expect(screen.getByText("Switch to the dark theme")).toBeTruthy();
    expect(screen.queryByText("Create a record on this page")).toBeNull();
  });

  it.each(["New workspace…", "Keyboard shortcuts"])(
    "gives focus back to the account menu's button when the dialog its item %s opened closes",
    async (item) => {
      await renderShell("agent");
      const user = userEvent.setup();
      const menuButton = screen.getByRole("button", { name: "Account menu for Ada" });
      await user.click(menuButton);
      await user.click(await screen.findByRole("menuitem", { name: item }));
      await screen.findByRole("dialog");

      await user.keyboard("{Escape}");
      await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
      await waitFor(() => expect(document.activeElement).toBe(menuButton));
    },
  );

  it("gives focus back to what opened the palette when a dialog one of its commands opened closes", async () => {
    await renderShell("agent");
    const user = userEvent.setup();
    const searchButton = screen.getByRole("button", { name: /Search or jump to…/ });
    await user.click(searchButton);
    await user.click(await screen.findByText("Show keyboard shortcuts"));
    await screen.findByRole("dialog", { name: "Keyboard shortcuts" });

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(searchButton));
  });

  it("sets New workspace… apart from the theme choices in the account menu of a single workspace", async () => {
    await renderShell("agent");
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Account menu for Ada" }));
    const newWorkspace = await screen.findByRole("menuitem", { name: "New workspace…" });
    expect(newWorkspace.previousElementSibling?.getAttribute("role")).toBe("separator");
  });
});
