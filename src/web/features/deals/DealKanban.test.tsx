import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { DealKanban } from "./DealKanban.tsx";
import type { DealRow, PipelineRow } from "./deals.api.ts";

const userId = "0190f6c2-0000-7000-8000-000000000001";
const stages = {
  qualification: "0190f6c2-0000-7000-8000-0000000000a1",
  proposal: "0190f6c2-0000-7000-8000-0000000000a2",
  won: "0190f6c2-0000-7000-8000-0000000000a3",
};
const pipeline = {
  id: "0190f6c2-0000-7000-8000-0000000000p1",
  name: "Sales",
  isDefault: true,
  version: 1,
  stages: [
    { id: stages.qualification, name: "Qualification", position: 0, probability: 20, isWon: false, isLost: false },
    { id: stages.proposal, name: "Proposal", position: 1, probability: 60, isWon: false, isLost: false },
    { id: stages.won, name: "Won", position: 2, probability: 100, isWon: true, isLost: false },
  ],
} as PipelineRow;

function deal(changes: Partial<DealRow>): DealRow {
  return {
    id: "0190f6c2-0000-7000-8000-0000000000d1",
    version: 2,
    name: "Big deal",
    value: "5000.00",
    currency: "EUR",
    pipelineId: pipeline.id,
    stageId: stages.qualification,
    status: "open",
    probability: 20,
    expectedCloseDate: null,
    actualCloseDate: null,
    contactId: null,
    companyId: null,
    leadId: null,
    ownerId: userId,
    lostReason: null,
    tags: [],
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    createdBy: userId,
    deletedAt: null,
    ...changes,
  };
}

/** A tiny stand-in for the deals API: one stored deal, lists filtered by stage, and a scripted PATCH. */
function fakeServer(patch: (body: { stageId: string }, ifMatch: string | null) => { status: number; body: unknown }) {
  let stored = deal({});
  const inStage = (url: URL) => (stored.stageId === url.searchParams.get("filter[stageId][eq]") ? [stored] : []);
  const api = mockApi({
    "GET /api/v1/me": {
      body: {
        user: { id: userId, email: "admin@demo.keel.test", name: "Admin" },
        workspaces: [],
        activeWorkspaceId: null,
        role: "admin",
      },
    },
    "GET /api/v1/pipelines": { body: { data: [pipeline], nextCursor: null } },
    "GET /api/v1/deals": ({ url }) => ({ body: { data: inStage(url), nextCursor: null } }),
    "GET /api/v1/deals/count": ({ url }) => ({ body: { count: inStage(url).length } }),
    [`GET /api/v1/deals/${stored.id}`]: () => ({ body: stored }),
    [`PATCH /api/v1/deals/${stored.id}`]: ({ body, headers }) => {
      const answer = patch(body as { stageId: string }, headers.get("if-match"));
      if (answer.status === 200) stored = answer.body as DealRow;
      return answer;
    },
  });
  return {
    api,
    /** Someone else edits the deal: its version moves on. */
    changeElsewhere: (changes: Partial<DealRow>) => (stored = { ...stored, ...changes, version: stored.version + 1 }),
    current: () => stored,
  };
}

const stale = {
  status: 412,
  body: {
    type: "/problems/stale-version",
    title: "Stale version",
    status: 412,
    detail: "The deal changed since you read it.",
  },
};
const column = (name: string) => within(screen.getByRole("region", { name }));

async function renderBoard() {
  await renderWithProviders(<DealKanban filters={[]} q="" />);
  await screen.findByRole("link", { name: "Big deal" });
}

