import type { Request } from "autocannon";
import { runHttp, type Measurement } from "./load.ts";
import { spawnKeel, type RunningKeel } from "./server.ts";

/** One variant's figures: the median of its rounds' p95 and throughput. */
export type VariantFigures = { p95: number; rps: number; rounds: Pick<Measurement, "rps" | "p95" | "failures">[] };

/** Create or update, with and without the trail, and how much the trail adds to p95. */
export type TrailComparison = { with: VariantFigures; without: VariantFigures; p95Overhead: number };

export type TrailCost = {
  connections: number;
  seconds: number;
  rounds: number;
  create: TrailComparison;
  update: TrailComparison;
};

type Options = {
  databaseUrl: string;
  /** A signed-in session and its workspace: both servers share the database, so the session too. */
  headers: Record<string, string>;
  /** Contacts to update, rotated over. */
  updateIds: readonly string[];
  connections: number;
  seconds: number;
  rounds: number;
};

/**
 * What the trail of a change (its audit entry and its events, written in its transaction) costs
 * a create and an update: two Keels on the same database, one as shipped and one whose audit and
 * outbox inserts are never sent (KEEL_BENCH_TRAIL=off, bench/server.ts), measured in turns — with,
 * without, with, without … — so that both see the same machine and the same database size.
 */
export async function measureTrailCost(options: Options): Promise<TrailCost> {
  // Plain-HTTP cookies, as the session the caller signed in with (`keel_session`).
  const env = { ...process.env, DATABASE_URL: options.databaseUrl, COOKIE_SECURE: "false" };
  const shipped = await spawnKeel(env);
  const bare = await spawnKeel({ ...env, KEEL_BENCH_TRAIL: "off" });
  try {
    const tag = Date.now().toString(36);
    let created = 0;
    let updated = 0;
    const create = () => ({
      method: "POST" as const,
      path: "/api/v1/contacts",
      body: JSON.stringify({
        firstName: "Bench",
        lastName: `Trail ${created}`,
        email: `trail-${tag}-${created++}@example.com`,
        jobTitle: "Load tester",
        tags: ["bench-created"],
      }),
    });
    const update = () => ({
      method: "PATCH" as const,
      path: `/api/v1/contacts/${options.updateIds[updated % options.updateIds.length]}`,
      body: JSON.stringify({ jobTitle: `Buyer ${updated++}` }),
    });
    const runs = { create: { with: [], without: [] }, update: { with: [], without: [] } } as Record<
      "create" | "update",
      Record<"with" | "without", Measurement[]>
    >;
    const measure = (server: RunningKeel, next: () => Request, seconds: number) => {
      const headers = { ...options.headers, "content-type": "application/json" };
      return runHttp(
        { next: () => ({ ...next(), headers }) },
        { url: `http://127.0.0.1:${server.port}`, connections: options.connections, duration: seconds, headers },
      );
    };
    // Warm both up first (compiled code, open pool connections), the first round should not pay for it.
    for (const server of [shipped, bare]) {
      await measure(server, create, 2);
      await measure(server, update, 2);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const [variant, server] of [
        ["with", shipped],
        ["without", bare],
      ] as const) {
        for (const [scenario, next] of [
          ["create", create],
          ["update", update],
        ] as const) {
          const measured = await measure(server, next, options.seconds);
          if (measured.failures > 0) {
            throw new Error(
              `${scenario} ${variant} the trail: ${measured.failures} failures ${JSON.stringify(measured.statuses)}`,
            );
          }
          runs[scenario][variant].push(measured);
        }
      }
    }
    const figures = (measured: Measurement[]): VariantFigures => ({
      p95: median(measured.map((m) => m.p95)),
      rps: median(measured.map((m) => m.rps)),
      rounds: measured.map(({ rps, p95, failures }) => ({ rps, p95, failures })),
    });
    const compare = (scenario: "create" | "update"): TrailComparison => {
      const withTrail = figures(runs[scenario].with);
      const without = figures(runs[scenario].without);
      return { with: withTrail, without, p95Overhead: Math.round((withTrail.p95 / without.p95 - 1) * 1000) / 1000 };
    };
    return {
      connections: options.connections,
      seconds: options.seconds,
      rounds: options.rounds,
      create: compare("create"),
      update: compare("update"),
    };
  } finally {
    await shipped.stop();
    await bare.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(value * 100) / 100;
}
