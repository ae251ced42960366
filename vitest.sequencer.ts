import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds a test file took in a CI run, from its JSON report (`endTime - startTime` per file):
 * every browser journey (two shards beside the fault tests), and the server files that take
 * longest (on PGlite or on PostgreSQL, whichever is longer). Refresh when the shards' durations
 * drift apart, or a new file takes long.
 */
const secondsByFile: Record<string, number> = {
  "e2e/account-admin.test.ts": 82,
  "e2e/activities.test.ts": 6,
  "e2e/api-keys.test.ts": 35,
  "e2e/audit-log.test.ts": 18,
  "e2e/bulk.test.ts": 26,
  "e2e/command-palette.test.ts": 8,
  "e2e/conflict.test.ts": 15,
  "e2e/contacts.test.ts": 38,
  "e2e/deal-board.test.ts": 5,
  "e2e/export.test.ts": 3,
  "e2e/imports.test.ts": 16,
  "e2e/integrations.test.ts": 24,
  "e2e/invitations.test.ts": 60,
  "e2e/lead-contacts.test.ts": 10,
  "e2e/lead-convert.test.ts": 8,
  "e2e/list-sorting.test.ts": 10,
  "e2e/lists.test.ts": 50,
  "e2e/live-updates.test.ts": 36,
  "e2e/locale.test.ts": 20,
  "e2e/merge.test.ts": 13,
  "e2e/page-loading.test.ts": 5,
  "e2e/pages.test.ts": 300,
  "e2e/password-reset.test.ts": 14,
  "e2e/permissions.test.ts": 23,
  "e2e/pipelines-settings.test.ts": 15,
  "e2e/record-picker.test.ts": 21,
  "e2e/saved-views.test.ts": 7,
  "e2e/session-expiry.test.ts": 7,
  "e2e/sign-in.test.ts": 51,
  "e2e/sign-up.test.ts": 9,
  "e2e/sso.test.ts": 16,
  "e2e/tasks.test.ts": 19,
  "e2e/two-factor.test.ts": 36,
  "e2e/workspace-settings.test.ts": 35,
  "src/server/http/api.fuzz.test.ts": 119,
  "src/server/modules/backup/backup-postgres.test.ts": 94,
  "src/server/cli/backup.test.ts": 84,
  "src/server/cli/serve.test.ts": 59,
  "src/server/modules/imports/imports.run.test.ts": 56,
  "src/server/cli/cli.test.ts": 47,
  "src/server/modules/webhooks/webhooks.delivery.test.ts": 44,
  "src/server/cli/cluster.test.ts": 40,
  "src/server/http/rate-limit.routes.test.ts": 32,
  "src/server/modules/audit/audit.completeness.test.ts": 31,
  "src/server/http/hardening.routes.test.ts": 31,
  "src/server/modules/module-loading.test.ts": 27,
  "src/server/modules/sso/sso.routes.test.ts": 26,
  "src/server/db/data-dir-lock.test.ts": 23,
  "src/server/modules/auth/account.routes.test.ts": 22,
  "src/server/db/sorting.routes.test.ts": 20,
  "src/server/jobs/workers.test.ts": 20,
  "src/server/modules/seed/demo.seed.test.ts": 19,
  "src/server/http/openapi.test.ts": 18,
  "src/server/modules/auth/two-factor.routes.test.ts": 16,
  "src/server/cli/worker.test.ts": 15,
};

const root = dirname(fileURLToPath(import.meta.url));
const journeySeconds = Object.entries(secondsByFile)
  .filter(([file]) => file.startsWith("e2e/"))
  .map(([, seconds]) => seconds)
  .sort((a, b) => a - b);
const medianJourney = journeySeconds[Math.floor(journeySeconds.length / 2)] ?? 1;

/**
 * The export-import round trip takes about 0.75 ms per contact (0.5 alone on PostgreSQL, 1 on
 * PGlite): 2,000 contacts by default, as many as KEEL_ROUND_TRIP_CONTACTS says otherwise (CI sends
 * 200,000 on PostgreSQL, in a process of its own), when it is the longest file.
 */
const roundTripFile = "src/server/modules/imports/imports.round-trip.test.ts";
// eslint-disable-next-line n/no-process-env -- the round trip's size is chosen per run
const { KEEL_ROUND_TRIP_CONTACTS } = process.env;

/**
 * The seconds a file is expected to take: from the table, else a browser journey's median (a new
 * journey), else 0 (a server file too short to list).
 */
export function expectedSeconds(file: string, roundTripContacts = Number(KEEL_ROUND_TRIP_CONTACTS ?? 2_000)): number {
  const path = relative(root, file);
  if (path === roundTripFile) return roundTripContacts * 0.000_75;
  return secondsByFile[path] ?? (path.startsWith("e2e/") ? medianJourney : 0);
}

/**
 * Splits files into `count` shards of about equal expected time (the longest file first, each
 * into the shard with the least so far; ties by path, so every shard process computes the same
 * split), and returns shard `index` (1-based). Vitest's own split takes equal numbers of files:
 * the journeys differ tenfold in length, and its two shards took 504 s and 750 s.
 */
export function balancedShard(files: readonly string[], index: number, count: number): string[] {
  const shards = Array.from({ length: count }, () => ({ seconds: 0, files: [] as string[] }));
  const longestFirst = [...files].sort((a, b) => expectedSeconds(b) - expectedSeconds(a) || a.localeCompare(b));
  for (const file of longestFirst) {
    const lightest = shards.reduce((least, shard) => (shard.seconds < least.seconds ? shard : least));
    lightest.seconds += expectedSeconds(file);
    lightest.files.push(file);
  }
  return shards[index - 1]?.files ?? [];
}

/**
 * Vitest's sequencer, with two changes for a run without its cache of durations (CI's fresh
 * clone): `--shard=i/n` splits by expected time (as CI runs the journeys), and within a project
 * the longest files start first, so that no long file starts last and keeps one worker busy
 * while the others idle (the order is otherwise Vitest's: unknown files by size).
 */
export class BalancedSequencer extends BaseSequencer {
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { index, count } = this.ctx.config.shard ?? { index: 1, count: 1 };
    const chosen = new Set(
      balancedShard(
        files.map((spec) => spec.moduleId),
        index,
        count,
      ),
    );
    return files.filter((spec) => chosen.has(spec.moduleId));
  }

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const position = new Map(ordered.map((spec, at) => [spec, at]));
    const projectAt = new Map<string, number>();
    for (const spec of ordered) if (!projectAt.has(spec.project.name)) projectAt.set(spec.project.name, projectAt.size);
    const rank = (spec: TestSpecification) => projectAt.get(spec.project.name) ?? 0;
    return [...ordered].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        expectedSeconds(b.moduleId) - expectedSeconds(a.moduleId) ||
        (position.get(a) ?? 0) - (position.get(b) ?? 0),
    );
  }
}
