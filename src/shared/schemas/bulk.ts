import { z } from "zod";
import { IdSchema } from "./common.ts";

/** What `POST /x/bulk` can do to a selection of records. */
export const bulkActions = ["delete", "restore", "assign"] as const;
export type BulkActionName = (typeof bulkActions)[number];

/** Most records one bulk request may name. */
export const maxBulkIds = 500;

const bulkRequestSchema = <T extends readonly [BulkActionName, ...BulkActionName[]]>(actions: T) =>
  z
    .strictObject({
      action: z.enum(actions),
      ids: z
        .array(IdSchema)
        .min(1, "At least one id")
        .max(maxBulkIds, `At most ${maxBulkIds} ids`)
        .transform((ids) => [...new Set(ids)])
        .describe("The records to act on; repeats count once"),
      ownerId: IdSchema.nullable()
        .optional()
        .describe("assign only: the new owner (for tasks, the assignee); null leaves the records unassigned"),
    })
    .superRefine(
      (body, context) => {
        // Runs even when other fields failed, so one answer names every problem.
        const raw = body as Record<string, unknown>;
        if (raw.action === "assign" && raw.ownerId === undefined) {
          context.addIssue({ code: "custom", path: ["ownerId"], message: "Required to assign" });
        }
        if (raw.action !== "assign" && raw.ownerId !== undefined) {
          context.addIssue({ code: "custom", path: ["ownerId"], message: "Only with assign" });
        }
      },
      { when: (payload) => typeof payload.value === "object" && payload.value !== null },
    );

/** Body of `POST /x/bulk` for records with an owner (or, for tasks, an assignee). */
export const BulkRequestSchema = bulkRequestSchema(["delete", "restore", "assign"]);
/** Body of `POST /x/bulk` for records nobody owns (activities): delete and restore only. */
export const BulkLifecycleRequestSchema = bulkRequestSchema(["delete", "restore"]);
export type BulkRequest = z.infer<typeof BulkRequestSchema>;

/** Answer of `POST /x/bulk`: every named record was changed, or (on any error) none was. */
export const BulkResultSchema = z.object({
  updated: z.number().int().describe("How many records changed"),
  ids: z.array(IdSchema).describe("The records changed, in the order given"),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
