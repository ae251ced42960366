import type { TestWorkspace } from "../create-test-app.ts";
import { importUpload } from "./bodies.ts";

/**
 * Fixtures that an operation uses once (a bulk operation or a merge to undo, an import to start,
 * cancel or undo): each made through the API, with records of its own, so that what the other
 * cases do to the main fixtures never makes them refuse.
 */

type Created = { id: string };

let counter = 0;

async function expectStatus(
  response: { statusCode: number; body: string; json: () => unknown },
  status: number,
  what: string,
) {
  if (response.statusCode !== status) throw new Error(`fuzz fixture ${what}: ${response.statusCode} ${response.body}`);
  return response.json() as Record<string, unknown>;
}

async function newContact(ws: TestWorkspace): Promise<string> {
  const body = { firstName: "Fuzz", lastName: `one-shot ${++counter}` };
  return String((await expectStatus(await ws.admin.client.post("/api/v1/contacts", body), 201, "contact")).id);
}

/** A bulk operation that changed one contact of its own (a tag added): it can be undone. */
export async function bulkOperation(ws: TestWorkspace): Promise<Created> {
  const body = { action: "addTags", ids: [await newContact(ws)], tags: ["fuzz-bulk"] };
  const done = await expectStatus(await ws.admin.client.post("/api/v1/contacts/bulk", body), 200, "bulk operation");
  return { id: String(done.operationId) };
}

/** A merge of two contacts of its own: it can be undone. */
export async function merge(ws: TestWorkspace): Promise<Created> {
  const body = { survivorId: await newContact(ws), mergedIds: [await newContact(ws)] };
  const done = await expectStatus(await ws.admin.client.post("/api/v1/contacts/merge", body), 200, "merge");
  return { id: String(done.mergeId) };
}

/** An uploaded import of contacts, not started: it can be changed, dry-run, started or cancelled. */
export async function stagedImport(ws: TestWorkspace): Promise<Created> {
  const upload = importUpload();
  const headers = { "content-type": upload.contentType };
  const done = await expectStatus(await ws.admin.client.post("/api/v1/imports", upload.bytes, headers), 201, "import");
  return { id: String(done.id) };
}

/** An import cancelled before it started: it can be undone (nothing to take back). */
export async function cancelledImport(ws: TestWorkspace): Promise<Created> {
  const { id } = await stagedImport(ws);
  await expectStatus(await ws.admin.client.post(`/api/v1/imports/${id}/cancel`), 200, "cancelled import");
  return { id };
}

/** An export of contacts run as a job, asked for and not yet written (nothing works the jobs here). */
export async function exportJob(ws: TestWorkspace): Promise<Created> {
  const done = await expectStatus(await ws.admin.client.post("/api/v1/contacts/exports?format=csv"), 202, "export");
  return { id: String(done.id) };
}
