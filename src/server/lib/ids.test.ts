import { describe, expect, it } from "vitest";
import { version } from "uuid";
import { isUuid, newId } from "./ids.ts";

describe("newId", () => {
  it("makes distinct version-7 ids that sort in the order they were made, within a millisecond too", () => {
    // Far more ids than one pool of random bytes holds, most of them within the same millisecond.
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => isUuid(id) && version(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it("draws fresh random bits for every id", () => {
    // The last 62 bits of a v7 id are random: two ids never share them, even a pool apart.
    const tails = Array.from({ length: 1_000 }, () => newId().slice(-12));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
