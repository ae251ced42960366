import { z } from "zod";
import { IdSchema, ListQuerySchema, requiredText } from "./common.ts";
import { UserSummarySchema } from "./summaries.ts";

/** The lists a saved view can belong to (their paths under /api/v1). */
export const viewResources = ["contacts", "companies", "leads", "deals", "activities", "tasks"] as const;
export type ViewResource = (typeof viewResources)[number];

/** Private views are their owner's alone; shared ones are offered to the whole workspace. */
export const viewVisibilities = ["private", "shared"] as const;

/** The operators of `filter[field][op]` in list requests. */
export const filterOperators = ["eq", "ne", "in", "gt", "gte", "lt", "lte", "contains", "empty"] as const;

export const maxViewFilters = 20;
export const maxViewColumns = 50;
/** The narrowest and widest a user may make a list column, in pixels (the web table keeps to them too). */
export const minColumnWidth = 64;
export const maxColumnWidth = 640;

/**
 * One condition of a view: `filter[field][op]=value` of the list it belongs to, with the same
 * values (`v1,v2` for `in`, `me` for the caller, `now` in date-time filters, `true|false` for
 * `empty`). `{ field: "deleted", op: "eq", value: "true" }` is the trash.
 */
export const ViewFilterSchema = z.strictObject({
  field: requiredText(100),
  op: z.enum(filterOperators),
  value: z.string().max(2000, "At most 2000 characters"),
});
export type ViewFilter = z.infer<typeof ViewFilterSchema>;

/** A saved view as the API answers it. */
export const SavedViewSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  resource: z.enum(viewResources),
  visibility: z.enum(viewVisibilities),
  ownerId: IdSchema.describe("Who created the view"),
  filters: z.array(ViewFilterSchema),
  sort: z.string().nullable().describe("The list's `sort` parameter; null means the list's default"),
  columns: z.array(z.string()).describe("Column keys in display order; empty means the list's default columns"),
  q: z.string().nullable().describe("The list's `q` search, if any"),
  columnWidths: z
    .record(z.string(), z.number().int())
    .describe("Widths in pixels the user gave columns, by column key; a column not named keeps its default width"),
  createdAt: z.date(),
  updatedAt: z.date(),
  owner: UserSummarySchema.nullable().optional().describe("With include=owner"),
});
export type SavedView = z.infer<typeof SavedViewSchema>;

const FiltersSchema = z.array(ViewFilterSchema).max(maxViewFilters, `At most ${maxViewFilters} filters`);
const SortSchema = z.string().trim().max(200, "At most 200 characters");
const columnKeyMessage = "Must be a column key: a letter, then letters, digits, _ . or -";
/** A column key of the list's table: the app decides which columns a list has (some are computed, like a full name). */
const ColumnKeySchema = z.string().regex(/^[A-Za-z][\w.-]{0,63}$/, columnKeyMessage);
const ColumnsSchema = z
  .array(ColumnKeySchema)
  .max(maxViewColumns, `At most ${maxViewColumns} columns`)
  .transform((columns) => [...new Set(columns)]);
const widthMessage = `Must be a whole number of pixels from ${minColumnWidth} to ${maxColumnWidth}`;
/** Column widths by column key, within the bounds the table lets a user drag a column to. */
const ColumnWidthsSchema = z
  .record(
    ColumnKeySchema,
    z
      .number({ error: widthMessage })
      .int({ error: widthMessage, abort: true })
      .min(minColumnWidth, widthMessage)
      .max(maxColumnWidth, widthMessage),
    // A key the record refuses is reported with the key rule's own words, on the key's path.
    { error: (issue) => (issue.code === "invalid_key" ? columnKeyMessage : undefined) },
  )
  .refine((widths) => Object.keys(widths).length <= maxViewColumns, `At most ${maxViewColumns} column widths`);
const SearchSchema = z.string().trim().max(200, "At most 200 characters");

const checkedHelp = "Checked against the list of `resource`, as the list itself would check it";

/** POST /views. */
export const CreateSavedViewSchema = z.strictObject({
  name: requiredText(100),
  resource: z.enum(viewResources),
  visibility: z.enum(viewVisibilities).default("private").describe("shared: admins and managers only"),
  filters: FiltersSchema.default([]).describe(checkedHelp),
  sort: SortSchema.nullable().optional().describe(checkedHelp),
  columns: ColumnsSchema.default([]).describe(checkedHelp),
  q: SearchSchema.nullable().optional(),
  columnWidths: ColumnWidthsSchema.default({}).describe(
    `Pixels (${minColumnWidth}–${maxColumnWidth}) by column key, for at most ${maxViewColumns} columns; a column not named keeps its default width`,
  ),
});
export type CreateSavedView = z.infer<typeof CreateSavedViewSchema>;

/** PATCH /views/:id; a view keeps its resource and owner. */
export const UpdateSavedViewSchema = z.strictObject({
  name: requiredText(100).optional(),
  visibility: z.enum(viewVisibilities).optional().describe("shared: admins and managers only"),
  filters: FiltersSchema.optional().describe(`Replaces the whole list. ${checkedHelp}`),
  sort: SortSchema.nullable().optional(),
  columns: ColumnsSchema.optional().describe("Replaces the whole list"),
  q: SearchSchema.nullable().optional(),
  columnWidths: ColumnWidthsSchema.optional().describe("Replaces all the view's widths; {} goes back to the defaults"),
});
export type UpdateSavedView = z.infer<typeof UpdateSavedViewSchema>;

/** GET /views: the list parameters, and `resource` to get the views of one list. */
export const ListSavedViewsQuerySchema = ListQuerySchema.extend({
  resource: z.enum(viewResources).optional().describe("Only the views of this list"),
});
