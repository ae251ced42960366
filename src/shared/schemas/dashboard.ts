import { z } from "zod";
import { DateTimeSchema, IdSchema } from "./common.ts";
import { leadStatuses } from "./lead.ts";

import { dashboardRanges, type DashboardRange } from "../vocabulary.ts";

export { dashboardRanges, type DashboardRange };
/** How the time series are bucketed; weeks start on Monday. */
export const dashboardBuckets = ["day", "week", "month"] as const;
export type DashboardBucket = (typeof dashboardBuckets)[number];
/** The record types of the recent items. */
export const recentItemTypes = ["contact", "company", "lead", "deal", "task"] as const;
/** Longest period the time series may cover. */
export const maxDashboardDays = 732;
/** Most buckets a time series may have. */
export const maxDashboardBuckets = 400;

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

/** GET /dashboard. */
export const DashboardQuerySchema = z.strictObject({
  range: z
    .enum(Object.keys(dashboardRanges) as [DashboardRange, ...DashboardRange[]])
    .optional()
    .describe("The period of the time series, ending at `to`; 90d unless `from` is given"),
  from: DateTimeSchema.optional().describe("Start of the period (inclusive); instead of range"),
  to: DateTimeSchema.optional().describe("End of the period (exclusive); defaults to now"),
  bucket: z.enum(dashboardBuckets).optional().describe("Defaults to day up to 31 days, week up to 183, else month"),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, "Must be an IANA time zone such as Europe/Berlin")
    .default("UTC")
    .describe("Where days, weeks and months begin, and what 'today' is for tasks"),
  pipelineId: IdSchema.optional().describe("The pipeline of the stage breakdown; defaults to the default pipeline"),
});
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

/** Amounts of one currency: Keel stores no exchange rates yet, so currencies are never added together. */
export const CurrencyAmountSchema = z.object({
  currency: z.string(),
  value: z.string().describe('Sum of deal values, decimal string, e.g. "1250.00"'),
  weightedValue: z.string().describe("Sum of value × probability / 100 of each deal"),
});
export type CurrencyAmount = z.infer<typeof CurrencyAmountSchema>;

const DealTotalsSchema = z.object({
  count: z.number().int(),
  amounts: z.array(CurrencyAmountSchema).describe("One entry per currency, the base currency first"),
});

const TaskCountsSchema = z.object({
  open: z.number().int().describe("Not completed"),
  dueToday: z.number().int().describe("Not completed, due from now until the end of today"),
  overdue: z.number().int().describe("Not completed, due before now"),
});

const estimatedCountText = "Exact up to 10,000 (as list counts); a larger count is the database's estimate";
/** Marks a total as an estimate, as `isEstimate` marks a list's count: present only then. */
const estimateMark = (total: string) =>
  z
    .literal(true)
    .optional()
    .describe(`Present when ${total} is an estimate (above 10,000); money and the other totals are always exact`);

/** GET /dashboard: every widget of the dashboard page, for the caller's workspace. */
export const DashboardSchema = z.object({
  period: z.object({
    from: z.date(),
    to: z.date(),
    bucket: z.enum(dashboardBuckets),
    timeZone: z.string(),
  }),
  baseCurrency: z.string(),
  totals: z.object({
    contacts: z.number().int().describe(estimatedCountText),
    contactsIsEstimate: estimateMark("contacts"),
    companies: z.number().int().describe(estimatedCountText),
    companiesIsEstimate: estimateMark("companies"),
    openLeads: z.number().int().describe("Leads that are new, contacted or qualified"),
    openDeals: DealTotalsSchema,
    openTasks: z.number().int(),
  }),
  leadsByStatus: z.array(z.object({ status: z.enum(leadStatuses), count: z.number().int() })),
  contactGrowth: z
    .array(
      z.object({
        start: z.date(),
        count: z.number().int().describe("Contacts created in this bucket"),
        cumulative: z
          .number()
          .int()
          .describe("Contacts created up to the end of this bucket: an estimate when totals.contacts is one"),
      }),
    )
    .describe("One entry per bucket of the period, empty ones included"),
  pipeline: z
    .object({
      id: IdSchema,
      name: z.string(),
      stages: z.array(
        z.object({
          id: IdSchema,
          name: z.string(),
          position: z.number().int(),
          probability: z.number().int(),
          isWon: z.boolean(),
          isLost: z.boolean(),
          count: z.number().int(),
          amounts: z.array(CurrencyAmountSchema),
        }),
      ),
    })
    .nullable()
    .describe("Deals per stage now (not limited to the period); null without a default pipeline"),
  activitiesByType: z
    .object({
      types: z
        .array(z.object({ key: z.string(), label: z.string() }))
        .describe(
          "The workspace's activity types in its order, then any type removed since that has activities in the period",
        ),
      buckets: z
        .array(
          z.object({
            start: z.date(),
            counts: z.record(z.string(), z.number().int()).describe("Activities per type key, every type counted"),
          }),
        )
        .describe("One entry per bucket"),
    })
    .describe("Activities by when they occurred, counted per type"),
  tasks: TaskCountsSchema.extend({ mine: TaskCountsSchema.describe("Tasks assigned to the caller") }),
  recent: z
    .array(
      z.object({
        type: z.enum(recentItemTypes),
        id: IdSchema,
        title: z.string(),
        createdAt: z.date(),
        updatedAt: z.date(),
      }),
    )
    .describe("The 10 most recently created or changed records, newest first"),
});
export type Dashboard = z.infer<typeof DashboardSchema>;
