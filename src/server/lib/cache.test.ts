import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../test/ports.ts";
import { cacheCounters, createCache, redisKeyOf } from "./cache.ts";
import { newId } from "./ids.ts";

// eslint-disable-next-line n/no-process-env -- CI sets it; without a Redis the shared-cache tests are skipped
const testRedisUrl = process.env.TEST_REDIS_URL;

/** A clock the test moves by hand. */
function manualClock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

/** A cache name of its own per test: counters are per name and per process. */
const uniqueName = () => `test_${newId().replace(/-/g, "")}`;

describe("createCache in this process", () => {
  it("answers a stored value until its time to live has passed", async () => {
    const clock = manualClock();
    const cache = createCache<{ n: number }>({ name: uniqueName(), ttlMs: 1_000, now: clock.now });
    await cache.set("a", { n: 1 });
    clock.advance(999);
    expect(await cache.get("a")).toEqual({ n: 1 });
    clock.advance(1);
    expect(await cache.get("a")).toBeUndefined();
  });

  it("counts hits and misses under its name", async () => {
    const name = uniqueName();
    const cache = createCache<string>({ name, ttlMs: 60_000 });
    expect(await cache.get("x")).toBeUndefined();
    await cache.set("x", "value");
    expect(await cache.get("x")).toBe("value");
    expect(await cache.get("x")).toBe("value");
    expect(cacheCounters()[name]).toEqual({ hits: 2, misses: 1, redisErrors: 0 });
  });

  it("drops the value stored longest ago when it holds too many", async () => {
    const cache = createCache<number>({ name: uniqueName(), ttlMs: 60_000, maxEntries: 2 });
    await cache.set("one", 1);
    await cache.set("two", 2);
    await cache.set("three", 3);
    expect([await cache.get("one"), await cache.get("two"), await cache.get("three")]).toEqual([undefined, 2, 3]);
  });
});

describe("createCache with Redis", () => {
  it("keeps working in this process when Redis cannot be reached, counting each failure", async () => {
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 200,
    });
    redis.on("error", () => undefined);
    const name = uniqueName();
    const failures: unknown[] = [];
    const cache = createCache<string>({ name, ttlMs: 60_000, redis, onRedisError: (e) => failures.push(e) });
    try {
      expect(await cache.get("k")).toBeUndefined();
      await expect(cache.set("k", "value")).resolves.toBeUndefined();
      expect(await cache.get("k")).toBe("value");
      expect(cacheCounters()[name]).toMatchObject({ hits: 1, misses: 1 });
      expect(cacheCounters()[name]?.redisErrors).toBe(2);
      expect(failures).toHaveLength(2);
    } finally {
      redis.disconnect();
    }
  });

  describe.runIf(testRedisUrl)("shared by several processes (TEST_REDIS_URL)", () => {
    const redis = new Redis(testRedisUrl ?? "");
    afterAll(() => redis.disconnect());

    it("answers in one process what another stored, with the instants it encoded", async () => {
      const name = uniqueName();
      const options = {
        name,
        ttlMs: 60_000,
        redis,
        decode: (text: string) => {
          const { at } = JSON.parse(text) as { at: string };
          return { at: new Date(at) };
        },
      };
      const first = createCache<{ at: Date }>(options);
      const second = createCache<{ at: Date }>(options);
      const at = new Date("2026-01-02T03:04:05.678Z");
      const key = `workspace ${newId()}`;
      await first.set(key, { at });
      expect(await second.get(key)).toEqual({ at });
      expect(await redis.pttl(redisKeyOf(name, key))).toBeGreaterThan(59_000);
      expect(redisKeyOf(name, key)).not.toContain(key.slice(10));
    });

    it("never keeps a shared value longer than its time to live, also where it was copied", async () => {
      const clock = manualClock();
      const name = uniqueName();
      const first = createCache<number>({ name, ttlMs: 10_000, redis, now: clock.now });
      const second = createCache<number>({ name, ttlMs: 10_000, redis, now: clock.now });
      await first.set("key", 42);
      clock.advance(9_000);
      expect(await second.get("key")).toBe(42);
      clock.advance(1_000);
      expect(await second.get("key")).toBeUndefined();
    });
  });
});
