import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobData, JobDependencies } from "../../jobs/definitions.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import {
  abandonedAfterMs,
  exportFileQueue,
  exportFilesPruner,
  runExportFileJob,
  type ExportJobData,
} from "./exports.jobs.ts";

let app: FastifyInstance;
let ws: TestWorkspace;
/** The jobs the routes sent: this app runs none by itself, the tests run them. */
const sent: { name: string; data: JobData }[] = [];

type ExportFile = {
  id: string;
  status: string;
  error: string | null;
  rowsTotal: number | null;
  rowsDone: number;
  expiresAt: string;
  downloadUrl: string | null;
};

/** Runs the pruning job, as its schedule would. */
async function runPruner(): Promise<void> {
  const { db } = await testDatabase();
  const logger = { info: () => undefined, warn: () => undefined };
  await exportFilesPruner.handler(
    {
      id: "prune",
      queue: "exports.prune",
      data: { workspaceId: null },
      retryCount: 0,
      signal: new AbortController().signal,
    },
    { db, logger } as unknown as JobDependencies,
  );
}

async function runSentJob(exportId: string): Promise<void> {
  const job = sent.find((entry) => entry.name === exportFileQueue && entry.data.exportId === exportId);
  expect(job).toBeDefined();
  const { db } = await testDatabase();
  await runExportFileJob.handler(
    {
      id: "test-job",
      queue: exportFileQueue,
      data: job?.data as ExportJobData,
      retryCount: 0,
      signal: new AbortController().signal,
    },
    { db } as JobDependencies,
  );
}

beforeAll(async () => {
  app = await createTestApp({
    env: { RATE_LIMIT_EXPORT_PER_MINUTE: "0" },
    jobs: {
      send: (name, data) => {
        sent.push({ name, data });
        return Promise.resolve(String(sent.length));
      },
      retry: () => Promise.resolve(false),
    },
  });
  ws = await createTestWorkspace(app, "Export files");
  const { db } = await testDatabase();
  await db.execute(sql`
    insert into contacts (workspace_id, id, first_name, last_name, email, lifecycle, owner_id)
    select ${ws.id}, gen_random_uuid(), 'First' || n, 'Last' || lpad(n::text, 4, '0'), 'p' || n || '@example.com',
      case when n % 3 = 0 then 'customer' else 'lead' end, ${ws.admin.userId}
    from generate_series(1, 1200) as n`);
}, 120_000);
afterAll(() => app.close());