describe("DealKanban", () => {
  it("keeps the user's move and shows a conflict when someone else changed the deal (412)", async () => {
    const server = fakeServer((body, ifMatch) =>
      ifMatch === `"${server.current().version}"`
        ? { status: 200, body: { ...server.current(), stageId: body.stageId, version: server.current().version + 1 } }
        : stale,
    );
    await renderBoard();
    server.changeElsewhere({ name: "Big deal" });

    fireEvent.change(screen.getByRole("combobox", { name: "Stage of Big deal" }), {
      target: { value: stages.proposal },
    });

    const alert = await column("Proposal").findByRole("alert");
    expect(alert.textContent).toContain("Changed by someone else");
    expect(column("Proposal").getByRole("link", { name: "Big deal" })).toBeTruthy();
    expect(column("Qualification").queryByRole("link", { name: "Big deal" })).toBeNull();
    expect((screen.getByRole("combobox", { name: "Stage of Big deal" }) as HTMLSelectElement).value).toBe(
      stages.proposal,
    );

    fireEvent.click(within(alert).getByRole("button", { name: "Retry moving Big deal to Proposal" }));

    await waitFor(() => expect(server.current().stageId).toBe(stages.proposal));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect(column("Proposal").getByRole("link", { name: "Big deal" })).toBeTruthy();
    const patches = server.api.calls.filter((c) => c.method === "PATCH");
    expect(patches.map((c) => c.headers.get("if-match"))).toEqual(['"2"', '"3"']);
    expect(patches.map((c) => c.body)).toEqual([{ stageId: stages.proposal }, { stageId: stages.proposal }]);
  });

  it("shows the stored version again when the user chooses Reload", async () => {
    const server = fakeServer(() => stale);
    await renderBoard();

    fireEvent.change(screen.getByRole("combobox", { name: "Stage of Big deal" }), { target: { value: stages.won } });
    const alert = await column("Won").findByRole("alert");
    fireEvent.click(within(alert).getByRole("button", { name: "Reload Big deal" }));

    await waitFor(() => expect(column("Qualification").getByRole("link", { name: "Big deal" })).toBeTruthy());
    expect(column("Won").queryByRole("link", { name: "Big deal" })).toBeNull();
    expect(server.api.calls.filter((c) => c.method === "PATCH")).toHaveLength(1);
  });

  it("puts a card back where it was when the server refuses the move", async () => {
    fakeServer(() => ({
      status: 403,
      body: {
        type: "/problems/forbidden",
        title: "Forbidden",
        status: 403,
        detail: "You may only change your own deals.",
      },
    }));
    await renderBoard();

    fireEvent.change(screen.getByRole("combobox", { name: "Stage of Big deal" }), {
      target: { value: stages.proposal },
    });

    await waitFor(() => expect(column("Qualification").getByRole("link", { name: "Big deal" })).toBeTruthy());
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows count, value and weighted value in the column header", async () => {
    fakeServer(() => stale);
    await renderBoard();
    const header = column("Qualification");
    expect(header.getByLabelText("1 deal")).toBeTruthy();
    expect(header.getByText(/weighted/).textContent).toMatch(/5,000.*weighted.*1,000/);
  });
});

