/**
 * The server projects' global setup: on embedded PGlite (no TEST_DATABASE_URL), the migrated
 * database every test worker copies (pglite-template.ts), made again before a watch rerun when the
 * migrations changed. When it cannot be made (a broken migration), the workers start from empty
 * databases as before and their files report the migration's error themselves.
 *
 * Both server projects (vitest.config.ts) run this setup: they share one template per version of
 * the migrations, made by the first, and the folder goes when the last one tears down.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrationsFingerprint, writePgliteTemplate, type PgliteTemplate } from "./pglite-template.ts";

type Templates = { folder: string; byMigrations: Map<string, Promise<PgliteTemplate | null>>; projects: number };

// Vitest loads a global setup once per project, each copy with its own module state: the copies
// meet on a global of the main process.
const shared = Symbol.for("keel.test.pgliteTemplates");

function templates(): Templates {
  const holder = globalThis as typeof globalThis & { [shared]?: Templates };
  return (holder[shared] ??= {
    folder: mkdtempSync(join(tmpdir(), "keel-test-db-")),
    byMigrations: new Map(),
    projects: 0,
  });
}

/** The template of the migrations as they are now, made on first request. */
function currentTemplate(): Promise<PgliteTemplate | null> {
  const { folder, byMigrations } = templates();
  const migrations = migrationsFingerprint();
  let template = byMigrations.get(migrations);
  if (!template) {
    template = write(join(folder, `migrated-${migrations.slice(0, 16)}.tar.gz`));
    byMigrations.set(migrations, template);
    // A template that could not be made is tried again at the next request (a watch rerun).
    void template.then((made) => made ?? byMigrations.delete(migrations));
  }
  return template;
}

async function write(file: string): Promise<PgliteTemplate | null> {
  const started = Date.now();
  try {
    const template = await writePgliteTemplate(file);
    console.log(`Server tests: migrated embedded database ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return template;
  } catch (error) {
    console.error(`Server tests: no migrated embedded database to copy (${String(error)})`);
    return null;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  // eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteTemplate", null);
    return undefined;
  }
  const state = templates();
  state.projects++;
  project.provide("pgliteTemplate", await currentTemplate());
  project.onTestsRerun(async () => project.provide("pgliteTemplate", await currentTemplate()));
  return () => {
    if (--state.projects > 0) return;
    rmSync(state.folder, { recursive: true, force: true });
    delete (globalThis as typeof globalThis & { [shared]?: Templates })[shared];
  };
}
