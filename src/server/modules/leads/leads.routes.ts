import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import {
  ConvertLeadResultSchema,
  ConvertLeadSchema,
  CreateLeadSchema,
  LeadSchema,
  LeadStatusHistorySchema,
  UpdateLeadSchema,
} from "../../../shared/schemas/lead.ts";
import { contextOf } from "../../http/authentication.ts";
import { readProblems, registerRecordRoutes, versionedWriteProblems } from "../../http/record-routes.ts";
import { expectedVersion } from "../../http/versioning.ts";
import { convertLead } from "./leads.convert.ts";
import { leadsListSpec } from "./leads.repository.ts";
import {
  countLeadRows,
  createLead,
  deleteLead,
  getLead,
  getLeadStatusHistory,
  listLeads,
  restoreLead,
  updateLead,
} from "./leads.service.ts";
import { leadType } from "./leads.service.ts";

const convertHeaders = z.looseObject({
  "if-match": z.string().optional().describe("The lead version you last read; 412 when it changed since."),
  "idempotency-key": z.string().optional().describe("Replays the first answer for 24 hours."),
});

/** /leads: the standard record endpoints, the status history and the convert action. */
export const leadsRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/leads",
    tag: "Leads",
    noun: "lead",
    plural: "leads",
    history: leadType,
    listSpec: leadsListSpec,
    schemas: { record: LeadSchema, create: CreateLeadSchema, update: UpdateLeadSchema },
    service: {
      list: listLeads,
      count: countLeadRows,
      get: getLead,
      create: createLead,
      update: updateLead,
      delete: deleteLead,
      restore: restoreLead,
    },
    bulk: { resource: "lead", assignField: "ownerId" },
  });

  app.get(
    "/leads/:id/status-history",
    {
      schema: {
        operationId: "getLeadStatusHistory",
        tags: ["Leads"],
        summary: "Every status change of a lead, oldest first",
        params: IdParamsSchema,
        response: { 200: LeadStatusHistorySchema, ...readProblems },
      },
    },
    async (request) => ({ data: await getLeadStatusHistory(contextOf(request), request.params.id) }),
  );

  app.post(
    "/leads/:id/convert",
    {
      schema: {
        operationId: "convertLead",
        tags: ["Leads"],
        summary: "Convert a qualified lead into a deal, with its company and contacts, in one transaction",
        params: IdParamsSchema,
        headers: convertHeaders,
        body: ConvertLeadSchema,
        response: { 200: ConvertLeadResultSchema, ...versionedWriteProblems },
      },
    },
    async (request) => convertLead(contextOf(request), request.params.id, request.body, expectedVersion(request)),
  );
};
