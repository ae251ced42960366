export { handOverEvents, type PublishedEvent } from "./webhooks.jobs.ts";
export { webhooksRoutes } from "./webhooks.routes.ts";
export { retryWindowMs } from "./webhooks.schedule.ts";
