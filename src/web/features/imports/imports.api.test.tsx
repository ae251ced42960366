import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { useImport, useImports, type ImportRow } from "./imports.api.ts";

const id = "0190f6c2-0000-7000-8000-0000000000a1";

/** The history as a list of statuses, beside the import being watched (as the imports page has them). */
function HistoryAndWatched() {
  const history = useImports();
  const watched = useImport(id);
  const rows = history.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <ul aria-label="History">
        {rows.map((row) => (
          <li key={row.id}>
            {row.status} · {row.created} created
          </li>
        ))}
      </ul>
      <p>Watched: {watched.data?.status}</p>
    </>
  );
}

describe("useImport", () => {
  it("asks for the history again once the watched import ends, so it no longer shows it running", async () => {
    // The import ends between the first poll and the next.
    let polls = 0;
    const server = (): Pick<ImportRow, "id" | "status" | "created"> =>
      polls < 2 ? { id, status: "running", created: 0 } : { id, status: "completed", created: 12 };
    const api = mockApi({
      "GET /api/v1/imports": () => ({ body: { data: [server()], nextCursor: null } }),
      [`GET /api/v1/imports/${id}`]: () => {
        polls += 1;
        return { body: server() };
      },
    });
    await renderWithProviders(<HistoryAndWatched />);
    expect(await screen.findByText("running · 0 created")).toBeTruthy();
    expect(await screen.findByText("Watched: running")).toBeTruthy();

    // Polled every second while running.
    expect(await screen.findByText("Watched: completed", {}, { timeout: 3000 })).toBeTruthy();
    expect(await screen.findByText("completed · 12 created")).toBeTruthy();
    expect(api.calls.filter((call) => call.path === "/api/v1/imports")).toHaveLength(2);
  });

  it("leaves the history alone when it already shows the import's end", async () => {
    const done = { id, status: "completed", created: 12 };
    const api = mockApi({
      "GET /api/v1/imports": { body: { data: [done], nextCursor: null } },
      [`GET /api/v1/imports/${id}`]: { body: done },
    });
    await renderWithProviders(<HistoryAndWatched />);
    expect(await screen.findByText("Watched: completed")).toBeTruthy();
    expect(await screen.findByText("completed · 12 created")).toBeTruthy();
    expect(api.calls.filter((call) => call.path === "/api/v1/imports")).toHaveLength(1);
  });
});
