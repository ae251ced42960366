import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { TaskRow } from "./tasks.api.ts";
import { TaskForm } from "./TaskForm.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" };
const other = { id: "0190f6c2-0000-7000-8000-0000000000e2", email: "bob@example.com", name: "Bob" };
const blocker = { id: "0190f6c2-0000-7000-8000-0000000000b1", title: "Send the quote", status: "open" as const };

function signedIn(role: "admin" | "agent" | "viewer" = "admin") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: me,
    workspaces: [],
    activeWorkspaceId: "0190f6c2-0000-7000-8000-0000000000f1",
    role,
  });
  return queryClient;
}

const lookups = {
  "GET /api/v1/users": { body: { data: [me, other], nextCursor: null } },
  "GET /api/v1/tasks": { body: { data: [{ ...blocker, dependsOn: [] }], nextCursor: null } },
};

const task: TaskRow = {
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  version: 3,
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
  createdBy: me.id,
  deletedAt: null,
  title: "Call back",
  description: null,
  dueAt: "2026-03-20T09:00:00.000Z",
  priority: "medium",
  status: "open",
  completedAt: null,
  assigneeId: me.id,
  dependsOn: [blocker.id],
  remindAt: null,
  contactId: null,
  leadId: null,
  dealId: null,
  companyId: null,
  dependencies: [blocker],
};

describe("TaskForm", () => {
  it("checks the shared schema before sending anything", async () => {
    const user = userEvent.setup();
    const api = mockApi(lookups);
    await renderWithProviders(<TaskForm onDone={vi.fn()} onCancel={vi.fn()} />, { queryClient: signedIn() });

    await user.click(screen.getByRole("button", { name: "Create task" }));
    expect(await screen.findByText("Title is required")).toBeTruthy();
    expect(screen.getByLabelText("Title").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("creates a task linked to the record, assigned to me by default, with due and reminder as instants", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const api = mockApi({
      ...lookups,
      "POST /api/v1/tasks": { status: 201, body: { ...task, id: "new", title: "Prepare demo" } },
    });
    await renderWithProviders(
      <TaskForm
        link={{ field: "leadId", id: "0190f6c2-0000-7000-8000-0000000000c9" }}
        onDone={onDone}
        onCancel={vi.fn()}
      />,
      { queryClient: signedIn() },
    );

    await user.type(screen.getByLabelText("Title"), "Prepare demo");
    await user.type(screen.getByLabelText("Due"), "2026-03-20T09:00");
    await user.type(screen.getByLabelText("Reminder"), "2026-03-20T10:00");
    expect(screen.getByText("The reminder is after the due time.")).toBeTruthy();
    await user.click(await screen.findByRole("button", { name: "Add dependency “Send the quote”" }));
    expect(screen.getByRole("button", { name: "Remove dependency “Send the quote”" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Create task" }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    const body = api.calls.find((c) => c.method === "POST")?.body;
    expect(body).toMatchObject({
      title: "Prepare demo",
      assigneeId: me.id,
      description: null,
      dueAt: new Date("2026-03-20T09:00").toISOString(),
      remindAt: new Date("2026-03-20T10:00").toISOString(),
      dependsOn: [blocker.id],
      leadId: "0190f6c2-0000-7000-8000-0000000000c9",
    });
  });

  it("sends only what changed, with If-Match, and names blocking tasks by title", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...lookups,
      [`PATCH /api/v1/tasks/${task.id}`]: {
        status: 422,
        body: {
          type: "/problems/rule-violation",
          title: "Rule violated",
          status: 422,
          detail: `Complete the tasks this one depends on first: ${blocker.id}.`,
          errors: [{ path: "dependsOn", message: `Task ${blocker.id} is not completed` }],
        },
      },
    });
    await renderWithProviders(<TaskForm task={task} onDone={vi.fn()} onCancel={vi.fn()} />, {
      queryClient: signedIn(),
    });

    await user.selectOptions(screen.getByLabelText("Status"), "completed");
    await user.click(screen.getByRole("button", { name: "Save task" }));

    expect(await screen.findByText("Task “Send the quote” is not completed")).toBeTruthy();
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.body).toEqual({ status: "completed" });
    expect(patch?.headers.get("if-match")).toBe('"3"');
  });

  it("shows a task read-only to someone who may not change it", async () => {
    mockApi(lookups);
    await renderWithProviders(<TaskForm task={task} isReadOnly onDone={vi.fn()} onCancel={vi.fn()} />, {
      queryClient: signedIn("viewer"),
    });
    // The fields sit in a disabled fieldset, which disables every control in it.
    expect(screen.getByLabelText("Title").closest("fieldset")?.disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "Save task" })).toBeNull();
    expect(screen.getByRole("button", { name: "Close" })).toBeTruthy();
  });
});
