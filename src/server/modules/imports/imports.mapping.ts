import { importFields, type ImportMapping, type ImportResource } from "../../../shared/schemas/import.ts";
import { AppError } from "../../lib/errors.ts";

/** "E-Mail Address " → "emailaddress": case, accents, spaces and punctuation do not matter. */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Header spellings seen in exports of other CRMs and spreadsheets, normalised, per field. */
const synonyms: Record<string, string[]> = {
  firstName: ["firstname", "first", "givenname", "forename", "vorname", "prenom"],
  lastName: ["lastname", "last", "surname", "familyname", "nachname"],
  email: ["email", "emailaddress", "mail", "workemail", "primaryemail"],
  phone: ["phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "workphone"],
  jobTitle: ["jobtitle", "position", "role", "jobrole"],
  company: ["company", "companyname", "organization", "organisation", "account", "accountname", "employer"],
  ownerEmail: ["owner", "owneremail", "assignedto", "salesrep", "accountowner", "contactowner", "dealowner"],
  assigneeEmail: ["assignee", "assigneeemail", "assignedto", "owner"],
  contactEmail: ["contact", "contactemail", "person", "personemail"],
  tags: ["tags", "tag", "labels", "label"],
  lifecycle: ["lifecycle", "lifecyclestage"],
  source: ["source", "leadsource", "origin"],
  domain: ["domain", "website", "companydomain", "url", "web"],
  industry: ["industry", "sector"],
  employeeCount: ["employees", "employeecount", "numberofemployees", "headcount"],
  annualRevenue: ["annualrevenue", "revenue"],
  "address.line1": ["address", "street", "addressline1", "street1"],
  "address.line2": ["addressline2", "street2"],
  "address.city": ["city", "town"],
  "address.region": ["region", "state", "province", "county"],
  "address.postalCode": ["postalcode", "zip", "zipcode", "postcode", "plz"],
  "address.country": ["country"],
  stageName: ["stage", "dealstage", "pipelinestage"],
  pipelineName: ["pipeline"],
  value: ["value", "amount", "dealvalue", "dealamount"],
  estimatedValue: ["estimatedvalue", "value", "amount"],
  expectedCloseDate: ["expectedclosedate", "closedate", "close"],
  dueAt: ["dueat", "due", "duedate"],
  remindAt: ["remindat", "reminder"],
  occurredAt: ["occurredat", "date", "when"],
  durationMinutes: ["durationminutes", "duration", "minutes"],
};

/** Per resource, a header that names the record itself: a company's "Company Name", a deal's "Deal Name". */
const ownNames: Partial<Record<ImportResource, Record<string, string[]>>> = {
  companies: { name: ["name", "companyname", "company", "organization", "organisation", "accountname"] },
  deals: { name: ["name", "dealname", "deal", "title", "opportunity"] },
  leads: { title: ["title", "leadtitle", "lead", "name"] },
  tasks: { title: ["title", "task", "subject", "name"] },
};

function fieldIndex(resource: ImportResource): Map<string, string> {
  const index = new Map<string, string>();
  const own = ownNames[resource] ?? {};
  // Earlier entries win: the resource's own names, then each field's key and label, then synonyms.
  for (const [field, names] of Object.entries(own)) for (const name of names) index.set(name, field);
  for (const field of importFields[resource]) {
    for (const name of [field.key, field.label]) {
      const key = normaliseHeader(name);
      if (!index.has(key)) index.set(key, field.key);
    }
  }
  for (const field of importFields[resource]) {
    for (const name of synonyms[field.key] ?? []) if (!index.has(name)) index.set(name, field.key);
  }
  return index;
}

/**
 * The suggested mapping: for each header, the field a saved mapping gave it, else the field its
 * name (or a known synonym) names, else null. A field is suggested for one column only.
 */
export function suggestMapping(resource: ImportResource, headers: string[], saved: ImportMapping = {}): ImportMapping {
  const index = fieldIndex(resource);
  const valid = new Set(importFields[resource].map((f) => f.key));
  const taken = new Set<string>();
  // Headers are the file's text: "__proto__" or "constructor" must be a column like any other,
  // so they are looked up and written as own properties only.
  const entries = headers.map((header) => {
    const fromSaved = Object.hasOwn(saved, header) ? saved[header] : undefined;
    const guess = fromSaved !== undefined ? fromSaved : (index.get(normaliseHeader(header)) ?? null);
    const field = guess && valid.has(guess) && !taken.has(guess) ? guess : null;
    if (field) taken.add(field);
    return [header, field] as const;
  });
  return Object.fromEntries(entries);
}

/**
 * Checks a mapping against the file's headers and the resource's fields: 400 naming each header
 * that is unknown or maps to a field that cannot be imported or is mapped twice. Check the mapping
 * as it will be, after a change is merged in (a field may already be mapped from another column),
 * and say which headers the change named (`changed`): a field mapped twice is reported on the
 * changed header rather than on the one it already had.
 */
export function checkMapping(
  resource: ImportResource,
  headers: string[],
  mapping: ImportMapping,
  changed: readonly string[] = Object.keys(mapping),
): void {
  const valid = new Set(importFields[resource].map((f) => f.key));
  const known = new Set(headers);
  const seen = new Map<string, string>();
  const errors: { path: string; message: string }[] = [];
  // The columns a change names come last, so a field mapped twice is reported on the changed one.
  const changedHeaders = new Set(changed);
  const isChanged = (header: string) => Number(changedHeaders.has(header));
  const entries = Object.entries(mapping).sort(([a], [b]) => isChanged(a) - isChanged(b));
  for (const [header, field] of entries) {
    const path = `mapping.${header}`;
    if (!known.has(header)) errors.push({ path, message: `The file has no column "${header}"` });
    else if (field === null) continue;
    else if (!valid.has(field)) errors.push({ path, message: `"${field}" is not a field ${resource} can import` });
    else if (seen.has(field)) errors.push({ path, message: `"${field}" is already mapped from "${seen.get(field)}"` });
    else seen.set(field, header);
  }
  if (errors.length > 0) {
    throw new AppError("validation", `The mapping is invalid: ${errors.map((e) => e.message).join("; ")}.`, errors);
  }
}

/** 400 when a field the resource needs (a contact's first name) is mapped from no column. */
export function checkRequiredMapped(resource: ImportResource, mapping: ImportMapping): void {
  const mapped = new Set(Object.values(mapping));
  const missing = importFields[resource].filter((field) => field.required && !mapped.has(field.key));
  if (missing.length === 0) return;
  throw new AppError(
    "validation",
    `Map a column to ${missing.map((f) => `"${f.label}"`).join(", ")}: ${resource} cannot be imported without it.`,
    missing.map((field) => ({ path: `mapping`, message: `No column is mapped to ${field.key}` })),
  );
}
