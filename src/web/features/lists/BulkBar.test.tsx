import { fireEvent } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, screen } from "../../test/render.tsx";
import { BulkBar } from "./BulkBar.tsx";

const agentId = "01900000-0000-7000-8000-000000000001";
const mine = "01900000-0000-7000-8000-0000000000a1";
const theirs = "01900000-0000-7000-8000-0000000000b2";

const me = {
  body: {
    user: { id: agentId, email: "agent@demo.keel.test", name: "Agent" },
    workspaces: [],
    activeWorkspaceId: null,
    role: "agent",
  },
};

describe("BulkBar", () => {
  it("lists the refused records of an agent's bulk change by name, with the server's reason", async () => {
    const api = mockApi({
      "GET /api/v1/me": me,
      "GET /api/v1/contacts/count": { body: { count: 2 } },
      "POST /api/v1/contacts/bulk": {
        body: {
          operationId: "01900000-0000-7000-8000-0000000000c3",
          status: "completed",
          resource: "contacts",
          action: "addTags",
          matched: 2,
          done: 2,
          updated: 1,
          refusedCount: 1,
          refused: [{ id: theirs, message: "You can only update contact records you own or are assigned to." }],
          undoableUntil: "2030-01-01T00:00:00.000Z",
          error: null,
        },
      },
    });
    await renderWithProviders(
      <BulkBar
        collection="contacts"
        resource="contact"
        selectedIds={[mine, theirs]}
        q=""
        filters={[]}
        nameOf={(id) => (id === theirs ? "Grace Hopper" : undefined)}
        onClear={() => {}}
      />,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Add tag" }));
    fireEvent.change(await screen.findByLabelText("Tags"), { target: { value: "vip, fair" } });
    fireEvent.click(screen.getByRole("button", { name: "Add tags" }));

    const refused = await screen.findByRole("list", { name: "Records left unchanged" });
    expect(refused.textContent).toBe("Grace Hopper: You can only update contact records you own or are assigned to.");
    expect(screen.getByText("1 record was left unchanged")).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Changed 1 record of 2.");
    const post = api.calls.find((call) => call.method === "POST");
    expect(post?.body).toEqual({ action: "addTags", tags: ["vip", "fair"], ids: [mine, theirs] });
  });

  it("offers only Restore in the trash: deleted records take no edits", async () => {
    mockApi({
      "GET /api/v1/me": { body: { ...me.body, role: "manager" } },
      "GET /api/v1/contacts/count": { body: { count: 1 } },
    });
    await renderWithProviders(
      <BulkBar
        collection="contacts"
        resource="contact"
        selectedIds={[theirs]}
        q=""
        filters={[{ field: "deleted", op: "eq", value: "true" }]}
        nameOf={() => undefined}
        assignLabel="Owner"
        onClear={() => {}}
      />,
    );
    expect(await screen.findByRole("button", { name: "Restore" })).toBeTruthy();
    for (const name of ["Add tag", "Remove tag", "Update field…", "Delete selected"]) {
      expect(screen.queryByRole("button", { name }), name).toBeNull();
    }
  });

  it("sends the list's search and filters when applied to all matching, and shows a queued operation's progress", async () => {
    const api = mockApi({
      "GET /api/v1/me": { body: { ...me.body, role: "manager" } },
      "GET /api/v1/contacts/count": { body: { count: 5000 } },
      "POST /api/v1/contacts/bulk": { status: 202, body: { operationId: "op-1", status: "queued" } },
      "GET /api/v1/bulk-operations/op-1": {
        body: {
          operationId: "op-1",
          status: "running",
          resource: "contacts",
          action: "delete",
          matched: 5000,
          done: 2000,
          updated: 2000,
          refusedCount: 0,
          refused: [],
          undoableUntil: null,
          error: null,
        },
      },
    });
    await renderWithProviders(
      <BulkBar
        collection="contacts"
        resource="contact"
        selectedIds={[mine]}
        q="ada"
        filters={[{ field: "lifecycle", op: "eq", value: "lead" }]}
        onClear={() => {}}
      />,
    );
    fireEvent.click(
      await screen.findByRole("button", { name: /Apply to all 5.000 matching|Apply to all 5,000 matching/ }),
    );
    expect(screen.getByText(/All 5.000 matching selected/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Delete selected" }));
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    expect(await screen.findByText("Working: 2000 of 5000")).toBeTruthy();
    expect(screen.getByRole("progressbar").getAttribute("value")).toBe("40");
    const post = api.calls.find((call) => call.method === "POST");
    expect(post?.body).toEqual({ action: "delete", filter: { q: "ada", "filter[lifecycle][eq]": "lead" } });
  });
});
