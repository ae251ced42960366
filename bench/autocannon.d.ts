// The part of autocannon 9's API the benchmark uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string };

  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: { setupRequest?: (request: Request, context: Record<string, unknown>) => Request }[];
  };

  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    requests: { average: number; total: number };
  };

  export type Instance = EventEmitter &
    PromiseLike<Result> & {
      on(
        event: "response",
        listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void,
      ): Instance;
      stop(): void;
    };

  export default function autocannon(options: Options): Instance;
}
