import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { idleMemoryOfServe } from "./keel-serve.ts";

/**
 * `[DATABASE_URL=…] tsx bench/idle-memory.ts [--runs 3]`: the resident memory of `keel serve` as
 * `npm start` runs it, 10 s after start with no request, started `--runs` times (on
 * DATABASE_URL, or an embedded database in a temporary folder). `npm run bench` measures the same
 * once, on its benchmark database.
 */
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
for (let run = 1; run <= Number(values.runs); run++) {
  const work = await mkdtemp(join(os.tmpdir(), "keel-idle-"));
  try {
    const memory = await idleMemoryOfServe(process.env.DATABASE_URL, work);
    console.log(`run ${run}: ${memory ? `${memory.rssMib} MiB resident` : "no /proc: not measured"}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
