/** Polls /readyz on a fixed interval and keeps every answer with when it was asked and answered. */
import { sleep } from "../ports.ts";

export type ReadyzSample = { sentAt: number; doneAt: number; status: number };
export type ReadyzPoller = { samples: ReadyzSample[]; stop: () => Promise<void> };

export function pollReadyz(baseUrl: string, intervalMs = 100): ReadyzPoller {
  const samples: ReadyzSample[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const sentAt = Date.now();
      const status = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      samples.push({ sentAt, doneAt: Date.now(), status });
      await sleep(Math.max(0, sentAt + intervalMs - Date.now()));
    }
  };
  const running = loop();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}
