export { activitiesRoutes } from "./activities.routes.ts";
export { attachLinkSummaries, linkIncludes, type Linked } from "./activities.links.ts";
export { toActivity } from "./activities.repository.ts";
export { activities } from "./activities.table.ts";
