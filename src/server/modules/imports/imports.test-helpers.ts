import type { Member } from "../../test/create-test-app.ts";
import { testDatabase } from "../../test/create-test-app.ts";
import { dryRunSlice } from "./imports.dry-run.ts";
import { runImportSlice } from "./imports.run.ts";

/** A multipart/form-data body with the given fields, then the file. */
export function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer | string }) {
  const boundary = `----keel${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      Buffer.isBuffer(file.bytes) ? file.bytes : Buffer.from(file.bytes, "utf8"),
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads a file as a member. */
export function upload(member: Member, resource: string, name: string, bytes: Buffer | string) {
  const { body, headers } = multipart({ resource }, { name, bytes });
  return member.client.post("/api/v1/imports", body, headers);
}

/** Runs an import's job to its end, as a worker would (one long slice). */
export async function runToEnd(workspaceId: string, importId: string) {
  const { db } = await testDatabase();
  return runImportSlice(db, workspaceId, importId, 10 * 60_000);
}

/** Runs an import's dry-run job to its end, as a worker would (one long slice). */
export async function dryRunToEnd(workspaceId: string, importId: string) {
  const { db } = await testDatabase();
  return dryRunSlice(db, workspaceId, importId, 10 * 60_000);
}
