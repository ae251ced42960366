import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, signedInAs } from "../../test/render.tsx";
import { ImportsPage } from "./ImportsPage.tsx";
import type { ImportRow, UploadedRow } from "./imports.api.ts";

const history = { "GET /api/v1/imports": { body: { data: [], nextCursor: null } } };
const vcard = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n";

describe("ImportsPage with a vCard file", () => {
  it("creates contacts from the cards at once, as text/vcard, and links to them", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...history,
      "POST /api/v1/contacts/vcards": { status: 201, body: { created: 2, ids: ["a", "b"] } },
    });
    await renderWithProviders(<ImportsPage />, { queryClient: signedInAs("manager") });
    await user.upload(screen.getByLabelText("Choose a file"), new File([vcard], "people.vcf", { type: "" }));

    expect(await screen.findByText("Created 2 contacts from the vCard file.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open contacts" }).getAttribute("href")).toBe("/contacts");
    const posted = api.calls.filter((call) => call.method === "POST");
    expect(posted.map((call) => call.path)).toEqual(["/api/v1/contacts/vcards"]);
    expect(posted[0]?.headers.get("content-type")).toBe("text/vcard");
    // No mapping step: the CSV upload was never asked.
    expect(api.calls.some((call) => call.method === "POST" && call.path === "/api/v1/imports")).toBe(false);
  });

  it("says that nothing was created, and which card is wrong", async () => {
    const user = userEvent.setup();
    mockApi({
      ...history,
      "POST /api/v1/contacts/vcards": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "Some cards are invalid.",
          errors: [{ path: "cards.2.EMAIL", message: "Must be an e-mail address" }],
        },
      },
    });
    await renderWithProviders(<ImportsPage />, { queryClient: signedInAs("manager") });
    await user.upload(screen.getByLabelText("Choose a file"), new File([vcard], "people.vcf"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("No contact was created: Some cards are invalid.");
    expect(alert.textContent).toContain("cards.2.EMAIL: Must be an e-mail address");
  });
});

const id = "0190f6c2-0000-7000-8000-0000000000b1";

/** An uploaded contacts file of 2,000 rows, as GET /imports/:id answers it; `changes` moves it on. */
function importRow(changes: Partial<ImportRow> = {}): ImportRow {
  return {
    id,
    resource: "contacts",
    status: "uploaded",
    fileName: "people.csv",
    sizeBytes: 40_000,
    format: "csv",
    delimiter: ",",
    encoding: "utf-8",
    columns: ["First Name", "E-mail"],
    mapping: { "First Name": "firstName", "E-mail": "email" },
    onDuplicate: "skip",
    options: {},
    rowsTotal: 2000,
    rowsDone: 0,
    rowsPerSecond: null,
    eta: null,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    dryRun: null,
    createdBy: "0190f6c2-0000-7000-8000-0000000000e1",
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:00:00.000Z",
    startedAt: null,
    finishedAt: null,
    errorSummary: null,
    ...changes,
  };
}

const uploaded: UploadedRow = { ...importRow(), sampleRows: [{ "First Name": "Ada", "E-mail": "ada@x.test" }] };
const validating = (rowsDone: number) =>
  importRow({
    status: "validating",
    rowsDone,
    rowsPerSecond: rowsDone > 0 ? 500 : null,
    eta: rowsDone > 0 ? new Date(Date.now() + 2_000).toISOString() : null,
    dryRun: { rowsTotal: rowsDone, wouldCreate: rowsDone, wouldUpdate: 0, wouldSkip: 0, failed: 0 },
    updatedAt: "2026-03-01T10:00:05.000Z",
  });
const checked = importRow({
  dryRun: { rowsTotal: 2000, wouldCreate: 1990, wouldUpdate: 0, wouldSkip: 8, failed: 2 },
  updatedAt: "2026-03-01T10:00:09.000Z",
});

