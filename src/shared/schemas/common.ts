import { z } from "zod";

/** A record id (UUID). */
export const IdSchema = z.uuid({ message: "Must be a UUID" });

/**
 * A record id a request names for the server to compare with others (a bulk selection, the records
 * of a merge), in lower case as the database writes ids: an id in capitals names the same record.
 */
export const LowerCaseIdSchema = IdSchema.toLowerCase();

/** A money amount as a decimal string with at most 2 decimals: never a float. */
export const DecimalSchema = z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'Must be a decimal string such as "1250.00"');

/** ISO 4217 currency code. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, "Must be a 3-letter ISO 4217 code such as EUR");

/**
 * Years a date may have: PostgreSQL has no year 0 (it answers an error for it), and no CRM date
 * lies before 1900. Four digits at most, as ISO 8601 without an expanded year.
 */
export const minYear = 1900;
const yearMessage = `Must be in the years ${minYear} to 9999`;
// Text that is no date at all is left to the format's own message.
const hasSaneYear = (value: string) => !/^\d{4}-/.test(value) || Number(value.slice(0, 4)) >= minYear;

/** An ISO 8601 instant (UTC or with offset). */
export const DateTimeSchema = z.iso
  .datetime({ offset: true, message: "Must be an ISO 8601 date-time" })
  .refine(hasSaneYear, yearMessage);

/** A calendar date, YYYY-MM-DD. */
export const DateSchema = z.iso.date({ message: "Must be a date, YYYY-MM-DD" }).refine(hasSaneYear, yearMessage);

/**
 * A phone number as people write it ("030 1234567", "+1 (415) 555-2671"): digits, spaces and
 * + ( ) . - /. The server stores it in E.164, read in the workspace's default phone country when it
 * has no country code (server/modules/records/records.phones.ts), and answers it that way.
 */
export const PhoneSchema = z
  .string()
  .trim()
  .max(40, "At most 40 characters")
  .regex(/^\+?[\d\s().\-/]*\d[\d\s().\-/]*$/, "Must be a phone number, like +49 30 1234567");

export const EmailSchema = z.email({ message: "Must be an e-mail address" }).max(254);

/** Short single-line text, trimmed. */
export const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/**
 * What shows nothing on its own: spaces; format, control and private-use characters; characters
 * Unicode says to ignore when they cannot be shown (zero-width ones, soft hyphens, variation
 * selectors, the Hangul fillers); combining marks without a letter to sit on; the blank Braille
 * pattern. `trim` removes only the spaces.
 */
const invisible = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Co}\p{Mn}\p{Me}\u2800]*$/u;

/** Whether text shows anything: a letter, digit, symbol or punctuation mark, not only what `invisible` matches. */
export const showsSomething = (value: string) => !invisible.test(value);

/** Text that must show something: a name made only of invisible characters is no name. */
export const requiredText = (max: number) =>
  text(max)
    .min(1, "Required")
    .refine((value) => value === "" || showsSomething(value), "Required");

/** Tags: trimmed, deduplicated, at most 20 of 50 characters each. */
export const TagsSchema = z
  .array(requiredText(50))
  .max(20, "At most 20 tags")
  .transform((tags) => [...new Set(tags)]);

/** Fields every record answers with. */
export const recordShape = {
  id: IdSchema,
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  createdBy: IdSchema.nullable(),
  deletedAt: z.date().nullable(),
};

/**
 * When a contact, company, lead or deal last had an activity: derived by the server, not written
 * by clients (optional only so that events written before it existed still match).
 */
export const LastActivityAtSchema = z
  .date()
  .nullable()
  .optional()
  .describe(
    "The latest occurredAt of the record's live activities, null without any; read-only. Sort with sort=-lastActivityAt",
  );

/**
 * A page size from the query string. Digits only: `Number()` would also take `0x10`, `1e1`,
 * ` 5` or `5.0`, which no client means as a page size.
 */
export const pageSizeQuery = (max: number, fallback: number, description = `Page size, 1–${max}.`) =>
  z
    .preprocess(
      (value) => (typeof value === "string" && !/^\d+$/.test(value) ? Number.NaN : value),
      z.coerce
        .number({ error: (issue) => (issue.code === "invalid_type" ? "Must be a whole number" : undefined) })
        .int()
        .min(1)
        .max(max)
        .default(fallback),
    )
    .describe(description);

/** Query parameters every list endpoint takes; `filter[…]` keys are validated by the list engine. */
export const ListQuerySchema = z.looseObject({
  limit: pageSizeQuery(200, 50),
  cursor: z.string().max(2000).optional().describe("The nextCursor of the previous page."),
  sort: z.string().max(200).optional().describe("Comma-separated fields, `-` for descending, e.g. `-createdAt`."),
  q: z.string().max(200).optional().describe("Full-text search, tolerant of partial and misspelt words."),
  include: z.string().max(200).optional().describe("Comma-separated related records to embed."),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

/** Query of `GET /x/count`: the list filters and search, without paging. */
export const CountQuerySchema = z.looseObject({
  q: ListQuerySchema.shape.q,
});

/** A page of records. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** A list's count: exact up to 10,000; past that an estimate, marked `isEstimate`. */
export const CountSchema = z.object({
  count: z.number().int(),
  isEstimate: z.literal(true).optional().describe("Present when the count is an estimate (above 10,000)"),
});
export type Count = z.infer<typeof CountSchema>;

/** `{ id }` path parameters. */
export const IdParamsSchema = z.object({ id: IdSchema });
