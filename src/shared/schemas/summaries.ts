import { z } from "zod";
import { IdSchema } from "./common.ts";

/** Short forms of related records, embedded with `include` on every record type. */
export const ContactSummarySchema = z.object({
  id: IdSchema,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
});
export const LeadSummarySchema = z.object({ id: IdSchema, title: z.string(), status: z.string() });
export const DealSummarySchema = z.object({ id: IdSchema, name: z.string(), status: z.string() });
export const CompanySummarySchema = z.object({ id: IdSchema, name: z.string() });
export const UserSummarySchema = z.object({ id: IdSchema, name: z.string(), email: z.string() });
