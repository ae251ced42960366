import { z } from "zod";
import { IdSchema, pageSizeQuery } from "./common.ts";

/** What can be imported: the list endpoints' path segments. */
export const importResources = ["contacts", "companies", "leads", "deals", "activities", "tasks"] as const;
export type ImportResource = (typeof importResources)[number];

export const importStatuses = [
  "uploaded",
  "validating",
  "running",
  "completed",
  "failed",
  "cancelled",
  "undone",
] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const duplicatePolicies = ["skip", "update", "create"] as const;
export type DuplicatePolicy = (typeof duplicatePolicies)[number];

/**
 * A field a column can be mapped to. `kind` says how a cell's text becomes the API's value;
 * natural keys (`ownerEmail`, `companyName`…) are looked up (or created) and set the record's link.
 */
export type ImportField = {
  key: string;
  label: string;
  required?: boolean;
  kind?: "text" | "tags" | "integer" | "address" | "naturalKey";
};

const owner: ImportField = { key: "ownerEmail", label: "Owner (member e-mail)", kind: "naturalKey" };
const company: ImportField = { key: "company", label: "Company (name or domain)", kind: "naturalKey" };
const contact: ImportField = { key: "contactEmail", label: "Contact (e-mail)", kind: "naturalKey" };
const tags: ImportField = { key: "tags", label: "Tags", kind: "tags" };

/** The fields each resource's columns may be mapped to (the create API's fields, by name). */
export const importFields: Record<ImportResource, readonly ImportField[]> = {
  contacts: [
    { key: "firstName", label: "First name", required: true },
    { key: "lastName", label: "Last name" },
    { key: "email", label: "E-mail" },
    { key: "phone", label: "Phone" },
    { key: "jobTitle", label: "Job title" },
    { key: "lifecycle", label: "Lifecycle" },
    { key: "source", label: "Source" },
    company,
    owner,
    tags,
  ],
  companies: [
    { key: "name", label: "Name", required: true },
    { key: "domain", label: "Domain" },
    { key: "industry", label: "Industry" },
    { key: "phone", label: "Phone" },
    { key: "employeeCount", label: "Employees", kind: "integer" },
    { key: "annualRevenue", label: "Annual revenue" },
    { key: "address.line1", label: "Address line 1", kind: "address" },
    { key: "address.line2", label: "Address line 2", kind: "address" },
    { key: "address.city", label: "City", kind: "address" },
    { key: "address.region", label: "Region", kind: "address" },
    { key: "address.postalCode", label: "Postal code", kind: "address" },
    { key: "address.country", label: "Country", kind: "address" },
    owner,
    tags,
  ],
  leads: [
    { key: "title", label: "Title", required: true },
    { key: "status", label: "Status" },
    { key: "priority", label: "Priority" },
    { key: "estimatedValue", label: "Estimated value" },
    { key: "currency", label: "Currency" },
    { key: "source", label: "Source" },
    { key: "lostReason", label: "Lost reason" },
    company,
    owner,
    tags,
  ],
  deals: [
    { key: "name", label: "Name", required: true },
    { key: "value", label: "Value" },
    { key: "currency", label: "Currency" },
    { key: "pipelineName", label: "Pipeline (name)", kind: "naturalKey" },
    { key: "stageName", label: "Stage (name)", kind: "naturalKey" },
    { key: "probability", label: "Probability", kind: "integer" },
    { key: "expectedCloseDate", label: "Expected close date" },
    { key: "lostReason", label: "Lost reason" },
    company,
    contact,
    owner,
    tags,
  ],
  activities: [
    { key: "type", label: "Type", required: true },
    { key: "subject", label: "Subject", required: true },
    { key: "body", label: "Body" },
    { key: "direction", label: "Direction" },
    { key: "occurredAt", label: "Occurred at" },
    { key: "durationMinutes", label: "Duration (minutes)", kind: "integer" },
    { key: "outcome", label: "Outcome" },
    company,
    contact,
  ],
  tasks: [
    { key: "title", label: "Title", required: true },
    { key: "description", label: "Description" },
    { key: "dueAt", label: "Due at" },
    { key: "priority", label: "Priority" },
    { key: "status", label: "Status" },
    { key: "remindAt", label: "Remind at" },
    { key: "assigneeEmail", label: "Assignee (member e-mail)", kind: "naturalKey" },
    company,
    contact,
  ],
};

/** `{ "<column header>": "<field>" | null }`: null leaves the column out. */
export const ImportMappingSchema = z.record(z.string().max(200), z.string().max(100).nullable());
export type ImportMapping = z.infer<typeof ImportMappingSchema>;

/** Reserved for options of a format (none yet: an XLSX file is read from its first sheet). */
export const ImportOptionsSchema = z.strictObject({});

/** What a dry run found: the rows it checked and what the import would do with them. */
export const DryRunSchema = z.object({
  rowsTotal: z.number().int().describe("The rows checked"),
  wouldCreate: z.number().int(),
  wouldUpdate: z.number().int(),
  wouldSkip: z.number().int(),
  failed: z.number().int().describe("Rows with errors (GET /imports/:id/errors, errors.csv)"),
});
export type DryRun = z.infer<typeof DryRunSchema>;

export const ImportSchema = z.object({
  id: IdSchema,
  resource: z.enum(importResources),
  status: z.enum(importStatuses),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  format: z.enum(["csv", "xlsx"]),
  delimiter: z.string().nullable(),
  encoding: z.string().nullable(),
  columns: z.array(z.string()),
  mapping: ImportMappingSchema,
  onDuplicate: z.enum(duplicatePolicies),
  options: z.record(z.string(), z.unknown()),
  rowsTotal: z.number().int(),
  rowsDone: z
    .number()
    .int()
    .describe("The rows the run has committed; while validating, the rows the dry run has checked"),
  rowsPerSecond: z
    .number()
    .nullable()
    .describe("While running or validating: rows committed (checked) per second since the run (dry run) started"),
  eta: z.date().nullable().describe("While running or validating: when it should end at the current rate"),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  dryRun: DryRunSchema.nullable().describe(
    "While validating: the counts of the rows checked so far; then the dry run's, until the mapping changes",
  ),
  createdBy: IdSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  errorSummary: z.string().nullable(),
});
export type Import = z.infer<typeof ImportSchema>;

/** The upload's answer: the import, the file's first rows and the suggested mapping. */
export const UploadedImportSchema = ImportSchema.extend({
  sampleRows: z.array(z.record(z.string(), z.string())).describe("The first 5 rows, by column header"),
});
export type UploadedImport = z.infer<typeof UploadedImportSchema>;

export const UpdateImportSchema = z.strictObject({
  mapping: ImportMappingSchema.optional(),
  onDuplicate: z.enum(duplicatePolicies).optional(),
  options: ImportOptionsSchema.optional(),
});
export type UpdateImport = z.infer<typeof UpdateImportSchema>;

export const RowErrorSchema = z.object({
  line: z.number().int().describe("The row's line in the file (1 is the header)"),
  column: z.string().nullable().describe("The column's header; null when the row as a whole is refused"),
  message: z.string(),
});
export type RowError = z.infer<typeof RowErrorSchema>;

/** `GET /imports/:id/errors`: by line, then by the error's place on its line. */
export const ImportErrorsQuerySchema = z.strictObject({
  limit: pageSizeQuery(500, 100),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
});

export const ImportListQuerySchema = z.strictObject({
  limit: pageSizeQuery(100, 20),
  cursor: z.string().max(200).optional(),
});
