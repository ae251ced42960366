import type { z } from "zod";
import type { ConvertLeadSchema } from "../../../shared/schemas/lead.ts";
import type { LeadRow } from "./leads.api.ts";

/** The convert dialog's inputs: choices for the company and contacts, and the deal's fields. */
export type ConvertValues = {
  companyMode: "keep" | "existing" | "new";
  companyId: string;
  companyName: string;
  companyDomain: string;
  contactMode: "keep" | "existing" | "new";
  contactIds: string[];
  contactFirstName: string;
  contactLastName: string;
  contactEmail: string;
  contactPhone: string;
  dealName: string;
  dealValue: string;
  dealCurrency: string;
  pipelineId: string;
  stageId: string;
  expectedCloseDate: string;
};

export const convertFieldNames: readonly (keyof ConvertValues)[] = [
  "companyId",
  "companyName",
  "companyDomain",
  "contactIds",
  "contactFirstName",
  "contactLastName",
  "contactEmail",
  "contactPhone",
  "dealName",
  "dealValue",
  "dealCurrency",
  "pipelineId",
  "stageId",
  "expectedCloseDate",
];

/** Defaults from the lead: its company and contacts are kept, the deal takes its title and value. */
export function convertDefaults(lead: LeadRow): ConvertValues {
  return {
    companyMode: "keep",
    companyId: "",
    companyName: "",
    companyDomain: "",
    contactMode: "keep",
    contactIds: [],
    contactFirstName: "",
    contactLastName: "",
    contactEmail: "",
    contactPhone: "",
    dealName: lead.title,
    dealValue: lead.estimatedValue ?? "",
    dealCurrency: lead.currency ?? "",
    pipelineId: "",
    stageId: "",
    expectedCloseDate: "",
  };
}

/** Inputs → the body of POST /leads/:id/convert; blanks leave the server's defaults. */
export function convertBody(values: ConvertValues): z.input<typeof ConvertLeadSchema> {
  const body: z.input<typeof ConvertLeadSchema> = {
    deal: {
      name: values.dealName.trim() || undefined,
      value: values.dealValue.trim() || undefined,
      currency: values.dealCurrency.trim().toUpperCase() || undefined,
      pipelineId: values.pipelineId || undefined,
      stageId: values.stageId || undefined,
      expectedCloseDate: values.expectedCloseDate || null,
    },
  };
  if (values.companyMode === "existing") body.companyId = values.companyId;
  if (values.companyMode === "new")
    body.company = { name: values.companyName, domain: values.companyDomain.trim() || null };
  if (values.contactMode === "existing") body.contactIds = values.contactIds;
  if (values.contactMode === "new") {
    body.contact = {
      firstName: values.contactFirstName,
      lastName: values.contactLastName.trim(),
      email: values.contactEmail.trim() || null,
      phone: values.contactPhone.trim() || null,
    };
  }
  return body;
}

const fieldByPath: Record<string, keyof ConvertValues> = {
  company: "companyName",
  "company.name": "companyName",
  "company.domain": "companyDomain",
  companyId: "companyId",
  contactIds: "contactIds",
  "contact.firstName": "contactFirstName",
  "contact.lastName": "contactLastName",
  "contact.email": "contactEmail",
  "contact.phone": "contactPhone",
  "deal.name": "dealName",
  "deal.value": "dealValue",
  "deal.currency": "dealCurrency",
  "deal.pipelineId": "pipelineId",
  "deal.stageId": "stageId",
  "deal.expectedCloseDate": "expectedCloseDate",
};

/** The input a body path (from the schema or the server's problem) belongs to, if any. */
export function convertFieldOf(path: string): keyof ConvertValues | undefined {
  return fieldByPath[path] ?? (path.startsWith("contactIds.") ? "contactIds" : undefined);
}
