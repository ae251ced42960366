import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A small cache of computed values: in this process, and in Redis too when a client is given, so
 * that several processes share what one of them computed. It never decides freshness itself:
 * callers put whatever makes a value stale into its key (a change marker, the parameters) and
 * bound what the clock makes stale with the time to live. Redis is a help, never a dependency:
 * a failed or slow Redis answer counts as a miss (the caller computes), and a failed write is
 * dropped.
 */

/** What one cache has answered since the process started (for /metrics). */
export type CacheCounters = { hits: number; misses: number; redisErrors: number };

const countersByName = new Map<string, CacheCounters>();

/** Every cache's counters by name, as numbers at the time of the call. */
export function cacheCounters(): Record<string, CacheCounters> {
  return Object.fromEntries([...countersByName].map(([name, counters]) => [name, { ...counters }]));
}

function countersOf(name: string): CacheCounters {
  let counters = countersByName.get(name);
  if (!counters) {
    counters = { hits: 0, misses: 0, redisErrors: 0 };
    countersByName.set(name, counters);
  }
  return counters;
}

export type CacheOptions<T> = {
  /** Names the counters and the cache's Redis keys. */
  name: string;
  /** How long a value may be served after it was stored. */
  ttlMs: number;
  /** Values kept in this process; the oldest stored goes first. */
  maxEntries?: number;
  /** Shares values with other processes; null or absent: this process only. */
  redis?: Redis | null;
  /** How a value travels through Redis (JSON by default; `decode` must restore what JSON loses). */
  encode?: (value: T) => string;
  decode?: (text: string) => T;
  /** Told about each Redis failure (the value is computed anyway). */
  onRedisError?: (error: unknown) => void;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
};

/** A cache of values of type T by string key. Values are shared: callers must not change them. */
export type Cache<T> = {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
};

type Entry<T> = { value: T; expiresAt: number };

/** Redis keys hold a digest of the key: no ids or parameters in clear, and a bounded length. */
export function redisKeyOf(name: string, key: string): string {
  return `keel:cache:${name}:${createHash("sha256").update(key).digest("base64url").slice(0, 32)}`;
}

export function createCache<T>(options: CacheOptions<T>): Cache<T> {
  const { name, ttlMs, maxEntries = 1_000, redis = null } = options;
  const now = options.now ?? Date.now;
  const encode = options.encode ?? JSON.stringify;
  const decode = options.decode ?? ((text: string) => JSON.parse(text) as T);
  const counters = countersOf(name);
  const local = new Map<string, Entry<T>>();

  const keep = (key: string, entry: Entry<T>) => {
    local.delete(key);
    local.set(key, entry);
    // Maps iterate in insertion order: the first key is the one stored longest ago, and with one
    // time to live the first to expire. Expired entries go at once, not only when asked for again:
    // keys change with every change of what they depend on, so most are never asked for again.
    for (const [oldest, { expiresAt }] of local) {
      if (local.size <= maxEntries && expiresAt > now()) break;
      local.delete(oldest);
    }
  };
  const failed = (error: unknown) => {
    counters.redisErrors += 1;
    options.onRedisError?.(error);
  };

  async function fromRedis(key: string): Promise<Entry<T> | undefined> {
    if (!redis) return undefined;
    try {
      const text = await redis.get(redisKeyOf(name, key));
      if (text === null) return undefined;
      // The expiry travels with the value, so a copy kept here never outlives the shared one.
      const { expiresAt, value } = JSON.parse(text) as { expiresAt: number; value: string };
      return expiresAt > now() ? { expiresAt, value: decode(value) } : undefined;
    } catch (error) {
      failed(error);
      return undefined;
    }
  }

  return {
    async get(key) {
      const entry = local.get(key);
      if (entry && entry.expiresAt > now()) {
        counters.hits += 1;
        return entry.value;
      }
      if (entry) local.delete(key);
      const shared = await fromRedis(key);
      if (shared) {
        keep(key, shared);
        counters.hits += 1;
        return shared.value;
      }
      counters.misses += 1;
      return undefined;
    },

    async set(key, value) {
      const expiresAt = now() + ttlMs;
      keep(key, { value, expiresAt });
      if (!redis) return;
      try {
        await redis.set(redisKeyOf(name, key), JSON.stringify({ expiresAt, value: encode(value) }), "PX", ttlMs);
      } catch (error) {
        failed(error);
      }
    },
  };
}
