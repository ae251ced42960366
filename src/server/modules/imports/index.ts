export { importsRoutes } from "./imports.routes.ts";
export { runImportJob } from "./imports.jobs.ts";
