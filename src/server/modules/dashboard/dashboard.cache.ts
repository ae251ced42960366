import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { openRedis } from "../../http/redis.ts";
import type { Dashboard, DashboardQuery } from "../../../shared/schemas/dashboard.ts";
import { createCache, type Cache } from "../../lib/cache.ts";
import type { Period } from "./dashboard.repository.ts";

/**
 * Where the dashboard's figures are kept between requests. Two caches, because the figures are of
 * two kinds: the workspace's (the same for every member who reads every record; per agent when the
 * workspace limits agents to their own records, see figuresKey) and the
 * caller's own task counts (`tasks.mine`), kept per user. Both are keyed by the workspace's change
 * marker (see queryChangeMarker), so any change to the workspace's records or settings, made by
 * any process, gives the next request new keys: nothing is ever invalidated, stale entries are
 * simply no longer asked for and expire. (The one case where a change commits without moving the
 * marker is caught by the transactions an entry keeps as `pending`.) What the clock alone changes (overdue tasks, due today,
 * a period that ends now) is bounded by the time to live.
 */

/** The workspace's figures: the whole dashboard but the caller's own task counts. */
export type WorkspaceFigures = Omit<Dashboard, "tasks"> & { tasks: Omit<Dashboard["tasks"], "mine"> };
/** The caller's own open, due today and overdue tasks. */
export type TaskCounts = Dashboard["tasks"]["mine"];

/**
 * A part of the dashboard as kept: read in a snapshot where the transactions `pending` were still
 * running (see queryChangeMarker); it may be served while none of them wrote an event of the workspace.
 */
export type Kept<T> = { value: T; pending: string[] };

export type DashboardCaches = { figures: Cache<Kept<WorkspaceFigures>>; mine: Cache<Kept<TaskCounts>> };

/** How long figures may be served: what turns overdue or leaves the period by the clock shows within this. */
export const dashboardCacheTtlMs = 30_000;

/** The fields of the figures that hold instants: JSON turns them into text, they come back as Dates. */
const instantFields = new Set(["from", "to", "start", "createdAt", "updatedAt"]);
const reviveInstants = (key: string, value: unknown) =>
  typeof value === "string" && instantFields.has(key) ? new Date(value) : value;

/** The dashboard's caches, shared with other processes through `redis` when given. */
export function createDashboardCaches(redis: Redis | null): DashboardCaches {
  const shared = { ttlMs: dashboardCacheTtlMs, redis };
  return {
    figures: createCache<Kept<WorkspaceFigures>>({
      ...shared,
      name: "dashboard",
      // A few periods and pipelines per workspace.
      maxEntries: 2_000,
      decode: (text) => JSON.parse(text, reviveInstants) as Kept<WorkspaceFigures>,
    }),
    mine: createCache<Kept<TaskCounts>>({ ...shared, name: "dashboard_mine", maxEntries: 10_000 }),
  };
}

/**
 * The shape of what is kept: a version of Keel whose dashboard differs bumps it, so that during a
 * rolling deploy no process reads the other version's figures from Redis. (v2: totals mark estimates.)
 */
const shapeVersion = "v2";

/**
 * The key of a workspace's figures: its change marker, whose records they sum up and everything
 * the request chose. `reader` is null for figures of every record (shared by every role that reads
 * them all), else the agent whose own records alone they count (lib/access.ts readerOf): an agent
 * limited to their own records never gets another's figures, nor the workspace's. A period ending
 * now is named by its range, not by its instants, so that requests a moment apart share the
 * figures (the time to live bounds how far "now" may have moved).
 */
export function figuresKey(
  workspaceId: string,
  marker: string,
  query: DashboardQuery,
  period: Period,
  reader: string | null,
): string {
  const from = query.from ? period.from : `last ${query.range ?? "90d"}`;
  const to = query.to ? period.to : "now";
  const seen = reader === null ? "all" : `own:${reader}`;
  const parts = [workspaceId, marker, seen, from, to, period.bucket, period.timeZone, query.pipelineId ?? "default"];
  return [shapeVersion, ...parts].join("|");
}

/** The key of a user's own task counts in a workspace: "today" is the time zone's. */
export function mineKey(workspaceId: string, marker: string, userId: string, timeZone: string): string {
  return [shapeVersion, workspaceId, marker, userId, timeZone].join("|");
}

/**
 * The dashboard's Redis client (REDIS_URL): 200 ms without an answer and the figures are computed.
 */
export function openCacheRedis(app: FastifyInstance, url: string): Promise<Redis> {
  return openRedis(app, url, {
    commandTimeoutMs: 200,
    whenDown: "Redis unreachable: the dashboard is computed each time",
    whenBack: "Redis is back: dashboard figures are shared again",
  });
}
