/**
 * The e2e project's global setup: one Keel server for the whole run (built web app, fresh
 * embedded database with the demo workspace). Without Chromium it prints one line and starts
 * nothing; the specs then report themselves as skipped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath, hasChromium, resultsDir, skipMessage } from "./env.ts";
import { startMailbox } from "./mailbox.ts";
import { startServer } from "./server.ts";

export type E2eRun =
  { state: "skipped"; message: string } | { state: "ready"; baseUrl: string } | { state: "broken"; message: string };

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2eRun;
    /** Where the run's SMTP server keeps the e-mail Keel sent (mailbox.ts reads it). */
    mailDir: string;
    /** The run's one Chromium, which every test file connects to (fixtures.ts). */
    browserEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!hasChromium) {
    console.log(skipMessage);
    project.provide("e2e", { state: "skipped", message: skipMessage });
    return undefined;
  }
  const started = Date.now();
  const mailDir = mkdtempSync(join(tmpdir(), "keel-e2e-mail-"));
  project.provide("mailDir", mailDir);
  const mailbox = await startMailbox(mailDir);
  const stopMailbox = async () => {
    await mailbox.stop();
    rmSync(mailDir, { recursive: true, force: true });
  };
  try {
    // CI runs the journeys in shards side by side (--shard), each with a server of its own: one log each.
    const shard = project.vitest.config.shard;
    const logFile = join(resultsDir, shard ? `e2e-server-${shard.index}-of-${shard.count}.log` : "e2e-server.log");
    const server = await startServer(
      {
        // eslint-disable-next-line n/no-process-env -- the server gets the environment a user's shell would give it
        ...process.env,
        SMTP_URL: mailbox.smtpUrl,
        // Webhook journeys deliver to receivers on loopback, and the SSO journey signs in through a
        // provider on loopback (sso.test-provider.ts): Keel calls neither unless allowed.
        WEBHOOK_ALLOWED_HOSTS: "127.0.0.1,localhost",
        SSO_ALLOWED_HOSTS: "127.0.0.1",
      },
      { logFile },
    );
    // One Chromium for the run: a launch per file cost about a second of a busy machine each.
    // Every test still gets a fresh browser context (no cookies, no storage).
    const browser = await chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs });
    project.provide("browserEndpoint", browser.wsEndpoint());
    console.log(
      `Browser tests: Keel serving at ${server.baseUrl} (started in ${((Date.now() - started) / 1000).toFixed(1)} s; log in ${server.logFile})`,
    );
    project.provide("e2e", { state: "ready", baseUrl: server.baseUrl });
    return async () => {
      await browser.close();
      await server.stop();
      await stopMailbox();
    };
  } catch (error) {
    // Every browser test then fails with this message, rather than the whole run stopping here.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Browser tests cannot run: ${message}`);
    project.provide("e2e", { state: "broken", message });
    return stopMailbox;
  }
}
