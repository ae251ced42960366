import type { BackgroundLoop, JobDefinition } from "./definitions.ts";

/**
 * Every job queue of Keel, listed explicitly (as app.ts lists modules): a module exports its
 * definition from `<domain>.jobs.ts` and adds one line here. Every process creates these queues;
 * the working ones (`keel serve` unless WORKERS=false, `keel worker`) run their handlers.
 */
export const jobDefinitions: readonly JobDefinition[] = [];

/** Every background loop of Keel (outbox relay, audit sealer…), run by each working process. */
export const backgroundLoops: readonly BackgroundLoop[] = [];
