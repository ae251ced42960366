import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureRequest, type CapturedStatement } from "./capture.ts";
import { sqlLiteral } from "./pgbench.ts";
import { spawnKeel } from "./server.ts";

/** PostgreSQL alone sending a streamed export's statements, or why it was not measured. */
export type StreamFloor =
  { rowsPerSecond: number; secondsPerRun: number[]; statements: number; copies: number } | { skipped: string };

/**
 * What PostgreSQL alone needs to send what a streamed export sends: the statements Keel sent for
 * one `GET <exportPath>` (membership, and per page BEGIN, the workspace settings, the page's COPY
 * and COMMIT; captured from a Keel started for the purpose, as the request scenarios' pgbench
 * baseline is), replayed in order by psql, which writes each COPY's rows to nowhere. psql is
 * PostgreSQL's own client, in C: its time is the database's work plus the cheapest possible
 * client, the ceiling any server sending these pages can approach on this machine. (pgbench
 * cannot run a COPY.) `runs` runs; the fastest counts, as caches only warm.
 */
export async function measureStreamFloor(
  databaseUrl: string,
  cookie: string,
  exportPath: string,
  rows: number,
  runs = 3,
): Promise<StreamFloor> {
  if (!(await psqlAvailable())) return { skipped: "psql is not on PATH" };
  const folder = await mkdtemp(join(tmpdir(), "keel-exports-floor-"));
  try {
    const keel = await spawnKeel({ ...process.env, KEEL_BENCH_CAPTURE: folder, RATE_LIMIT_EXPORT_PER_MINUTE: "0" });
    let statements: CapturedStatement[];
    try {
      const base = `http://127.0.0.1:${keel.port}`;
      ({ statements } = await captureRequest(base, folder, "stream_export", {
        method: "GET",
        path: exportPath,
        headers: { cookie },
      }));
    } finally {
      await keel.stop();
    }
    const script = join(folder, "export.sql");
    await writeFile(script, psqlScript(statements));
    const secondsPerRun: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await runPsql(databaseUrl, script);
      secondsPerRun.push(Math.round(performance.now() - started) / 1000);
    }
    return {
      rowsPerSecond: Math.round(rows / Math.min(...secondsPerRun)),
      secondsPerRun,
      statements: statements.length,
      copies: statements.filter(({ text }) => /^\s*copy\b/i.test(text)).length,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The statements as one psql script, parameters written in as literals. */
export function psqlScript(statements: CapturedStatement[]): string {
  const lines = statements.map(({ text, params }) => {
    const written = text.trim().replace(/\$(\d+)/g, (_, n: string) => {
      const value = params[Number(n) - 1];
      return value === null || value === undefined ? "NULL" : sqlLiteral(value);
    });
    return `${written.replace(/;$/, "")};`;
  });
  return `\\set ON_ERROR_STOP on\n${lines.join("\n")}\n`;
}

function psqlAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("psql", ["--version"], { stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("exit", (code) => resolve(code === 0));
  });
}

/** psql running `script` quietly, every COPY's rows written to /dev/null. */
function runPsql(databaseUrl: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", ["-X", "-q", "-o", "/dev/null", "-f", script, databaseUrl], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 && errors === "" ? resolve() : reject(new Error(`psql exited with ${code}: ${errors.slice(0, 500)}`)),
    );
  });
}
