import type { Activity } from "../../../shared/schemas/activity.ts";
import type { Wire } from "../../api/wire.ts";
import { labelOf } from "../../lib/format.ts";

/** The link fields and `include` summaries activities and tasks share. */
export type Linked = Pick<
  Wire<Activity>,
  "contactId" | "leadId" | "dealId" | "companyId" | "contact" | "lead" | "deal" | "company"
>;

export type LinkedRecord = {
  kind: "contact" | "lead" | "deal" | "company";
  id: string;
  /** The record's name when it was included, else its kind. */
  label: string;
};

/** The record page of each kind, as a route path with `$id`. */
export const recordRoutes = {
  contact: "/contacts/$id",
  lead: "/leads/$id",
  deal: "/deals/$id",
  company: "/companies/$id",
} as const;

/** The records an activity or task is linked to, in the order contact, lead, deal, company. */
export function linkedRecordsOf(row: Linked): LinkedRecord[] {
  const records: LinkedRecord[] = [];
  if (row.contactId) {
    const name = row.contact ? [row.contact.firstName, row.contact.lastName].filter(Boolean).join(" ") : "";
    records.push({ kind: "contact", id: row.contactId, label: name || labelOf("contact") });
  }
  if (row.leadId) records.push({ kind: "lead", id: row.leadId, label: row.lead?.title || labelOf("lead") });
  if (row.dealId) records.push({ kind: "deal", id: row.dealId, label: row.deal?.name || labelOf("deal") });
  if (row.companyId)
    records.push({ kind: "company", id: row.companyId, label: row.company?.name || labelOf("company") });
  return records;
}

/** The page of the first linked record, or null when nothing is linked. */
export function linkedRecordPath(row: Linked): string | null {
  const first = linkedRecordsOf(row)[0];
  return first ? recordRoutes[first.kind].replace("$id", first.id) : null;
}
