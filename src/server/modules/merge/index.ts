export { mergeRoutes } from "./merge.routes.ts";
export { merges } from "./merges.table.ts";
