import type { BackgroundLoop, JobDependencies } from "./definitions.ts";

/** The longest pause between two runs of a failing loop: how late it resumes after the database returns. */
const maxBackoffMs = 10_000;

/** The pause after `failures` failed runs in a row: the loop's interval, doubling, up to maxBackoffMs. */
export function backoffMs(intervalMs: number, failures: number): number {
  return Math.min(intervalMs * 2 ** Math.min(failures - 1, 20), Math.max(intervalMs, maxBackoffMs));
}

export type RunningLoop = {
  /** Aborts the loop's signal, stops its timer and waits (at most `timeoutMs`) for a run in progress. */
  stop(timeoutMs: number): Promise<void>;
};

/**
 * Runs a background loop until stopped: the first run at once, then one run at a time with
 * `intervalMs` between them (none when a run answers `true`). A failed run is logged with the
 * loop's name and the error's type, code and SQLSTATE (describeError: never the values), and
 * tried again after a pause that doubles while failures go on.
 */
export function startLoop(loop: BackgroundLoop, deps: JobDependencies): RunningLoop {
  const controller = new AbortController();
  const logger = deps.logger.child({ loop: loop.name });
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async (): Promise<void> => {
    let pauseMs = loop.intervalMs;
    try {
      const hasMore = await loop.run({ ...deps, logger, signal: controller.signal });
      if (failures > 0) logger.info({ failures }, "background loop runs again");
      failures = 0;
      if (hasMore === true) pauseMs = 0;
    } catch (error) {
      failures++;
      pauseMs = backoffMs(loop.intervalMs, failures);
      // A run the stop interrupted is no failure worth reporting.
      if (!controller.signal.aborted) {
        logger.error({ err: error, failures, nextRunInMs: pauseMs }, "background loop run failed");
      }
    }
    scheduleRun(pauseMs);
  };

  function scheduleRun(pauseMs: number): void {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = runOnce().finally(() => {
        running = undefined;
      });
    }, pauseMs);
  }

  scheduleRun(0);
  return {
    async stop(timeoutMs) {
      controller.abort();
      clearTimeout(timer);
      if (!running) return;
      let deadline: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        deadline = setTimeout(() => {
          logger.warn({ timeoutMs }, "background loop still running at shutdown: left behind");
          resolve();
        }, timeoutMs);
      });
      await Promise.race([running, late]);
      clearTimeout(deadline);
    },
  };
}
