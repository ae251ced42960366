import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { templateStages } from "../../../shared/pipeline-templates.ts";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders, testQueryClient } from "../../test/render.tsx";
import type { PipelineRow } from "./pipelines.api.ts";
import { settingsPagesFor } from "../settings/settings-pages.ts";
import { PipelinesPage } from "./PipelinesPage.tsx";

const adminId = "0190f6c2-0000-7000-8000-0000000000e1";
const workspace = { id: "0190f6c2-0000-7000-8000-0000000000f1", name: "Acme" };
const id = (n: number) => `0190f6c2-0000-7000-8000-${String(n).padStart(12, "0")}`;

function pipelineOf(n: number, name: string, stageNames: string[], changes: Partial<PipelineRow> = {}): PipelineRow {
  return {
    id: id(n * 100),
    version: 1,
    createdAt: "2026-01-05T10:00:00.000Z",
    updatedAt: "2026-01-05T10:00:00.000Z",
    createdBy: adminId,
    deletedAt: null,
    name,
    isDefault: false,
    stages: stageNames.map((stageName, position) => ({
      id: id(n * 100 + position + 1),
      name: stageName,
      position,
      probability: position * 10,
      isWon: false,
      isLost: false,
      archivedAt: null,
    })),
    ...changes,
  };
}

const sales = pipelineOf(1, "Sales", ["Lead", "Proposal", "Closed won"], { isDefault: true });
const admissions = pipelineOf(2, "Admissions", ["Applied", "Interviewed", "Admitted"]);

function signedIn(role: "admin" | "manager" = "admin") {
  const queryClient = testQueryClient();
  queryClient.setQueryData(["me"], {
    user: { id: adminId, email: "ada@example.com", name: "Ada" },
    workspaces: [{ ...workspace, role }],
    activeWorkspaceId: workspace.id,
    role,
  });
  return queryClient;
}

async function renderPage(role: "admin" | "manager" = "admin") {
  return renderWithProviders(
    <>
      <PipelinesPage />
      <Toaster />
    </>,
    { queryClient: signedIn(role) },
  );
}

const list = (pipelines: PipelineRow[]) => ({ body: { data: pipelines, nextCursor: null } });
/** GET /pipelines: the live ones, or with filter[deleted]=true the deleted ones. */
const listed =
  (live: () => PipelineRow[], deleted: PipelineRow[] = []) =>
  ({ url }: { url: URL }) =>
    list(url.searchParams.get("filter[deleted]") === "true" ? deleted : live());
const pipelineItem = (name: string) =>
  within(screen.getByRole("list", { name: "Pipelines" }))
    .getAllByRole("listitem")
    .find((item) => item.querySelector("h2")?.textContent?.startsWith(name)) as HTMLElement;

