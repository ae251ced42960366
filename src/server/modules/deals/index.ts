export { dealsRoutes } from "./deals.routes.ts";
export { dealType } from "./deals.service.ts";
export { dealsListSpec, toDeal } from "./deals.repository.ts";
export { statusOfStage } from "./deals.stage.ts";
export { deals } from "./deals.table.ts";
