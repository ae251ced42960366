import type { Request } from "autocannon";
import { runHttp, type Measurement } from "./load.ts";
import { spawnKeel, type RunningKeel } from "./server.ts";

/**
 * One variant's figures, each the median of its rounds: p50 and p95 of requests sent one at a time
 * (the time a request takes, without queueing behind others), and throughput and p95 under load.
 */
export type VariantFigures = {
  p50: number;
  p95: number;
  loadedRps: number;
  loadedP95: number;
  rounds: { alone: Pick<Measurement, "p50" | "p95">; loaded: Pick<Measurement, "rps" | "p95"> }[];
};

/** Create or update, with and without the trail: what the trail adds to p95, and takes of throughput. */
export type TrailComparison = {
  with: VariantFigures;
  without: VariantFigures;
  p95Overhead: number;
  throughputCost: number;
};

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
    type Run = { alone: Measurement; loaded: Measurement };
    const runs = { create: { with: [], without: [] }, update: { with: [], without: [] } } as Record<
      "create" | "update",
      Record<"with" | "without", Run[]>
    >;
    const measure = async (server: RunningKeel, next: () => Request, seconds: number, connections: number) => {
      const headers = { ...options.headers, "content-type": "application/json" };
      const measured = await runHttp(
        { next: () => ({ ...next(), headers }) },
        { url: `http://127.0.0.1:${server.port}`, connections, duration: seconds, headers },
      );
      if (measured.failures > 0) throw new Error(`${measured.failures} failures ${JSON.stringify(measured.statuses)}`);
      return measured;
    };
    // Warm both up first (compiled code, open pool connections), the first round should not pay for it.
    for (const server of [shipped, bare]) {
      await measure(server, create, 2, options.connections);
      await measure(server, update, 2, options.connections);
    }
    // Requests one at a time first, every round, then under load: a loaded run leaves the "with"
    // Keel's background work (sealing the audit log, relaying events) behind it for a while, which
    // would otherwise land on the next requests measured one at a time.
    const turns = [
      ["with", shipped],
      ["without", bare],
    ] as const;
    const scenarios = [
      ["create", create],
      ["update", update],
    ] as const;
    const alone: Record<string, Measurement[]> = {};
    for (let round = 0; round < options.rounds; round++) {
      for (const [variant, server] of turns) {
        for (const [scenario, next] of scenarios) {
          (alone[`${scenario} ${variant}`] ??= []).push(await measure(server, next, options.seconds, 1));
        }
      }
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const [variant, server] of turns) {
        for (const [scenario, next] of scenarios) {
          const loaded = await measure(server, next, options.seconds, options.connections);
          runs[scenario][variant].push({ alone: alone[`${scenario} ${variant}`]![round]!, loaded });
        }
      }
    }
    const figures = (measured: Run[]): VariantFigures => ({
      p50: median(measured.map((m) => m.alone.p50)),
      p95: median(measured.map((m) => m.alone.p95)),
      loadedRps: median(measured.map((m) => m.loaded.rps)),
      loadedP95: median(measured.map((m) => m.loaded.p95)),
      rounds: measured.map(({ alone, loaded }) => ({
        alone: { p50: alone.p50, p95: alone.p95 },
        loaded: { rps: loaded.rps, p95: loaded.p95 },
      })),
    });
    const compare = (scenario: "create" | "update"): TrailComparison => {
      const withTrail = figures(runs[scenario].with);
      const without = figures(runs[scenario].without);
      return {
        with: withTrail,
        without,
        p95Overhead: Math.round((withTrail.p95 / without.p95 - 1) * 1000) / 1000,
        throughputCost: Math.round((1 - withTrail.loadedRps / without.loadedRps) * 1000) / 1000,
      };
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