describe("PipelinesPage", () => {
  it("creates a pipeline from the admissions template, sending the template's stages, then opens its stages", async () => {
    const user = userEvent.setup();
    const created = pipelineOf(3, "Graduate admissions", [
      "Applied",
      "Interviewed",
      "Admitted",
      "Enrolled",
      "Withdrawn",
    ]);
    let stored = [sales];
    const api = mockApi({
      "GET /api/v1/pipelines": listed(() => stored),
      "POST /api/v1/pipelines": () => {
        stored = [sales, created];
        return { status: 201, body: created };
      },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "New pipeline" }));
    const dialog = await screen.findByRole("dialog", { name: "New pipeline" });
    await user.type(within(dialog).getByLabelText("Name"), "Graduate admissions");
    await user.click(within(dialog).getByRole("radio", { name: /^Admissions/ }));
    await user.click(within(dialog).getByRole("button", { name: "Create pipeline" }));

    expect(await screen.findByText("Created the pipeline “Graduate admissions”.")).toBeTruthy();
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "Graduate admissions",
      isDefault: false,
      stages: templateStages("admissions"),
    });
    expect(await screen.findByRole("list", { name: "Stages of Graduate admissions" })).toBeTruthy();
  });

  it("names a template's stages in German when the interface is German as the pipeline is created", async () => {
    const user = userEvent.setup();
    await setLanguage("de");
    const german = ["Beworben", "Vorstellungsgespräch geführt", "Zugelassen", "Eingeschrieben", "Zurückgezogen"];
    const created = pipelineOf(3, "Masterzulassung", german);
    let stored = [sales];
    const api = mockApi({
      "GET /api/v1/pipelines": listed(() => stored),
      "POST /api/v1/pipelines": () => {
        stored = [sales, created];
        return { status: 201, body: created };
      },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "Neue Pipeline" }));
    const dialog = await screen.findByRole("dialog", { name: "Neue Pipeline" });
    const admissions = within(dialog).getByRole("radio", { name: /^Zulassung/ });
    expect(admissions.closest("label")?.textContent).toContain(german.join(" → "));
    await user.type(within(dialog).getByLabelText("Name"), "Masterzulassung");
    await user.click(admissions);
    await user.click(within(dialog).getByRole("button", { name: "Pipeline anlegen" }));

    expect(await screen.findByText("Pipeline „Masterzulassung“ angelegt.")).toBeTruthy();
    const sent = api.calls.find((c) => c.method === "POST")?.body as { stages: { name: string }[] };
    expect(sent.stages).toEqual(templateStages("admissions").map((stage, i) => ({ ...stage, name: german[i] })));
  });

  it("shows the API's refusal of a duplicate name on the name field", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/pipelines": listed(() => [sales]),
      "POST /api/v1/pipelines": {
        status: 409,
        body: {
          type: "/problems/duplicate",
          title: "Duplicate record",
          status: 409,
          errors: [{ path: "name", message: "A pipeline with this name already exists" }],
        },
      },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "New pipeline" }));
    const dialog = await screen.findByRole("dialog", { name: "New pipeline" });
    await user.type(within(dialog).getByLabelText("Name"), "Sales");
    await user.click(within(dialog).getByRole("button", { name: "Create pipeline" }));
    expect(await within(dialog).findByText("A pipeline with this name already exists")).toBeTruthy();
    expect(within(dialog).getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
  });

  it("reorders, renames, archives and adds stages, then saves the list at once with If-Match", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/pipelines": listed(() => [sales, admissions]),
      [`PATCH /api/v1/pipelines/${admissions.id}`]: () => ({ body: { ...admissions, version: 2 } }),
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "Edit stages of Admissions" }));
    const stages = screen.getByRole("list", { name: "Stages of Admissions" });

    await user.click(within(stages).getByRole("button", { name: "Move Interviewed up" }));
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Move Interviewed down"));
    const names = () =>
      within(stages)
        .getAllByRole("textbox")
        .map((input) => (input as HTMLInputElement).value);
    expect(names()).toEqual(["Interviewed", "Applied", "Admitted"]);

    await user.clear(within(stages).getByLabelText("Name of stage 3"));
    await user.type(within(stages).getByLabelText("Name of stage 3"), "Offered");
    await user.clear(within(stages).getByLabelText("Probability of Offered"));
    await user.type(within(stages).getByLabelText("Probability of Offered"), "80");
    await user.click(within(stages).getByRole("button", { name: "Archive Applied" }));
    await user.click(screen.getByRole("button", { name: "Add stage" }));
    await waitFor(() => expect(document.activeElement).toBe(within(stages).getByLabelText("Name of stage 3")));
    await user.type(within(stages).getByLabelText("Name of stage 3"), "Enrolled");
    await user.selectOptions(within(stages).getByLabelText("Outcome of Enrolled"), "won");
    expect(within(screen.getByRole("region", { name: "Archived stages" })).getByText("Applied")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Save stages" }));
    expect(await screen.findByText("Saved the stages of “Admissions”.")).toBeTruthy();
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.headers.get("if-match")).toBe('"1"');
    const [applied, interviewed, admitted] = admissions.stages;
    expect(patch?.body).toEqual({
      stages: [
        { id: interviewed?.id, name: "Interviewed", probability: 10, isWon: false, isLost: false, isArchived: false },
        { id: admitted?.id, name: "Offered", probability: 80, isWon: false, isLost: false, isArchived: false },
        { name: "Enrolled", isWon: true, isLost: false, isArchived: false },
        { id: applied?.id, name: "Applied", probability: 0, isWon: false, isLost: false, isArchived: true },
      ],
    });
  });

  it("checks the stages with the API's schema first, then shows the API's field errors at their stage", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/pipelines": listed(() => [admissions]),
      [`PATCH /api/v1/pipelines/${admissions.id}`]: {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          errors: [{ path: "stages.1.name", message: "Stage names must be unique" }],
        },
      },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "Edit stages of Admissions" }));
    const stages = screen.getByRole("list", { name: "Stages of Admissions" });
    await user.clear(within(stages).getByLabelText("Name of stage 2"));
    await user.click(screen.getByRole("button", { name: "Save stages" }));
    expect(await within(stages).findByText("Required")).toBeTruthy();
    expect(within(stages).getByLabelText("Name of stage 2").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls.some((c) => c.method === "PATCH")).toBe(false);

    await user.type(within(stages).getByLabelText("Name of stage 2"), "Applied!");
    await user.click(screen.getByRole("button", { name: "Save stages" }));
    expect(await within(stages).findByText("Stage names must be unique")).toBeTruthy();
    expect((within(stages).getByLabelText("Name of stage 2") as HTMLInputElement).value).toBe("Applied!");
  });

  it("keeps the edits after a 412 and offers to load the other version", async () => {
    const user = userEvent.setup();
    let stored = admissions;
    mockApi({
      "GET /api/v1/pipelines": listed(() => [stored]),
      [`PATCH /api/v1/pipelines/${admissions.id}`]: () => {
        stored = { ...admissions, version: 2, name: "Admissions" };
        return { status: 412, body: { type: "/problems/stale-version", title: "Stale version", status: 412 } };
      },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "Edit stages of Admissions" }));
    const stages = screen.getByRole("list", { name: "Stages of Admissions" });
    await user.click(within(stages).getByRole("button", { name: "Move Admitted up" }));
    await user.click(screen.getByRole("button", { name: "Save stages" }));
    expect(await screen.findByText(/changed this pipeline’s stages meanwhile/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Load their version" }));
    const names = within(stages)
      .getAllByRole("textbox")
      .map((input) => (input as HTMLInputElement).value);
    expect(names).toEqual(["Applied", "Interviewed", "Admitted"]);
    expect((screen.getByRole("button", { name: "Save stages" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("makes a pipeline the default, and shows a refused delete at the pipeline", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/pipelines": listed(() => [sales, admissions]),
      [`PATCH /api/v1/pipelines/${admissions.id}`]: { body: { ...admissions, isDefault: true, version: 2 } },
      [`DELETE /api/v1/pipelines/${admissions.id}`]: {
        status: 409,
        body: {
          type: "/problems/conflict",
          title: "Conflict",
          status: 409,
          detail: "This pipeline still has open deals; move or close them first.",
        },
      },
    });
    await renderPage();
    expect(await screen.findByText("Default")).toBeTruthy();
    expect(within(pipelineItem("Sales")).queryByRole("button", { name: "Delete Sales" })).toBeNull();

    await user.click(screen.getByRole("button", { name: "Make default: Admissions" }));
    expect(await screen.findByText("“Admissions” is now the default pipeline.")).toBeTruthy();
    expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ isDefault: true });

    await user.click(screen.getByRole("button", { name: "Delete Admissions" }));
    const confirm = await screen.findByRole("dialog", { name: "Delete “Admissions”?" });
    await user.click(within(confirm).getByRole("button", { name: "Delete pipeline" }));
    const alert = await within(pipelineItem("Admissions")).findByRole("alert");
    expect(alert.textContent).toBe("This pipeline still has open deals; move or close them first.");
    expect(api.calls.find((c) => c.method === "DELETE")?.headers.get("if-match")).toBe('"1"');
  });

  it("lists deleted pipelines, and restores one", async () => {
    const user = userEvent.setup();
    const trainees = pipelineOf(3, "Trainees", ["Applied", "Hired"], { deletedAt: "2026-02-01T10:00:00.000Z" });
    let live = [sales];
    const api = mockApi({
      "GET /api/v1/pipelines": ({ url }) =>
        list(url.searchParams.get("filter[deleted]") === "true" ? [trainees].filter((p) => !live.includes(p)) : live),
      [`POST /api/v1/pipelines/${trainees.id}/restore`]: () => {
        live = [sales, trainees];
        return { body: { ...trainees, deletedAt: null, version: 2 } };
      },
    });
    await renderPage();
    const section = await screen.findByRole("region", { name: "Deleted pipelines" });
    expect(within(section).getByText("Trainees")).toBeTruthy();
    await user.click(within(section).getByRole("button", { name: "Restore Trainees" }));
    expect(await screen.findByText("Restored the pipeline “Trainees”.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("region", { name: "Deleted pipelines" })).toBeNull());
    expect(pipelineItem("Trainees")).toBeTruthy();
    expect(api.calls.some((c) => c.method === "POST" && c.path.endsWith("/restore"))).toBe(true);
  });

  it("takes away the delete's Undo once the pipeline is restored from the deleted ones", async () => {
    const user = userEvent.setup();
    let live = [sales, admissions];
    mockApi({
      "GET /api/v1/pipelines": ({ url }) =>
        list(
          url.searchParams.get("filter[deleted]") !== "true"
            ? live
            : live.includes(admissions)
              ? []
              : [{ ...admissions, deletedAt: "2026-02-01T10:00:00.000Z" }],
        ),
      [`DELETE /api/v1/pipelines/${admissions.id}`]: () => {
        live = [sales];
        return { status: 204 };
      },
      [`POST /api/v1/pipelines/${admissions.id}/restore`]: () => {
        live = [sales, admissions];
        return { body: { ...admissions, version: 3 } };
      },
    });
    await renderPage();
    await user.click(await screen.findByRole("button", { name: "Delete Admissions" }));
    const confirm = await screen.findByRole("dialog", { name: "Delete “Admissions”?" });
    await user.click(within(confirm).getByRole("button", { name: "Delete pipeline" }));
    expect(await screen.findByText("Deleted the pipeline “Admissions”.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Undo" })).toBeTruthy();

    const section = await screen.findByRole("region", { name: "Deleted pipelines" });
    await user.click(within(section).getByRole("button", { name: "Restore Admissions" }));
    expect(await screen.findByText("Restored the pipeline “Admissions”.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByText("Deleted the pipeline “Admissions”.")).toBeNull());
    expect(screen.queryByRole("button", { name: "Undo" })).toBeNull();
  });

  it("is a settings page of admins only", () => {
    expect(settingsPagesFor("admin").map((p) => p.to)).toContain("/settings/pipelines");
    for (const role of ["manager", "agent", "viewer"] as const)
      expect(settingsPagesFor(role).map((p) => p.to)).not.toContain("/settings/pipelines");
  });

  it("shows nothing to change to a role that may not", async () => {
    mockApi({ "GET /api/v1/pipelines": listed(() => [sales]) });
    await renderPage("manager");
    expect(screen.getByText("Only admins manage pipelines and their stages.")).toBeTruthy();
    expect(screen.queryByRole("button")).toBeNull();
  });
});
