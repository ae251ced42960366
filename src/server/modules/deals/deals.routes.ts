import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CreateDealSchema, DealSchema, UpdateDealSchema } from "../../../shared/schemas/deal.ts";
import { registerRecordRoutes } from "../../http/record-routes.ts";
import { dealsListSpec } from "./deals.repository.ts";
import { countDealRows, createDeal, deleteDeal, getDeal, listDeals, restoreDeal, updateDeal } from "./deals.service.ts";
import { dealType } from "./deals.service.ts";

/** /deals: the standard record endpoints; PATCH `stageId` moves a deal through its pipeline. */
export const dealsRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/deals",
    tag: "Deals",
    noun: "deal",
    plural: "deals",
    history: dealType,
    listSpec: dealsListSpec,
    schemas: { record: DealSchema, create: CreateDealSchema, update: UpdateDealSchema },
    service: {
      list: listDeals,
      count: countDealRows,
      get: getDeal,
      create: createDeal,
      update: updateDeal,
      delete: deleteDeal,
      restore: restoreDeal,
    },
    bulk: { resource: "deal", assignField: "ownerId" },
  });
};
