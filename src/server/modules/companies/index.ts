export { companiesRoutes } from "./companies.routes.ts";
export { companiesListSpec, toCompany } from "./companies.repository.ts";
export { createCompanyIn } from "./companies.service.ts";
export { companies } from "./companies.table.ts";
