import type { FastifyInstance, FastifyRequest } from "fastify";
import { describeError } from "./logging.ts";

/**
 * Runs work after the answer: e-mails whose sending must change neither what a caller is
 * answered nor when (sign-up and forgot-password answer alike for known and unknown addresses),
 * and alerts that must never delay or fail the action they report. A failure is logged, never
 * thrown; closing the app waits for what is still running.
 */
export type Defer = ((task: () => Promise<unknown>) => void) & {
  /** Resolves once the work started so far has ended (closing the app, and tests reading its effects). */
  settled(): Promise<void>;
};

export function createDefer(app: FastifyInstance): Defer {
  const pending = new Set<Promise<unknown>>();
  const settled = async () => {
    await Promise.allSettled(pending);
  };
  app.addHook("onClose", settled);
  const defer = (task: () => Promise<unknown>) => {
    const run = Promise.resolve()
      .then(task)
      .catch((error: unknown) => app.log.error({ err: describeError(error) }, "work after the answer failed"))
      .finally(() => pending.delete(run));
    pending.add(run);
  };
  return Object.assign(defer, { settled });
}

/**
 * Where links in e-mails point: PUBLIC_URL, or else (outside production, where config.ts requires
 * PUBLIC_URL) the address this request reached.
 */
export function publicBaseUrl(request: FastifyRequest): string {
  return request.server.config.publicUrl ?? `${request.protocol}://${request.host}`;
}