describe("POST /<resource>/exports, then GET /exports/:id and its download", () => {
  it("runs the export as a job with progress, and serves the same file GET /export streams", async () => {
    const query = "filter[lifecycle]=customer&sort=lastName&columns=lastName,email,ownerEmail&bom=false";
    const started = await ws.manager.client.post(`/api/v1/contacts/exports?${query}`);
    expect(started.statusCode, started.body).toBe(202);
    const file = started.json<ExportFile>();
    expect(file).toMatchObject({ status: "queued", rowsDone: 0, downloadUrl: null });
    expect(started.headers.location).toBe(`/api/v1/exports/${file.id}`);

    const early = await ws.manager.client.get(`/api/v1/exports/${file.id}/download`);
    expect(early.statusCode).toBe(409);

    await runSentJob(file.id);
    const done = await ws.manager.client.get(`/api/v1/exports/${file.id}`);
    expect(done.statusCode).toBe(200);
    const progress = done.json<ExportFile>();
    expect(progress).toMatchObject({ status: "completed", rowsTotal: 400, rowsDone: 400 });
    expect(progress.downloadUrl).toBe(`/api/v1/exports/${file.id}/download`);
    const hoursLeft = (new Date(progress.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);

    const download = await ws.manager.client.get(progress.downloadUrl ?? "");
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(download.headers["content-disposition"]).toMatch(/^attachment; filename="contacts-.*\.csv"$/);
    const direct = await ws.manager.client.get(`/api/v1/contacts/export?${query}`);
    expect(download.body).toBe(direct.body);
    const rows = parse(download.body) as string[][];
    expect(rows).toHaveLength(401);
    expect(rows[1]).toEqual(["Last0003", "p3@example.com", ws.admin.email]);
  });

  it("stores a file larger than one slice in several, and reads it back whole", async () => {
    const started = await ws.admin.client.post("/api/v1/contacts/exports?format=ndjson&bom=false");
    const { id } = started.json<ExportFile>();
    const { db } = await testDatabase();
    // Many long rows that gzip cannot shrink much (hex digits of each row's own hashes), so that
    // even the stored, compressed file passes 1 MiB.
    await db.execute(sql`update contacts set job_title = (
        select string_agg(md5(random()::text || contacts.id::text || g), '') from generate_series(1, 64) as g
      ) where workspace_id = ${ws.id}`);
    await runSentJob(id);
    const chunks = (await db.execute(
      sql`select count(*)::int as count from export_file_chunks where workspace_id = ${ws.id} and export_id = ${id}`,
    )) as unknown as { rows: { count: number }[] };
    expect(chunks.rows[0]?.count).toBeGreaterThan(1);
    const download = await ws.admin.client.get(`/api/v1/exports/${id}/download`);
    const lines = download.body.trim().split("\n");
    expect(lines).toHaveLength(1200);
    expect((JSON.parse(lines[0] ?? "{}") as { jobTitle: string }).jobTitle).toHaveLength(2048);
    // The stored slices, one gzip stream, decompress to the file as sent.
    const gzipped = await ws.admin.client.get(`/api/v1/exports/${id}/download`, { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(download.body);
  });

  it("keeps a text file gzip-compressed: sent so to a client that takes gzip, decompressed to one that does not", async () => {
    const { db } = await testDatabase();
    await db.execute(sql`update contacts set job_title = 'Head of Admissions' where workspace_id = ${ws.id}`);
    const started = await ws.manager.client.post("/api/v1/contacts/exports?format=csv");
    const { id } = started.json<ExportFile>();
    await runSentJob(id);
    const plain = await ws.manager.client.get(`/api/v1/exports/${id}/download`, { "accept-encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["vary"]).toBe("accept-encoding");
    expect(Number(plain.headers["content-length"])).toBe(plain.rawPayload.length);
    expect(parse(plain.body, { bom: true })).toHaveLength(1201);

    const gzipped = await ws.manager.client.get(`/api/v1/exports/${id}/download`, {
      "accept-encoding": "br;q=1.0, gzip;q=0.8, *;q=0.1",
    });
    expect(gzipped.statusCode).toBe(200);
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(Number(gzipped.headers["content-length"])).toBe(gzipped.rawPayload.length);
    expect(gunzipSync(gzipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    // Stored compressed: rows like these shrink to well under half.
    expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);

    // What the client prefers, case and specificity as HTTP defines them.
    for (const [acceptEncoding, encoding] of [
      ["GZIP", "gzip"],
      ["gzip;q=0, *", undefined],
      ["gzip;q=0.5, identity", undefined],
      ["*", "gzip"],
      ["br", undefined],
    ] as const) {
      const answer = await ws.manager.client.get(`/api/v1/exports/${id}/download`, {
        "accept-encoding": acceptEncoding,
      });
      expect(answer.headers["content-encoding"], acceptEncoding).toBe(encoding);
      expect(answer.rawPayload.equals(encoding ? gzipped.rawPayload : plain.rawPayload), acceptEncoding).toBe(true);
    }

    // XLSX is a zip archive already: stored and sent as it is.
    const workbook = await ws.manager.client.post("/api/v1/contacts/exports?format=xlsx");
    const workbookId = workbook.json<ExportFile>().id;
    await runSentJob(workbookId);
    const xlsx = await ws.manager.client.get(`/api/v1/exports/${workbookId}/download`, { "accept-encoding": "gzip" });
    expect(xlsx.headers["content-encoding"]).toBeUndefined();
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
    expect(Number(xlsx.headers["content-length"])).toBe(xlsx.rawPayload.length);
  });

  it("serves a file stored before exports were compressed as it was stored", async () => {
    const started = await ws.manager.client.post("/api/v1/contacts/exports?format=csv");
    const { id } = started.json<ExportFile>();
    await runSentJob(id);
    const file = (await ws.manager.client.get(`/api/v1/exports/${id}/download`)).rawPayload;
    // As an earlier version stored it: the file itself in two slices, no encoding, no stored size.
    const { db } = await testDatabase();
    const half = Math.floor(file.length / 2);
    await db.execute(sql`delete from export_file_chunks where workspace_id = ${ws.id} and export_id = ${id}`);
    await db.execute(sql`insert into export_file_chunks (workspace_id, export_id, seq, bytes)
      values (${ws.id}, ${id}, 0, ${file.subarray(0, half)}), (${ws.id}, ${id}, 1, ${file.subarray(half)})`);
    await db.execute(
      sql`update export_files set content_encoding = 'identity', stored_bytes = 0 where workspace_id = ${ws.id} and id = ${id}`,
    );
    for (const acceptEncoding of ["gzip", "identity"]) {
      const download = await ws.manager.client.get(`/api/v1/exports/${id}/download`, {
        "accept-encoding": acceptEncoding,
      });
      expect(download.headers["content-encoding"]).toBeUndefined();
      expect(Number(download.headers["content-length"])).toBe(file.length);
      expect(download.rawPayload.equals(file)).toBe(true);
    }
  });

  it("answers a failure to read the stored file as a problem, not as a broken file", async () => {
    const started = await ws.manager.client.post("/api/v1/contacts/exports?format=csv");
    const { id } = started.json<ExportFile>();
    await runSentJob(id);
    const { db } = await testDatabase();
    // Every read of the slices fails, as when the database goes away between two requests.
    await db.execute(sql`create function test_unreadable_slice() returns boolean language plpgsql
      as $$ begin raise exception 'the slice cannot be read'; end $$`);
    await db.execute(sql`create policy test_unreadable on export_file_chunks as restrictive for select
      using (test_unreadable_slice())`);
    try {
      const download = await ws.manager.client.get(`/api/v1/exports/${id}/download`, { "accept-encoding": "gzip" });
      expect(download.statusCode).toBe(500);
      expect(download.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(download.headers["content-encoding"]).toBeUndefined();
      expect(download.headers["content-disposition"]).toBeUndefined();
      expect(download.json<{ status: number }>().status).toBe(500);
    } finally {
      await db.execute(sql`drop policy test_unreadable on export_file_chunks`);
      await db.execute(sql`drop function test_unreadable_slice()`);
    }
    // Nobody took a copy: no download is audited for the failed request.
    const entries = (await db.execute(sql`select count(*)::int as count from audit_logs
      where workspace_id = ${ws.id} and action = 'contact.export_downloaded' and details->>'exportId' = ${id}`)) as unknown as {
      rows: { count: number }[];
    };
    expect(entries.rows[0]?.count).toBe(0);
  });

  it("shows an export only to who asked for it and to admins", async () => {
    const started = await ws.manager.client.post("/api/v1/contacts/exports?columns=id");
    const { id } = started.json<ExportFile>();
    await runSentJob(id);
    // Agents and viewers may not export at all: refused before the export is looked up.
    for (const other of [ws.agent, ws.viewer]) {
      expect((await other.client.get(`/api/v1/exports/${id}`)).statusCode).toBe(403);
      const refused = await other.client.get(`/api/v1/exports/${id}/download`);
      expect(refused.statusCode).toBe(403);
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
    expect((await ws.admin.client.get(`/api/v1/exports/${id}/download`)).statusCode).toBe(200);
    const elsewhere = await createTestWorkspace(app, "Elsewhere");
    expect((await elsewhere.admin.client.get(`/api/v1/exports/${id}`)).statusCode).toBe(404);
  });

  it("writes no file for a member made agent after asking, and tells why", async () => {
    const started = await ws.manager.client.post("/api/v1/contacts/exports?columns=id");
    expect(started.statusCode).toBe(202);
    const { id } = started.json<ExportFile>();
    const demote = (role: string) => ws.admin.client.patch(`/api/v1/users/${ws.manager.userId}`, { role });
    expect((await demote("agent")).statusCode).toBe(200);
    try {
      await runSentJob(id);
    } finally {
      expect((await demote("manager")).statusCode).toBe(200);
    }
    const state = (await ws.admin.client.get(`/api/v1/exports/${id}`)).json<ExportFile>();
    expect(state).toMatchObject({ status: "failed", downloadUrl: null });
    expect(state.error).toMatch(/\(agent\) may no longer export/);
  });

  it("answers 404 once the link has expired, and the pruning job deletes the file", async () => {
    const started = await ws.admin.client.post("/api/v1/contacts/exports?columns=id");
    const { id } = started.json<ExportFile>();
    await runSentJob(id);
    const { db } = await testDatabase();
    await db.execute(
      sql`update export_files set expires_at = now() - interval '1 minute' where workspace_id = ${ws.id} and id = ${id}`,
    );
    const expired = await ws.admin.client.get(`/api/v1/exports/${id}/download`);
    expect(expired.statusCode).toBe(404);
    expect(expired.json<{ detail: string }>().detail).toMatch(/expired/);

    await runPruner();
    const left = (await db.execute(sql`
      select (select count(*)::int from export_files where id = ${id}) as files,
        (select count(*)::int from export_file_chunks where export_id = ${id}) as chunks`)) as unknown as {
      rows: { files: number; chunks: number }[];
    };
    expect(left.rows[0]).toEqual({ files: 0, chunks: 0 });
  });

  it("validates like GET /export before starting anything", async () => {
    const before = sent.length;
    const unknown = await ws.admin.client.post("/api/v1/contacts/exports?columns=salary");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ path: "columns", message: 'Unknown column "salary"' }]);
    const vcard = await ws.admin.client.post("/api/v1/deals/exports?format=vcf");
    expect(vcard.statusCode).toBe(400);
    expect((await ws.admin.client.get("/api/v1/exports/not-a-uuid")).statusCode).toBe(400);
    expect(sent.length).toBe(before);
  });

  it("audits the request, the export with its row count, and each download", async () => {
    const started = await ws.manager.client.post("/api/v1/contacts/exports?columns=id&filter[lifecycle]=customer");
    const { id } = started.json<ExportFile>();
    await runSentJob(id);
    await ws.manager.client.get(`/api/v1/exports/${id}/download`);
    const log = await ws.admin.client.get("/api/v1/audit-logs?limit=200");
    const entries = log
      .json<{ data: { action: string; actor: { id: string }; details: Record<string, unknown> }[] }>()
      .data.filter((entry) => entry.details?.exportId === id);
    expect(entries.map((entry) => entry.action).sort()).toEqual([
      "contact.export_downloaded",
      "contact.export_requested",
      "contact.exported",
    ]);
    const exported = entries.find((entry) => entry.action === "contact.exported");
    expect(exported?.details).toMatchObject({ rowCount: 400, complete: true, format: "csv" });
    expect(exported?.actor.id).toBe(ws.manager.userId);
  });
});

describe("an export job started with an API key", () => {
  /** Creates a key with these scopes, and starts a contacts export with it. */
  async function startWithKey(scopes: string[]): Promise<{ keyId: string; exportId: string }> {
    const created = await ws.admin.client.post("/api/v1/api-keys", { name: "Exporter", scopes });
    expect(created.statusCode, created.body).toBe(201);
    const { id: keyId, key } = created.json<{ id: string; key: string }>();
    const started = await app.inject({
      method: "POST",
      url: "/api/v1/contacts/exports?columns=id",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(started.statusCode, started.body).toBe(202);
    return { keyId, exportId: started.json<ExportFile>().id };
  }

  async function exportedEntries(exportId: string): Promise<number> {
    const { db } = await testDatabase();
    const result = (await db.execute(sql`select count(*)::int as count from audit_logs
      where workspace_id = ${ws.id} and action = 'contact.exported' and details->>'exportId' = ${exportId}`)) as unknown as {
      rows: { count: number }[];
    };
    return result.rows[0]?.count ?? 0;
  }

  it("runs while the key is live, with the key's scopes", async () => {
    const { exportId } = await startWithKey(["contacts:read"]);
    await runSentJob(exportId);
    const done = await ws.admin.client.get(`/api/v1/exports/${exportId}`);
    expect(done.json<ExportFile>()).toMatchObject({ status: "completed", rowsDone: 1200, error: null });
  });

  const changes = {
    revoked: {
      change: async (keyId: string) =>
        expect((await ws.admin.client.delete(`/api/v1/api-keys/${keyId}`)).statusCode).toBe(204),
      error: "The API key that asked for it has been revoked.",
    },
    expired: {
      change: async (keyId: string) => {
        const { db } = await testDatabase();
        await db.execute(sql`update api_keys set expires_at = now() - interval '1 minute' where id = ${keyId}`);
      },
      error: "The API key that asked for it has expired.",
    },
    "without the list's read scope": {
      change: async (keyId: string) => {
        const { db } = await testDatabase();
        await db.execute(sql`update api_keys set scopes = '{deals:write}' where id = ${keyId}`);
      },
      error: "The API key that asked for it no longer has the scope contacts:read.",
    },
  };

  it.each(Object.keys(changes) as (keyof typeof changes)[])(
    "fails, saying why, when the key is %s by the time the job runs",
    async (name) => {
      const { keyId, exportId } = await startWithKey(["contacts:read"]);
      await changes[name].change(keyId);
      await runSentJob(exportId);
      const failed = await ws.admin.client.get(`/api/v1/exports/${exportId}`);
      expect(failed.json<ExportFile>()).toMatchObject({
        status: "failed",
        rowsDone: 0,
        error: changes[name].error,
        downloadUrl: null,
      });
      expect((await ws.admin.client.get(`/api/v1/exports/${exportId}/download`)).statusCode).toBe(409);
      expect(await exportedEntries(exportId)).toBe(0);
    },
  );
});

describe("an export whose job stopped without saying so", () => {
  it("is marked failed by the pruning job once no attempt can still be running", async () => {
    const { db } = await testDatabase();
    const startedAt = (ago: number) => sql`now() - make_interval(secs => ${ago / 1000})`;
    const stuck = (await ws.admin.client.post("/api/v1/contacts/exports?columns=id")).json<ExportFile>();
    const live = (await ws.admin.client.post("/api/v1/contacts/exports?columns=id")).json<ExportFile>();
    // What a last attempt whose worker died leaves behind: running, started long ago.
    await db.execute(sql`update export_files set status = 'running', started_at = ${startedAt(abandonedAfterMs + 60_000)}
      where workspace_id = ${ws.id} and id = ${stuck.id}`);
    await db.execute(sql`update export_files set status = 'running', started_at = ${startedAt(abandonedAfterMs - 60_000)}
      where workspace_id = ${ws.id} and id = ${live.id}`);
    await runPruner();
    const failed = (await ws.admin.client.get(`/api/v1/exports/${stuck.id}`)).json<ExportFile>();
    expect(failed).toMatchObject({ status: "failed", downloadUrl: null });
    expect(failed.error).toMatch(/stopped before it finished.*start it again/);
    expect((await ws.admin.client.get(`/api/v1/exports/${live.id}`)).json<ExportFile>()).toMatchObject({
      status: "running",
      error: null,
    });
    // A retry still to come finds it settled and writes nothing.
    await runSentJob(stuck.id);
    expect((await ws.admin.client.get(`/api/v1/exports/${stuck.id}`)).json<ExportFile>().status).toBe("failed");
  });
});