/** Uploads the file and asks for its dry run, as a person does. */
async function uploadAndCheck(user: ReturnType<typeof userEvent.setup>) {
  await renderWithProviders(<ImportsPage />, { queryClient: signedInAs("manager") });
  await user.upload(screen.getByLabelText("Choose a file"), new File(["First Name,E-mail\n"], "people.csv"));
  await user.click(await screen.findByRole("button", { name: "Check rows (dry run)" }));
}

describe("ImportsPage's dry run", () => {
  it("follows the job's progress, then shows what the import would do and its first errors", async () => {
    const user = userEvent.setup();
    let state = importRow();
    let reads = 0;
    const api = mockApi({
      ...history,
      "POST /api/v1/imports": { status: 201, body: uploaded },
      [`PATCH /api/v1/imports/${id}`]: { body: importRow() },
      [`POST /api/v1/imports/${id}/dry-run`]: () => {
        state = validating(0);
        return { status: 202, body: state };
      },
      // The job checks a batch between two polls, then ends.
      [`GET /api/v1/imports/${id}`]: () => {
        if (state.status === "validating" && reads++ > 0) state = reads > 2 ? checked : validating(1000);
        return { body: state };
      },
      [`GET /api/v1/imports/${id}/errors`]: {
        body: {
          data: [
            { line: 12, column: "E-mail", message: "Must be an e-mail address" },
            { line: 1500, column: null, message: "Something else" },
          ],
          nextCursor: null,
        },
      },
    });
    await uploadAndCheck(user);

    expect(await screen.findByText("Checking rows (dry run)…")).toBeTruthy();
    const progress = screen.getByRole("progressbar", { name: "Dry run progress" });
    await waitFor(() => expect(progress.getAttribute("aria-valuenow")).toBe("50"), { timeout: 4_000 });
    expect(screen.getByText(/^1,000 of 2,000 rows · 500 rows\/s · about \d s left$/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Cancel dry run" })).toBeTruthy();
    expect((screen.getByRole("button", { name: "Start import" }) as HTMLButtonElement).disabled).toBe(true);

    const report = await screen.findByText(/Would create 1990/, {}, { timeout: 4_000 });
    expect(report.textContent).toBe("Would create 1990, update 0, skip 8; 2 rows have errors.");
    expect(await screen.findByText("Line 12, E-mail: Must be an e-mail address")).toBeTruthy();
    expect(screen.getByText("Line 1500: Something else")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Download all errors" }).getAttribute("href")).toBe(
      `/api/v1/imports/${id}/errors.csv`,
    );
    expect(screen.queryByRole("progressbar")).toBeNull();
    const errorsAsked = api.calls.find((call) => call.path === `/api/v1/imports/${id}/errors`);
    expect(errorsAsked?.url.searchParams.get("limit")).toBe("10");
    expect((screen.getByRole("button", { name: "Start import" }) as HTMLButtonElement).disabled).toBe(false);
  }, 15_000);

  it("cancels the dry run: the import is uploaded again, without a report", async () => {
    const user = userEvent.setup();
    let state = importRow();
    const api = mockApi({
      ...history,
      "POST /api/v1/imports": { status: 201, body: uploaded },
      [`PATCH /api/v1/imports/${id}`]: { body: importRow() },
      [`POST /api/v1/imports/${id}/dry-run`]: () => {
        state = validating(1000);
        return { status: 202, body: state };
      },
      [`POST /api/v1/imports/${id}/cancel`]: () => {
        state = importRow();
        return { body: state };
      },
      [`GET /api/v1/imports/${id}`]: () => ({ body: state }),
    });
    await uploadAndCheck(user);

    await user.click(await screen.findByRole("button", { name: "Cancel dry run" }));
    await waitFor(() => expect(screen.queryByText("Checking rows (dry run)…")).toBeNull());
    expect(api.calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
      "/api/v1/imports",
      `/api/v1/imports/${id}/dry-run`,
      `/api/v1/imports/${id}/cancel`,
    ]);
    expect(screen.queryByRole("status")).toBeNull();
    expect((screen.getByRole("button", { name: "Check rows (dry run)" }) as HTMLButtonElement).disabled).toBe(false);
  });
});
