/**
 * The server project's global setup: on embedded PGlite (no TEST_DATABASE_URL), the migrated
 * database every test file copies (pglite-template.ts), made again before a watch rerun when the
 * migrations changed. When it cannot be made (a broken migration), the files start from empty
 * databases as before and each reports the migration's error itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrationsFingerprint, writePgliteTemplate, type PgliteTemplate } from "./pglite-template.ts";

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  // eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteTemplate", null);
    return undefined;
  }
  const folder = mkdtempSync(join(tmpdir(), "keel-test-db-"));
  const file = join(folder, "migrated.tar.gz");
  const write = async (): Promise<PgliteTemplate | null> => {
    const started = Date.now();
    try {
      const template = await writePgliteTemplate(file);
      console.log(`Server tests: migrated embedded database ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return template;
    } catch (error) {
      console.error(`Server tests: no migrated embedded database to copy (${String(error)})`);
      return null;
    }
  };
  let template = await write();
  project.provide("pgliteTemplate", template);
  project.onTestsRerun(async () => {
    if (template && template.migrations === migrationsFingerprint()) return;
    template = await write();
    project.provide("pgliteTemplate", template);
  });
  return () => rmSync(folder, { recursive: true, force: true });
}
