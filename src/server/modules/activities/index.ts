export { activitiesRoutes } from "./activities.routes.ts";
export { activitiesListSpec, toActivity } from "./activities.repository.ts";
export { activities } from "./activities.table.ts";
