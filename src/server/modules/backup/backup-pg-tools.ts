import { spawn } from "node:child_process";
import { dirname, join } from "node:path";

/** Where pg_dump and pg_restore are: PG_DUMP_PATH / PG_RESTORE_PATH, else on PATH. */
export type ToolPaths = { pgDump: string; pgRestore: string };

export function toolPaths(env: Record<string, string | undefined>): ToolPaths {
  const pgDump = env.PG_DUMP_PATH || "pg_dump";
  // A pg_dump given by path has its pg_restore beside it (both come with the PostgreSQL client).
  const pgRestore =
    env.PG_RESTORE_PATH || (env.PG_DUMP_PATH ? join(dirname(env.PG_DUMP_PATH), "pg_restore") : "pg_restore");
  return { pgDump, pgRestore };
}

export class ToolMissingError extends Error {
  constructor(tool: string, path: string) {
    const where = path === tool ? "on PATH" : `at ${path}`;
    const variable = tool === "pg_dump" ? "PG_DUMP_PATH" : "PG_RESTORE_PATH";
    super(
      `${tool} was not found ${where}: install the PostgreSQL client (apt-get install postgresql-client, ` +
        `brew install libpq, or the PostgreSQL installer on Windows) of the server's major version or later, ` +
        `or set ${variable} to its path.`,
    );
  }
}

/** The connection a tool gets: the URL without its password (arguments show in `ps`), the password in PGPASSWORD. */
export function connectionFor(url: string): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Removes a URL's password from a message, whatever a tool printed. */
export function redact(text: string, url: string): string {
  const password = decodeURIComponent(new URL(url).password);
  return password ? text.replaceAll(password, "***") : text;
}

/** Runs a tool; rejects with its (redacted) error output when it fails, or ToolMissingError. */
export function runTool(tool: string, path: string, args: string[], options: { url?: string } = {}): Promise<string> {
  const connection = options.url ? connectionFor(options.url) : { dbname: "", env: {} };
  const fullArgs = options.url ? [...args, "--dbname", connection.dbname] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(path, fullArgs, {
      // eslint-disable-next-line n/no-process-env -- the tool needs PATH, locale and the PG* settings the operator set
      env: { ...process.env, ...connection.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT" || error.code === "EACCES" ? new ToolMissingError(tool, path) : error);
    });
    child.on("close", (code) => {
      if (code === 0) return resolve(stdout);
      const output = options.url ? redact(stderr.trim(), options.url) : stderr.trim();
      reject(new Error(`${tool} failed (exit code ${code}):\n${output}`));
    });
  });
}

/** A tool's version ("15.20") and major version (15), from `--version`. */
export async function toolVersion(tool: string, path: string): Promise<{ version: string; major: number }> {
  const output = await runTool(tool, path, ["--version"]);
  const match = /(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) throw new Error(`Could not read the version of ${tool} from "${output.trim()}"`);
  return { version: match[0], major: Number(match[1]) };
}

/** pg_dump refuses a server newer than itself: say so in words, with what to install. */
export function checkDumpVersion(pgDump: { version: string; major: number }, serverMajor: number): void {
  if (pgDump.major >= serverMajor) return;
  throw new Error(
    `pg_dump ${pgDump.version} cannot back up a PostgreSQL ${serverMajor} server: pg_dump must be of the ` +
      `server's major version or later. Install the PostgreSQL ${serverMajor} client ` +
      `(apt-get install postgresql-client-${serverMajor}) and put it first on PATH or set PG_DUMP_PATH to it.`,
  );
}

/** pg_restore reads archives of its own major version and older only. */
export function checkRestoreVersion(pgRestore: { version: string; major: number }, dumpVersion: string): void {
  const dumpMajor = Number(/^\d+/.exec(dumpVersion)?.[0] ?? 0);
  if (pgRestore.major >= dumpMajor) return;
  throw new Error(
    `pg_restore ${pgRestore.version} cannot read this backup, made by pg_dump ${dumpVersion}. Install the ` +
      `PostgreSQL ${dumpMajor} client (apt-get install postgresql-client-${dumpMajor}) or later and put it ` +
      "first on PATH or set PG_RESTORE_PATH to it.",
  );
}
