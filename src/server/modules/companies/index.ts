export { companiesRoutes } from "./companies.routes.ts";
export { companiesListSpec, toCompany } from "./companies.repository.ts";
export { companyType } from "./companies.service.ts";
export { companies } from "./companies.table.ts";
