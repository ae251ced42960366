import { basename } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds each browser journey file took in a CI run (two shards beside the PostgreSQL step), from
 * its JSON report (`endTime - startTime` per file). A file not listed counts as the median. Refresh
 * when the shards' durations drift apart (CI prints each shard's duration).
 */
const secondsByFile: Record<string, number> = {
  "account-admin": 107,
  "api-keys": 50,
  "audit-log": 35,
  bulk: 26,
  "command-palette": 9,
  conflict: 19,
  contacts: 43,
  "deal-board": 20,
  export: 7,
  imports: 18,
  integrations: 28,
  invitations: 65,
  "lead-contacts": 12,
  "lead-convert": 5,
  "list-sorting": 24,
  lists: 63,
  "live-updates": 46,
  locale: 36,
  merge: 12,
  pages: 178,
  "password-reset": 28,
  permissions: 22,
  "pipelines-settings": 19,
  "record-picker": 29,
  "saved-views": 9,
  "session-expiry": 18,
  "sign-in": 46,
  "sign-up": 24,
  sso: 47,
  tasks: 27,
  "two-factor": 47,
  "workspace-settings": 43,
};

const sorted = Object.values(secondsByFile).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 1;

/** The seconds a file is expected to take. */
export function expectedSeconds(file: string): number {
  return secondsByFile[basename(file, ".test.ts")] ?? median;
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

/** Vitest's sequencer with shards balanced by expected time (`--shard=i/n`, as CI runs the journeys). */
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
}
