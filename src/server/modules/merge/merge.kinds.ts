import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { companyMergeFields, contactMergeFields } from "../../../shared/schemas/merge.ts";
import { companies } from "../companies/companies.table.ts";
import { companyType } from "../companies/companies.service.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { contactType } from "../contacts/contacts.service.ts";
import type { RecordType } from "../records/index.ts";
import type { Relation } from "./merge.moves.ts";

/** A record type that can be merged: contacts or companies. */
export type MergeKind = {
  resource: "contact" | "company";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- contacts' or companies' rows and inputs
  type: RecordType<any, any, any, any>;
  table: PgTable & {
    workspaceId: PgColumn;
    id: PgColumn;
    version: PgColumn;
    deletedAt: PgColumn;
    updatedAt: PgColumn;
    mergedIntoId: PgColumn;
  };
  /** The fields a merge may take from any of its records (tags are always united). */
  fields: readonly string[];
  /** The tables whose rows point at a record of this type, moved to the survivor. */
  relations: Relation[];
  /** Contacts only: lead_contacts links, one per lead, one primary. */
  hasLeadLinks: boolean;
};

export const contactMerge: MergeKind = {
  resource: "contact",
  type: contactType,
  table: contacts,
  fields: contactMergeFields,
  relations: [
    { table: "activities", column: "contact_id" },
    { table: "tasks", column: "contact_id" },
    { table: "deals", column: "contact_id" },
  ],
  hasLeadLinks: true,
};

export const companyMerge: MergeKind = {
  resource: "company",
  type: companyType,
  table: companies,
  fields: companyMergeFields,
  relations: [
    { table: "contacts", column: "company_id" },
    { table: "deals", column: "company_id" },
    { table: "leads", column: "company_id" },
    { table: "activities", column: "company_id" },
    { table: "tasks", column: "company_id" },
  ],
  hasLeadLinks: false,
};

export const mergeKinds = { contact: contactMerge, company: companyMerge } as const;