describe("DealKanban lost stages", () => {
  const lostStage = "0190f6c2-0000-7000-8000-0000000000a5";
  const withLost = {
    ...pipeline,
    stages: [
      ...pipeline.stages,
      { id: lostStage, name: "Lost", position: 3, probability: 0, isWon: false, isLost: true },
    ],
  } as PipelineRow;

  function server(settings: { dealLostReasons: string[]; requireDealLostReason: boolean }) {
    let stored = deal({});
    const inStage = (url: URL) => (stored.stageId === url.searchParams.get("filter[stageId][eq]") ? [stored] : []);
    return mockApi({
      "GET /api/v1/me": {
        body: {
          user: { id: userId, email: "a@demo.keel.test", name: "A" },
          workspaces: [],
          activeWorkspaceId: null,
          role: "admin",
        },
      },
      "GET /api/v1/workspace": { body: { id: "0190f6c2-0000-7000-8000-0000000000f1", ...settings } },
      "GET /api/v1/pipelines": { body: { data: [withLost], nextCursor: null } },
      "GET /api/v1/deals": ({ url }) => ({ body: { data: inStage(url), nextCursor: null } }),
      "GET /api/v1/deals/count": ({ url }) => ({ body: { count: inStage(url).length } }),
      [`PATCH /api/v1/deals/${stored.id}`]: ({ body }) => {
        const changes = body as { stageId: string; lostReason?: string };
        stored = { ...stored, ...changes, status: "lost", version: stored.version + 1 };
        return { body: stored };
      },
    });
  }

  it("asks why before moving a card to a lost stage, offering the workspace's reasons or Other", async () => {
    const api = server({ dealLostReasons: ["Price too high", "No decision"], requireDealLostReason: true });
    await renderBoard();
    fireEvent.change(screen.getByRole("combobox", { name: "Stage of Big deal" }), { target: { value: lostStage } });
    const dialog = await screen.findByRole("dialog", { name: "Mark as lost" });
    expect(within(dialog).getByText("Why was “Big deal” lost? It moves to Lost.")).toBeTruthy();
    const picker = (await within(dialog).findByRole("combobox", { name: "Lost reason" })) as HTMLSelectElement;
    await waitFor(() =>
      expect(Array.from(picker.options).map((o) => o.textContent)).toEqual([
        "Choose a reason",
        "Price too high",
        "No decision",
        "Other…",
      ]),
    );

    fireEvent.click(within(dialog).getByRole("button", { name: "Mark as lost" }));
    expect(await within(dialog).findByText("Lost reason is required")).toBeTruthy();
    expect(api.calls.filter((c) => c.method === "PATCH")).toHaveLength(0);

    fireEvent.change(picker, { target: { value: "__other__" } });
    fireEvent.change(within(dialog).getByRole("textbox", { name: "Other reason" }), {
      target: { value: "Merged with a rival" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark as lost" }));
    await waitFor(() => expect(column("Lost").getByRole("link", { name: "Big deal" })).toBeTruthy());
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.body).toEqual({ stageId: lostStage, lostReason: "Other: Merged with a rival" });
    expect(patch?.headers.get("if-match")).toBe('"2"');
  });

  it("lets the reason be left out when the workspace does not require one, and Cancel keeps the card", async () => {
    const api = server({ dealLostReasons: [], requireDealLostReason: false });
    await renderBoard();
    const stage = () => screen.getByRole("combobox", { name: "Stage of Big deal" });
    fireEvent.change(stage(), { target: { value: lostStage } });
    let dialog = await screen.findByRole("dialog", { name: "Mark as lost" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(column("Qualification").getByRole("link", { name: "Big deal" })).toBeTruthy();

    fireEvent.change(stage(), { target: { value: lostStage } });
    dialog = await screen.findByRole("dialog", { name: "Mark as lost" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark as lost" }));
    await waitFor(() => expect(column("Lost").getByRole("link", { name: "Big deal" })).toBeTruthy());
    expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ stageId: lostStage });
  });
});

describe("DealKanban pipelines", () => {
  const me = {
    body: {
      user: { id: userId, email: "admin@demo.keel.test", name: "Admin" },
      workspaces: [],
      activeWorkspaceId: null,
      role: "admin",
    },
  };
  const archivedAt = "2026-11-01T00:00:00.000Z";
  const unused = "0190f6c2-0000-7000-8000-0000000000a4";
  const withArchived = {
    ...pipeline,
    stages: [
      { ...pipeline.stages[0]!, archivedAt },
      { ...pipeline.stages[1]!, archivedAt: null },
      { ...pipeline.stages[2]!, archivedAt: null },
      { id: unused, name: "Dormant", position: 3, probability: 0, isWon: false, isLost: false, archivedAt },
    ],
  } as PipelineRow;

  it("shows the pipeline switcher with one pipeline, and an archived stage only while deals are in it, closed to drops and choices", async () => {
    const stored = deal({});
    mockApi({
      "GET /api/v1/me": me,
      "GET /api/v1/pipelines": { body: { data: [withArchived], nextCursor: null } },
      "GET /api/v1/deals": ({ url }) => ({
        body: {
          data: url.searchParams.get("filter[stageId][eq]") === stored.stageId ? [stored] : [],
          nextCursor: null,
        },
      }),
      "GET /api/v1/deals/count": ({ url }) => ({
        body: { count: url.searchParams.get("filter[stageId][eq]") === stored.stageId ? 1 : 0 },
      }),
    });
    await renderBoard();
    expect(screen.getByRole("combobox", { name: "Pipeline" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Manage pipelines" }).getAttribute("href")).toBe("/settings/pipelines");
    expect(column("Qualification (archived)").getByRole("link", { name: "Big deal" })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("region", { name: "Dormant (archived)" })).toBeNull());

    const picker = screen.getByRole("combobox", { name: "Stage of Big deal" }) as HTMLSelectElement;
    const options = Array.from(picker.options).map((o) => [o.textContent, o.disabled]);
    expect(options).toEqual([
      ["Qualification (archived)", true],
      ["Proposal", false],
      ["Won", false],
    ]);
    const regions = screen.getAllByRole("region").map((r) => r.getAttribute("aria-label") ?? r.textContent);
    expect(regions.at(-1)).toContain("Qualification (archived)");
  });

  it("links admins to the pipelines' settings when there is no pipeline", async () => {
    mockApi({ "GET /api/v1/me": me, "GET /api/v1/pipelines": { body: { data: [], nextCursor: null } } });
    await renderWithProviders(<DealKanban filters={[]} q="" />);
    const link = await screen.findByRole("link", { name: "Create a pipeline" });
    expect(link.getAttribute("href")).toBe("/settings/pipelines");
  });
});
