import { describe, expect, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, RETRY_JITTER, nominalRetryDelayMs, retryDelayMs } from "./webhooks.schedule.ts";

const minute = 60_000;
const retries = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, index) => index + 2);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe("webhook retry schedule", () => {
  it("doubles from one minute up to eight hours, for 18 attempts in all", () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(18);
    expect(retries.map((attempt) => nominalRetryDelayMs(attempt) / minute)).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128, 256, 480, 480, 480, 480, 480, 480, 480, 480,
    ]);
  });

  it("makes the last retry about 3 days after the first attempt with the default base", () => {
    const lastRetryAt = sum(retries.map((attempt) => nominalRetryDelayMs(attempt)));
    expect(lastRetryAt).toBe((72 * 60 + 31) * minute);
    const earliest = sum(retries.map((attempt) => retryDelayMs(attempt, { random: () => 0 }) ?? 0));
    const latest = sum(retries.map((attempt) => retryDelayMs(attempt, { random: () => 0.999_999 }) ?? 0));
    expect(earliest / (24 * 60 * minute)).toBeGreaterThan(2.7);
    expect(latest / (24 * 60 * minute)).toBeLessThan(3.4);
  });

  it("never waits less before a later attempt, whatever the jitter draws", () => {
    for (const draw of [0, 0.25, 0.5, 0.75, 0.999_999]) {
      const delays = retries.map((attempt) => retryDelayMs(attempt, { random: () => draw }) ?? 0);
      delays.slice(1).forEach((delay, index) => expect(delay).toBeGreaterThanOrEqual(delays[index] ?? 0));
    }
    const nominal = retries.map((attempt) => nominalRetryDelayMs(attempt));
    nominal.slice(1).forEach((delay, index) => expect(delay).toBeGreaterThanOrEqual(nominal[index] ?? 0));
  });

  it("jitters each wait within ±10 % of its nominal value, and not always the same way", () => {
    for (const attempt of retries) {
      const nominal = nominalRetryDelayMs(attempt);
      const draws = Array.from({ length: 50 }, () => retryDelayMs(attempt) ?? 0);
      for (const delay of draws) {
        expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * (1 - RETRY_JITTER)));
        expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * (1 + RETRY_JITTER)));
      }
      expect(new Set(draws).size).toBeGreaterThan(1);
    }
  });

  it("scales with the base, so a test base of a millisecond runs the whole schedule in seconds", () => {
    expect(retryDelayMs(2, { baseSeconds: 1, random: () => 0.5 })).toBe(1000);
    const whole = sum(retries.map((attempt) => retryDelayMs(attempt, { baseSeconds: 0.001, random: () => 0.5 }) ?? 0));
    expect(whole).toBe(4351);
  });

  it("answers null past the last attempt and refuses what is not a retry", () => {
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS + 1)).toBeNull();
    expect(() => retryDelayMs(1)).toThrow(RangeError);
    expect(() => retryDelayMs(2.5)).toThrow(RangeError);
    expect(() => retryDelayMs(2, { baseSeconds: 0 })).toThrow(RangeError);
    expect(() => nominalRetryDelayMs(MAX_DELIVERY_ATTEMPTS + 1)).toThrow(RangeError);
  });
});
