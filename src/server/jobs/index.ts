export type {
  BackgroundLoop,
  JobData,
  JobDefinition,
  JobDependencies,
  JobLogger,
  JobOptions,
  JobRun,
  LoopDependencies,
  SendJob,
  SendJobBatch,
  SendOptions,
} from "./definitions.ts";
export { backgroundLoops, jobDefinitions } from "./registry.ts";
export {
  jobsNotStarted,
  jobsSchema,
  startWorkers,
  type JobRuntime,
  type Jobs,
  type StartWorkersOptions,
} from "./workers.ts";
