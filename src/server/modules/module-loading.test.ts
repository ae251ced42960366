/**
 * Every repository loads when it is the first module a process imports, as the benchmarks and
 * scripts import them: an import cycle through a module's barrel (index.ts) can read a binding
 * before it is initialized, which the app's own import order hides.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const modulesDir = fileURLToPath(new URL(".", import.meta.url));
const repositories = readdirSync(modulesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) =>
    readdirSync(join(modulesDir, folder.name))
      .filter((file) => file.endsWith(".repository.ts"))
      .map((file) => join(folder.name, file)),
  );

/** Imports `file` in a fresh Node process (with tsx, as the scripts run); rejects with its stderr. */
async function importAlone(file: string): Promise<void> {
  const url = pathToFileURL(join(modulesDir, file)).href;
  await run(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", `await import(${JSON.stringify(url)});`],
    {
      timeout: 60_000,
    },
  );
}

describe("module loading", () => {
  it("finds the repositories", () => {
    expect(repositories.length).toBeGreaterThanOrEqual(10);
  });

  it("loads every repository as the first module of a process", { timeout: 180_000 }, async () => {
    const failures: string[] = [];
    const queue = [...repositories];
    // A few at a time: each is a Node process compiling its module graph.
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        await importAlone(file).catch((error: { stderr?: string }) =>
          failures.push(`${file}: ${(error.stderr ?? String(error)).split("\n").find((line) => /Error/.test(line))}`),
        );
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(failures).toEqual([]);
  });
});
