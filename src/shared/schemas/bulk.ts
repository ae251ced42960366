import { z } from "zod";
import { IdSchema, LowerCaseIdSchema, TagsSchema, pageSizeQuery } from "./common.ts";
import { UpdateCompanySchema } from "./company.ts";
import { UpdateContactSchema } from "./contact.ts";
import { UpdateDealSchema } from "./deal.ts";
import { UpdateLeadSchema } from "./lead.ts";
import { UpdateTaskSchema } from "./task.ts";

/** What `POST /x/bulk` can do to a selection of records. */
export const bulkActions = ["update", "assign", "addTags", "removeTags", "delete", "restore"] as const;
export type BulkActionName = (typeof bulkActions)[number];

/** Most ids one bulk request may name; a larger selection is a `filter`. */
export const maxBulkIds = 10_000;
/** Above this many matched records a bulk action runs as a background job (202). */
export const syncBulkLimit = 1_000;
/** Refused records an answer lists (refusedCount counts them all). */
export const refusedListLimit = 100;
/** How long a bulk operation can be undone. */
export const bulkUndoWindowMs = 24 * 60 * 60 * 1000;

/**
 * The fields `update` may set, per collection: those that make sense for many records at once
 * (a status, a stage, an owner, a date), never names, e-mail addresses or links to one record.
 */
export const bulkUpdateFields = {
  contacts: UpdateContactSchema.pick({ lifecycle: true, ownerId: true, source: true }),
  companies: UpdateCompanySchema.pick({ ownerId: true, industry: true }),
  leads: UpdateLeadSchema.pick({ status: true, lostReason: true, ownerId: true, priority: true, source: true }),
  deals: UpdateDealSchema.pick({
    pipelineId: true,
    stageId: true,
    lostReason: true,
    ownerId: true,
    expectedCloseDate: true,
  }),
  tasks: UpdateTaskSchema.pick({ status: true, assigneeId: true, dueAt: true, priority: true }),
} as const;
export type BulkCollection = keyof typeof bulkUpdateFields | "activities";
/** Every collection bulk actions run on. */
export const bulkCollections: readonly BulkCollection[] = [
  ...(Object.keys(bulkUpdateFields) as BulkCollection[]),
  "activities",
];

/** The list's own query parameters (`filter[field][op]`, `q`) as an object: what the list shows. */
const FilterSchema = z
  .record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()]))
  .refine((filter) => Object.keys(filter).length <= 50, "At most 50 parameters")
  .describe('The list\'s query parameters, e.g. `{ "filter[lifecycle]": "lead", "q": "ada" }`');

const IdsSchema = z
  .array(LowerCaseIdSchema)
  .min(1, "At least one id")
  .max(maxBulkIds, `At most ${maxBulkIds} ids; use filter for more`)
  .transform((ids) => [...new Set(ids)])
  .describe("The records to act on; repeats count once");

const TagList = TagsSchema.refine((tags) => tags.length > 0, "At least one tag");

const selection = { ids: IdsSchema.optional(), filter: FilterSchema.optional() };

/** The body of `POST /x/bulk` for one collection: the actions its records support. */
export function bulkRequestSchema(collection: BulkCollection) {
  const hasOwner = collection !== "activities";
  const hasTags = ["contacts", "companies", "leads", "deals"].includes(collection);
  const fields = collection === "activities" ? null : bulkUpdateFields[collection];
  const variants = [
    z.strictObject({ action: z.literal("delete"), ...selection }),
    z.strictObject({ action: z.literal("restore"), ...selection }),
    ...(hasOwner
      ? [
          z.strictObject({
            action: z.literal("assign"),
            ...selection,
            ownerId: IdSchema.nullable().describe("The new owner (a task's assignee); null: nobody"),
          }),
        ]
      : []),
    ...(fields
      ? [
          z.strictObject({
            action: z.literal("update"),
            ...selection,
            fields: (fields as z.ZodObject).refine((value) => Object.keys(value).length > 0, "At least one field"),
          }),
        ]
      : []),
    ...(hasTags
      ? [
          z.strictObject({ action: z.literal("addTags"), ...selection, tags: TagList }),
          z.strictObject({
            action: z.literal("removeTags"),
            ...selection,
            tags: TagList,
          }),
        ]
      : []),
  ] as const;
  return z
    .discriminatedUnion("action", variants as unknown as [z.ZodObject, ...z.ZodObject[]])
    .superRefine((body, context) => {
      const raw = body as { ids?: unknown; filter?: unknown };
      if ((raw.ids === undefined) === (raw.filter === undefined)) {
        context.addIssue({ code: "custom", path: ["ids"], message: "Give either ids or filter" });
      }
    });
}

/** A bulk request as the server runs it (any collection). */
export type BulkRequest = {
  action: BulkActionName;
  ids?: string[];
  filter?: Record<string, string | number | boolean>;
  ownerId?: string | null;
  fields?: Record<string, unknown>;
  tags?: string[];
};

export const RefusedRecordSchema = z.object({
  id: IdSchema,
  message: z.string().describe("Why this record was left as it is, for the person who asked"),
});
export type RefusedRecord = z.infer<typeof RefusedRecordSchema>;

export const bulkStatuses = ["queued", "running", "completed", "failed", "undone"] as const;

/** A bulk operation, as `POST /x/bulk` (200) and `GET /bulk-operations/:id` answer it. */
export const BulkOperationSchema = z.object({
  operationId: IdSchema,
  status: z.enum(bulkStatuses),
  resource: z.string().describe("The collection: contacts, deals…"),
  action: z.enum(bulkActions),
  matched: z.number().int().describe("Records the selection matched when the operation started"),
  done: z.number().int().describe("Records looked at so far (changed or refused)"),
  updated: z.number().int().describe("Records changed"),
  refusedCount: z.number().int(),
  refused: z.array(RefusedRecordSchema).describe(`The first ${refusedListLimit} refused records`),
  createdBy: IdSchema.nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  undoableUntil: z.date().nullable().describe("Null once undone, or when it changed nothing"),
  error: z.string().nullable().describe("Why a failed operation stopped"),
});
export type BulkOperation = z.infer<typeof BulkOperationSchema>;

/** Answer of `POST /x/bulk` above the synchronous limit: the operation runs as a job. */
export const BulkQueuedSchema = z.object({ operationId: IdSchema, status: z.literal("queued") });

export const BulkOperationPageSchema = z.object({
  data: z.array(BulkOperationSchema),
  nextCursor: z.string().nullable(),
});

export const BulkOperationListQuerySchema = z.strictObject({
  limit: pageSizeQuery(100, 20),
  cursor: z.string().max(200).optional(),
});
