import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { balancedShard, expectedSeconds } from "./vitest.sequencer.ts";

const root = dirname(fileURLToPath(import.meta.url));
const sum = (files: string[]) => files.reduce((total, file) => total + expectedSeconds(file), 0);

describe("balanced shards", () => {
  const files = ["pages", "account-admin", "lists", "sign-in", "export", "merge", "new-journey"].map((name) =>
    join(root, "e2e", `${name}.test.ts`),
  );

  it("puts every file in exactly one shard, the same whatever order the files come in", () => {
    const first = balancedShard(files, 1, 2);
    const second = balancedShard(files, 2, 2);
    expect([...first, ...second].sort()).toEqual([...files].sort());
    expect(balancedShard([...files].reverse(), 1, 2)).toEqual(first);
  });

  it("balances by expected time, not by number of files", () => {
    const journeys = readdirSync(join(root, "e2e"))
      .filter((name) => name.endsWith(".test.ts"))
      .map((name) => join(root, "e2e", name));
    const [first, second] = [balancedShard(journeys, 1, 2), balancedShard(journeys, 2, 2)];
    // pages alone fills most of a shard: it gets fewer files.
    expect(first).toContain(join(root, "e2e/pages.test.ts"));
    expect(first.length).toBeLessThan(second.length);
    expect(Math.abs(sum(first) - sum(second))).toBeLessThanOrEqual(50);
  });

  it("counts a journey it has no time for as the median, and an unlisted server file as short", () => {
    const newJourney = expectedSeconds(join(root, "e2e/new-journey.test.ts"));
    expect(newJourney).toBeGreaterThan(0);
    expect(newJourney).toBeLessThan(expectedSeconds(join(root, "e2e/pages.test.ts")));
    expect(expectedSeconds(join(root, "src/server/lib/ids.test.ts"))).toBe(0);
    expect(expectedSeconds(join(root, "src/server/http/api.fuzz.test.ts"))).toBeGreaterThan(60);
  });

  it("expects the round trip to take as long as its contacts say", () => {
    const roundTrip = join(root, "src/server/modules/imports/imports.round-trip.test.ts");
    const fuzz = expectedSeconds(join(root, "src/server/http/api.fuzz.test.ts"));
    expect(expectedSeconds(roundTrip, 200_000)).toBeGreaterThan(fuzz);
    expect(expectedSeconds(roundTrip, 2_000)).toBeLessThan(5);
  });
});
