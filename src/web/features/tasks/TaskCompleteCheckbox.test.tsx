import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { TaskRow } from "./tasks.api.ts";
import { TaskCompleteCheckbox } from "./TaskCompleteCheckbox.tsx";

const me = { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" };
const someoneElse = "0190f6c2-0000-7000-8000-0000000000e2";
const blocker = { id: "0190f6c2-0000-7000-8000-0000000000b1", title: "Send the quote", status: "open" as const };

function signedIn(role: "admin" | "agent") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: me,
    workspaces: [],
    activeWorkspaceId: "0190f6c2-0000-7000-8000-0000000000f1",
    role,
  });
  return queryClient;
}

const task: TaskRow = {
  id: "0190f6c2-0000-7000-8000-0000000000a1",
  version: 7,
  createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-01T10:00:00.000Z",
  createdBy: someoneElse,
  deletedAt: null,
  title: "Call back",
  description: null,
  dueAt: null,
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

describe("TaskCompleteCheckbox", () => {
  it("completes with If-Match and shows the server's reason, with titles, when the task is blocked", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      [`POST /api/v1/tasks/${task.id}/complete`]: {
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
    await renderWithProviders(
      <>
        <TaskCompleteCheckbox task={task} />
        <Toaster />
      </>,
      { queryClient: signedIn("admin") },
    );

    await user.click(screen.getByRole("checkbox", { name: "Done: Call back" }));
    expect(await screen.findByText("Complete the tasks this one depends on first: “Send the quote”.")).toBeTruthy();
    expect(api.calls[0]?.headers.get("if-match")).toBe('"7"');
  });

  it("reopens a completed task and lets an agent tick only tasks assigned to or created by them", async () => {
    const user = userEvent.setup();
    const api = mockApi({ [`POST /api/v1/tasks/${task.id}/reopen`]: { body: { ...task, status: "open" } } });
    const done = { ...task, status: "completed" as const };
    await renderWithProviders(
      <>
        <TaskCompleteCheckbox task={done} />
        <TaskCompleteCheckbox task={{ ...task, id: "other", title: "Not mine", assigneeId: someoneElse }} />
      </>,
      { queryClient: signedIn("agent") },
    );

    expect((screen.getByRole("checkbox", { name: "Done: Not mine" }) as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getByRole("checkbox", { name: "Done: Call back" }));
    await waitFor(() =>
      expect(api.calls.map((c) => `${c.method} ${c.path}`)).toContain(`POST /api/v1/tasks/${task.id}/reopen`),
    );
  });
});
