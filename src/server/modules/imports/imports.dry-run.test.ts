import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { JobData, JobDependencies } from "../../jobs/definitions.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import * as createMany from "../records/records.create-many.ts";
import { dryRunSlice } from "./imports.dry-run.ts";
import { dryRunImportJob, dryRunQueue, type ImportJobData } from "./imports.jobs.ts";
import { batchRows } from "./imports.run.ts";
import { dryRunToEnd, upload } from "./imports.test-helpers.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
const sent: { name: string; data: JobData }[] = [];
/** Set to make the queue refuse the next job sent. */
let queueDown = false;

beforeAll(async () => {
  app = await createTestApp({
    jobs: {
      send: (name, data) => {
        if (queueDown) return Promise.reject(new Error("the job queue is down"));
        sent.push({ name, data });
        return Promise.resolve(String(sent.length));
      },
      retry: () => Promise.resolve(false),
    },
  });
  ws = await createTestWorkspace(app, "Dry runs");
});
afterAll(() => app.close());

/** A contacts file of two batches and a few rows, with a bad row in each batch. */
function twoBatches(tag: string): string {
  const rows = Array.from({ length: batchRows + 20 }, (_, i) => `Row${i},row${i}.${tag}@dry.test`);
  rows[4] = "NoMail,not-an-email"; // line 6
  rows[batchRows + 10] = ",nameless@dry.test"; // line 1012
  return ["First Name,E-mail", ...rows].join("\n");
}

/** Runs one attempt of the import's dry-run job as a worker would, as its `retryCount`th retry. */
async function runAttempt(importId: string, retryCount: number) {
  const { db } = await testDatabase();
  const data: ImportJobData = { workspaceId: ws.id, importId };
  const run = { id: "dry-run-job", queue: dryRunQueue, data, retryCount, signal: new AbortController().signal };
  const send = (name: string, jobData: JobData) => {
    sent.push({ name, data: jobData });
    return Promise.resolve("again");
  };
  return dryRunImportJob.handler(run, { db, send } as unknown as JobDependencies);
}

const read = async (id: string) => (await ws.admin.client.get(`/api/v1/imports/${id}`)).json();
const errorsOf = async (id: string) =>
  (await ws.admin.client.get(`/api/v1/imports/${id}/errors?limit=100`)).json().data as { line: number }[];

describe("the imports.dry-run job", () => {
  it("is sent by POST …/dry-run and checks the whole file, ending uploaded with the counts", async () => {
    const { id } = (await upload(ws.admin, "contacts", "sent.csv", twoBatches("sent"))).json();
    const accepted = await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`);
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(sent.at(-1)).toEqual({ name: dryRunQueue, data: { workspaceId: ws.id, importId: id } });
    await runAttempt(id, 0);
    expect(await read(id)).toMatchObject({
      status: "uploaded",
      dryRun: { rowsTotal: batchRows + 20, wouldCreate: batchRows + 18, wouldUpdate: 0, wouldSkip: 0, failed: 2 },
    });
    expect((await errorsOf(id)).map((e) => e.line)).toEqual([6, batchRows + 12]);
  });

  it("goes back to uploaded when its job cannot be queued, rather than validate for ever", async () => {
    const id = (await upload(ws.admin, "contacts", "queue.csv", "First Name\nAda\n")).json<{ id: string }>().id;
    queueDown = true;
    try {
      const refused = await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`);
      expect(refused.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      queueDown = false;
    }
    expect((await ws.admin.client.get(`/api/v1/imports/${id}`)).json()).toMatchObject({ status: "uploaded" });
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
  });

  it("resumes from its last committed batch after its worker died, counting each row once", async () => {
    const { id } = (await upload(ws.admin, "contacts", "resume.csv", twoBatches("resume"))).json();
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
    const { db } = await testDatabase();
    // A slice whose time is up after one batch stops there, as a killed worker's last commit would.
    expect(await dryRunSlice(db, ws.id, id, 0)).toBe("more");
    expect(await read(id)).toMatchObject({ status: "validating", rowsDone: batchRows });
    // The job that expired runs again: it skips the committed batch (whose error is stored once).
    expect(await dryRunToEnd(ws.id, id)).toBe("finished");
    expect(await read(id)).toMatchObject({
      status: "uploaded",
      rowsDone: 0,
      dryRun: { rowsTotal: batchRows + 20, wouldCreate: batchRows + 18, failed: 2 },
    });
    expect((await errorsOf(id)).map((e) => e.line)).toEqual([6, batchRows + 12]);
    // A stale attempt of the same job finds nothing left to do.
    expect(await dryRunSlice(db, ws.id, id, 60_000)).toBe("stopped");
  });

  it("stays validating where it was after a failed attempt, and after the last one is uploaded again saying why", async () => {
    const { id } = (await upload(ws.admin, "contacts", "fails.csv", twoBatches("fails"))).json();
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).statusCode).toBe(202);
    const { db } = await testDatabase();
    expect(await dryRunSlice(db, ws.id, id, 0)).toBe("more");
    const failing = vi.spyOn(createMany, "createRecordsIn").mockRejectedValue(new TypeError("a bug"));
    try {
      await expect(runAttempt(id, 0)).rejects.toThrow("a bug");
      expect(await read(id)).toMatchObject({ status: "validating", rowsDone: batchRows, errorSummary: null });
      await expect(runAttempt(id, 5)).rejects.toThrow("a bug");
    } finally {
      failing.mockRestore();
    }
    expect(await read(id)).toMatchObject({
      status: "uploaded",
      rowsDone: 0,
      dryRun: null,
      errorSummary: "The dry run stopped on an error; run it again, or start the import.",
    });
    expect(await errorsOf(id)).toEqual([]);
    // A change of the settings takes the summary away too: it was about the settings before.
    const changed = await ws.admin.client.patch(`/api/v1/imports/${id}`, { onDuplicate: "create" });
    expect(changed.json()).toMatchObject({ status: "uploaded", errorSummary: null });
    // It can be checked again (the summary goes), or started.
    expect((await ws.admin.client.post(`/api/v1/imports/${id}/dry-run`)).json()).toMatchObject({
      status: "validating",
      errorSummary: null,
    });
    expect(await dryRunToEnd(ws.id, id)).toBe("finished");
    expect((await read(id)).dryRun).toMatchObject({ failed: 2 });
  });
});
