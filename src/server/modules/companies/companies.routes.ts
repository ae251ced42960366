import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CompanySchema, CreateCompanySchema, UpdateCompanySchema } from "../../../shared/schemas/company.ts";
import { registerRecordRoutes } from "../../http/record-routes.ts";
import { companiesListSpec } from "./companies.repository.ts";
import {
  countCompanyRows,
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  restoreCompany,
  updateCompany,
} from "./companies.service.ts";
import { companyType } from "./companies.service.ts";

/** /companies: the standard record endpoints. */
export const companiesRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/companies",
    tag: "Companies",
    noun: "company",
    plural: "companies",
    history: companyType,
    listSpec: companiesListSpec,
    schemas: { record: CompanySchema, create: CreateCompanySchema, update: UpdateCompanySchema },
    service: {
      list: listCompanies,
      count: countCompanyRows,
      get: getCompany,
      create: createCompany,
      update: updateCompany,
      delete: deleteCompany,
      restore: restoreCompany,
    },
    bulk: { resource: "company", assignField: "ownerId" },
  });
};
