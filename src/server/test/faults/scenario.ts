/**
 * The shape every fault scenario shares: load before, during and after the fault, then the
 * checks (Keel alive, answers well-formed, acknowledged writes kept once each).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  badAnswers,
  contactsByEmail,
  countOfDomain,
  duplicates,
  missingWrites,
  statusSummary,
  unacknowledgedStored,
} from "./checks.ts";
import { describeExit, signIn, startKeel, type KeelDatabase, type KeelProcess } from "./keel-process.ts";
import { startLoad, type Client, type Load } from "./load.ts";
import { sleep } from "../ports.ts";

/** A unique e-mail domain per scenario and run, so checks only see this scenario's contacts. */
export const scenarioDomain = (name: string) => `${name}-${Date.now().toString(36)}.faults.test`;

/** Runs `fault` under load: load alone for `beforeMs`, the fault, load again for `afterMs`. */
export async function underLoad(
  client: Client,
  domain: string,
  fault: () => Promise<void>,
  timing = { beforeMs: 1_500, afterMs: 3_000 },
): Promise<Load> {
  const load = startLoad(client, domain);
  try {
    await sleep(timing.beforeMs);
    await fault();
    await sleep(timing.afterMs);
  } finally {
    await load.stop();
  }
  return load;
}

export function logLoad(load: Load): void {
  const lastAnswers = new Map<number, number>();
  for (const w of load.writes.filter((w) => w.id === null)) {
    lastAnswers.set(w.lastStatus, (lastAnswers.get(w.lastStatus) ?? 0) + 1);
  }
  const unresolved = [...lastAnswers].map(([status, count]) => `${count}× ${status}`).join(", ") || "none";
  console.log(
    `[faults] ${load.domain}: ${load.acknowledged().length} of ${load.writes.length} writes acknowledged` +
      ` (not acknowledged, by last answer: ${unresolved}); answers: ${statusSummary(load.outcomes)}`,
  );
}

/** Keel must still run; its output goes into the failure message when it does not. */
export function expectAlive(keel: KeelProcess): void {
  const state = keel.exitState();
  expect
    .soft(state, `Keel exited (${state ? describeExit(state) : ""}); its output:\n${keel.output().slice(-6_000)}`)
    .toBeNull();
}

/** Every acknowledged write reads back, no e-mail twice; with `exact`, nothing stored that was not acknowledged. */
export async function expectWritesKept(client: Client, load: Load, options: { exact: boolean }): Promise<void> {
  const acknowledged = load.acknowledged();
  expect.soft(await missingWrites(client, acknowledged), "acknowledged writes missing afterwards").toEqual([]);
  const byEmail = await contactsByEmail(client, load.domain);
  expect.soft(duplicates(byEmail), "e-mails stored more than once").toEqual([]);
  if (!options.exact) return;
  expect.soft(unacknowledgedStored(byEmail, load), "contacts stored whose write was not acknowledged").toEqual([]);
  expect.soft(await countOfDomain(client, load.domain), "GET /contacts/count of the domain").toBe(acknowledged.length);
}

/**
 * Every write ended acknowledged once the database was back: a client retrying with its
 * Idempotency-Key always gets its answer (never a key stuck "in progress", never a second write).
 */
export function expectEveryWriteFinished(load: Load): void {
  const unfinished = load.writes
    .filter((w) => w.id === null)
    .map((w) => `${w.email}: last answer ${w.lastStatus || "none"} after ${w.attempts} attempt(s)`);
  expect.soft(unfinished, "writes never acknowledged although retried with their key").toEqual([]);
}

/** Answers well-formed (no 500, 503 with Retry-After as problem+json, no stack or SQL). */
export function expectGoodAnswers(load: Load, options: { allowNoAnswer?: boolean } = {}): void {
  expect.soft(badAnswers(load.outcomes, options), "bad answers under the fault").toEqual([]);
}

/** Starts Keel and signs in as the demo admin. */
export async function startSignedIn(database: KeelDatabase): Promise<{ keel: KeelProcess; client: Client }> {
  const keel = await startKeel(database);
  try {
    return { keel, client: { baseUrl: keel.baseUrl, cookie: await signIn(keel.baseUrl) } };
  } catch (error) {
    await keel.stop();
    throw error;
  }
}

/**
 * `kill -9` of Keel while writers write, then a new Keel on the same database (an embedded folder
 * left locked by the killed one included): every acknowledged write is there, no e-mail twice.
 * `reaped`: the killed processes are gone before the new one starts; `zombie`: the killed server
 * is dead but not yet reaped by its parent while the new one starts.
 */
export async function killMidWrite(
  database: KeelDatabase,
  domain: string,
  mode: "reaped" | "zombie" = "reaped",
): Promise<void> {
  const { keel: victim, client } = await startSignedIn(database);
  const load = startLoad(client, domain);
  let next: KeelProcess | undefined;
  try {
    await sleep(2_500);
    await (mode === "reaped" ? victim.kill9() : victim.kill9Unreaped());
    await load.stop({ retryForMs: 0 });
    logLoad(load);
    if ("dataDir" in database) {
      const left = existsSync(join(database.dataDir, "keel.lock")) ? "left" : "did not leave";
      console.log(`[faults] ${domain}: the killed Keel ${left} a keel.lock behind`);
    }
    expect(load.acknowledged().length, "writes acknowledged before the kill").toBeGreaterThan(0);
    expectGoodAnswers(load, { allowNoAnswer: true });
    const started = Date.now();
    const restarted = await startSignedIn(database);
    next = restarted.keel;
    console.log(`[faults] ${domain}: a new Keel on the same database was ready in ${Date.now() - started} ms`);
    await expectWritesKept(restarted.client, load, { exact: false });
  } finally {
    await load.stop({ retryForMs: 0 });
    await next?.stop();
    await victim.kill9();
  }
}
