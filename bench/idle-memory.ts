import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { withSection } from "./doc-sections.ts";
import { idleMemoryOfServe, startCommand } from "./keel-serve.ts";

/**
 * `[DATABASE_URL=…] tsx bench/idle-memory.ts [--runs 3]`: the resident memory of `keel serve` as
 * `npm start` runs it, 10 s after start with no request, started `--runs` times (on
 * DATABASE_URL, or an embedded database in a temporary folder). Writes the "idle-memory" section
 * of docs/benchmarks.md. `npm run bench` measures the same once, on its benchmark database.
 */

const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const targetMib = 150;

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const databaseUrl = process.env.DATABASE_URL;
const figures: number[] = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const work = await mkdtemp(join(os.tmpdir(), "keel-idle-"));
  try {
    const memory = await idleMemoryOfServe(databaseUrl, work);
    if (!memory) throw new Error("no /proc: memory cannot be read on this system");
    console.log(`run ${run}: ${memory.rssMib} MiB resident`);
    figures.push(memory.rssMib);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
const worst = Math.max(...figures);
const section = [
  "## Memory at rest",
  "",
  `\`${databaseUrl ? "DATABASE_URL=… " : ""}tsx bench/idle-memory.ts --runs ${figures.length}\` on ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}, ${new Date().toISOString().slice(0, 10)};`,
  `${os.cpus().length} cores, Node ${process.version}, load average ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" / ")}.`,
  "",
  `\`keel serve\` as \`npm start\` runs it (\`${startCommand}\`), 10 s after start`,
  `with no request: **${figures.join(" / ")} MiB** resident (VmRSS), target ≤ ${targetMib} MiB: ${worst <= targetMib ? "pass" : "miss"}.`,
  "Under tsx (`npm run dev`, `npm run keel`) the same server holds about 50 MiB more: its loader.",
  ...(databaseUrl ? [] : ["On the embedded database most of it is PGlite's WebAssembly memory."]),
].join("\n");
const doc = await readFile(docFile, "utf8").catch(() => "# Benchmarks\n");
await writeFile(docFile, withSection(doc, "idle-memory", section));
