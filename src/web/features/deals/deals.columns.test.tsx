import { screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DataTable } from "../../components/data-table/DataTable.tsx";
import { setLanguage } from "../../i18n/i18n.ts";
import { browserFormats, setFormatPreferences } from "../../lib/format.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { useCellSave } from "../lists/useCellSave.ts";
import { dealColumns } from "./deals.columns.tsx";
import type { DealRow, PipelineRow } from "./deals.api.ts";

const stages = {
  qualification: "0190f6c2-0000-7000-8000-0000000000a1",
  proposal: "0190f6c2-0000-7000-8000-0000000000a2",
  won: "0190f6c2-0000-7000-8000-0000000000a3",
  lost: "0190f6c2-0000-7000-8000-0000000000a4",
  noBudget: "0190f6c2-0000-7000-8000-0000000000a5",
};
const pipeline = {
  id: "0190f6c2-0000-7000-8000-0000000000b1",
  name: "Sales",
  isDefault: true,
  version: 1,
  stages: [
    { id: stages.qualification, name: "Qualification", position: 0, probability: 20, isWon: false, isLost: false },
    { id: stages.proposal, name: "Proposal", position: 1, probability: 60, isWon: false, isLost: false },
    { id: stages.won, name: "Won", position: 2, probability: 100, isWon: true, isLost: false },
    { id: stages.lost, name: "Lost", position: 3, probability: 0, isWon: false, isLost: true },
    { id: stages.noBudget, name: "No budget", position: 4, probability: 0, isWon: false, isLost: true },
  ],
} as PipelineRow;

function deal(changes: Partial<DealRow>): DealRow {
  return {
    id: "0190f6c2-0000-7000-8000-0000000000d1",
    version: 3,
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
    ownerId: null,
    lostReason: null,
    tags: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    createdBy: null,
    deletedAt: null,
    ...changes,
  } as DealRow;
}

const open = deal({});
const lost = deal({
  id: "0190f6c2-0000-7000-8000-0000000000d2",
  name: "Lost deal",
  stageId: stages.lost,
  status: "lost",
  lostReason: "Price",
});

function Deals() {
  const save = useCellSave("deals", "deal");
  return (
    <div style={{ height: 400, display: "flex" }}>
      <DataTable
        label="Deals"
        rows={[open, lost]}
        columns={dealColumns([pipeline])}
        getRowId={(d) => d.id}
        sort=""
        onSortChange={() => {}}
        hasMore={false}
        isLoadingMore={false}
        onLoadMore={() => {}}
        onCellSave={save}
        rowLabel={(d) => d.name}
      />
    </div>
  );
}

const optionNames = (select: HTMLElement) =>
  within(select)
    .getAllByRole("option")
    .map((o) => o.textContent);

describe("the deals table's cells", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  });

  it("offers no lost stage in an open deal's Stage cell: a move to lost asks for its reason elsewhere", async () => {
    const user = userEvent.setup();
    await renderWithProviders(<Deals />);
    await user.click(screen.getByRole("button", { name: "Edit Stage of Big deal" }));
    expect(optionNames(screen.getByRole("combobox", { name: "Stage of Big deal" }))).toEqual([
      "Qualification",
      "Proposal",
      "Won",
    ]);
  });

  it("offers a lost deal its own lost stage, and no other lost one", async () => {
    const user = userEvent.setup();
    await renderWithProviders(<Deals />);
    await user.click(screen.getByRole("button", { name: "Edit Stage of Lost deal" }));
    const select = screen.getByRole("combobox", { name: "Stage of Lost deal" }) as HTMLSelectElement;
    expect(optionNames(select)).toEqual(["Qualification", "Proposal", "Won", "Lost"]);
    expect(select.value).toBe(stages.lost);
  });

  it("reads a value typed in the workspace's number format", async () => {
    const user = userEvent.setup();
    setFormatPreferences({ ...browserFormats, numberFormat: "1.234,56" });
    try {
      const api = mockApi({ [`PATCH /api/v1/deals/${open.id}`]: { body: { ...open, value: "12500.50" } } });
      await renderWithProviders(<Deals />);
      await user.click(screen.getByRole("button", { name: "Edit Value of Big deal" }));
      const input = screen.getByRole("textbox", { name: "Value of Big deal" });
      await user.clear(input);
      await user.type(input, "12.500,50");
      await user.click(screen.getByRole("button", { name: "Save Value of Big deal" }));
      await vi.waitFor(() => expect(api.calls.some((c) => c.method === "PATCH")).toBe(true));
      expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ value: "12500.50" });
    } finally {
      setFormatPreferences(browserFormats);
    }
  });

  it("names its columns in German when the interface is German", async () => {
    await setLanguage("de");
    await renderWithProviders(<Deals />);
    expect(screen.getByRole("columnheader", { name: /Phase/ })).toBeTruthy();
    expect(screen.getByRole("columnheader", { name: /Erwarteter Abschluss/ })).toBeTruthy();
  });
});
