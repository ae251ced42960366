import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../test/render.tsx";
import { CreateWorkspaceForm } from "./CreateWorkspaceForm.tsx";

const problem = (status: number, detail: string, errors?: { path: string; message: string }[]) => ({
  status,
  headers: { "content-type": "application/problem+json" },
  body: { type: "/problems/x", title: "Refused", status, detail, ...(errors ? { errors } : {}) },
});

describe("CreateWorkspaceForm", () => {
  it("shows a refusal that names no field, such as the per-user cap, below the form", async () => {
    mockApi({
      "POST /api/v1/workspaces": problem(422, "You have created 5 workspaces, the most one person may create."),
    });
    await renderWithProviders(<CreateWorkspaceForm />);
    await userEvent.type(screen.getByLabelText("Workspace name"), "Sixth");
    await userEvent.click(screen.getByRole("button", { name: "Create workspace" }));
    expect((await screen.findByRole("alert")).textContent).toContain("You have created 5 workspaces");
  });

  it("puts a refusal of the name on the name field", async () => {
    mockApi({
      "POST /api/v1/workspaces": problem(400, "Some fields are invalid.", [{ path: "name", message: "Required" }]),
    });
    await renderWithProviders(<CreateWorkspaceForm />);
    await userEvent.type(screen.getByLabelText("Workspace name"), " ");
    await userEvent.click(screen.getByRole("button", { name: "Create workspace" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Workspace name is required");
    expect(screen.queryByText("Some fields are invalid.")).toBeNull();
  });
});
