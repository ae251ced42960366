import { afterAll, describe, expect, it } from "vitest";
import { demoAccounts, demoPassword } from "../modules/seed/index.ts";
import { cleanUp, newDataDir, serve, stop, waitReady } from "./serve.helpers.ts";

afterAll(cleanUp);

/** Production needs the address people reach Keel at (config.ts). */
const publicUrl = "https://crm.example.com";

describe("keel serve", () => {
  it("in production, seeds no demo and publishes no demo password unless KEEL_DEMO=true", async () => {
    const served = await serve({ NODE_ENV: "production", PUBLIC_URL: publicUrl }, newDataDir());
    try {
      await waitReady(served);
      const base = `http://127.0.0.1:${served.port}`;
      expect(await (await fetch(`${base}/api/v1/auth/options`)).json()).toEqual({
        demoAccounts: [],
        demoPassword: null,
      });
      const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: demoAccounts[0]?.email, password: demoPassword }),
      });
      expect(signIn.status).toBe(401);
      expect(served.output()).not.toMatch(/DEMO MODE/);
    } finally {
      await stop(served);
    }
  }, 120_000);

  it("in production with KEEL_DEMO=true, warns loudly in the log", async () => {
    const served = await serve({ NODE_ENV: "production", PUBLIC_URL: publicUrl, KEEL_DEMO: "true" }, newDataDir());
    try {
      await waitReady(served);
      expect(served.output()).toMatch(/DEMO MODE IS ON IN PRODUCTION/);
    } finally {
      await stop(served);
    }
  }, 120_000);

  it("refuses to start on a data folder another process is serving, saying which", async () => {
    const dataDir = newDataDir();
    const first = await serve({}, dataDir);
    try {
      await waitReady(first);
      const second = await serve({}, dataDir);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`in use by another Keel process (pid ${first.child.pid})`);
      expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    } finally {
      await stop(first);
    }
  }, 120_000);

  it("in production, refuses to start without PUBLIC_URL, saying what to set", async () => {
    const served = await serve({ NODE_ENV: "production" }, newDataDir());
    expect(await served.exited).toBe(1);
    expect(served.output()).toContain("PUBLIC_URL: required in production");
  }, 60_000);

  it("in production, refuses METRICS=true without a metrics token or port, saying what to set", async () => {
    const served = await serve({ NODE_ENV: "production", PUBLIC_URL: publicUrl, METRICS: "true" }, newDataDir());
    expect(await served.exited).toBe(1);
    expect(served.output()).toContain("METRICS=true in production needs METRICS_TOKEN");
    expect(served.output()).toContain("or METRICS_PORT");
  }, 60_000);

  it("refuses --workers above 1 on the embedded database, and a --workers that is no count", async () => {
    const embedded = await serve({}, newDataDir(), ["--workers", "2"]);
    expect(await embedded.exited).toBe(1);
    expect(embedded.output()).toContain("--workers N (N > 1) needs a PostgreSQL server (DATABASE_URL)");
    const zero = await serve({}, newDataDir(), ["--workers", "0"]);
    expect(await zero.exited).toBe(2);
    expect(zero.output()).toContain("--workers must be a whole number from 1 to 64");
  }, 60_000);
});
