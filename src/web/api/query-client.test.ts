import { describe, expect, it } from "vitest";
import { ApiProblem } from "./client.ts";
import { queryClient } from "./query-client.ts";

const problem = (status: number, retryAfter: string | null = null) =>
  new ApiProblem({ type: "/problems/x", title: "x", status }, retryAfter);

describe("queries retry what passes, and wait as long as the server asks", () => {
  const { retry, retryDelay } = queryClient.getDefaultOptions().queries ?? {};
  const shouldRetry = retry as (count: number, error: unknown) => boolean;
  const delayOf = retryDelay as (count: number, error: unknown) => number;

  it("retries 429 and 5xx twice, never another 4xx", () => {
    expect(shouldRetry(0, problem(429))).toBe(true);
    expect(shouldRetry(1, problem(503))).toBe(true);
    expect(shouldRetry(2, problem(503))).toBe(false);
    expect(shouldRetry(0, problem(400))).toBe(false);
    expect(shouldRetry(0, problem(404))).toBe(false);
  });

  it("waits Retry-After seconds (at most a minute), else backs off", () => {
    expect(delayOf(0, problem(429, "7"))).toBe(7_000);
    expect(delayOf(0, problem(429, "3600"))).toBe(60_000);
    expect(delayOf(0, problem(503))).toBe(1_000);
    expect(delayOf(1, problem(503))).toBe(2_000);
  });
});
