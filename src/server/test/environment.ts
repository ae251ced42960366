/**
 * The server projects' test environment: Node's, plus closing what the worker process shared
 * between its test files (the test database, worker-exit.ts) when Vitest stops the worker. Vitest
 * sets an environment up once per worker process and tears it down when the process stops, which
 * no hook of a test file can do: a file's afterAll runs before the next file of the same worker.
 */
import { builtinEnvironments, type Environment } from "vitest/runtime";
import { closeWorkerResources } from "./worker-exit.ts";

export default {
  name: "keel-server",
  viteEnvironment: "ssr",
  async setup(global, options) {
    const node = await builtinEnvironments.node.setup(global, options);
    return {
      async teardown(global) {
        try {
          await closeWorkerResources();
        } finally {
          await node.teardown(global);
        }
      },
    };
  },
} satisfies Environment;
