/**
 * What a test worker process closes when it stops: the test database it opened for the test files
 * it runs one after another (create-test-app.ts). The server projects' test environment
 * (environment.ts) runs it when Vitest stops the worker.
 *
 * The environment and the test files are loaded by separate module runners, so each has its own
 * copy of this module: they meet on one global list.
 */
const registry = Symbol.for("keel.test.workerExit");

type WithRegistry = typeof globalThis & { [registry]?: (() => Promise<void>)[] };

function closers(): (() => Promise<void>)[] {
  return ((globalThis as WithRegistry)[registry] ??= []);
}

/** Runs `close` when this worker process stops, after its last test file. */
export function closeOnWorkerExit(close: () => Promise<void>): void {
  closers().push(close);
}

/** Closes what the worker's test files left open for the files after them (the environment calls this). */
export async function closeWorkerResources(): Promise<void> {
  for (const close of closers().splice(0)) await close();
}
