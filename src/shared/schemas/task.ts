import { z } from "zod";
import { UserSummarySchema } from "./summaries.ts";
import { linkInputShape, linkShape } from "./activity.ts";
import { DateTimeSchema, IdSchema, recordShape, requiredText } from "./common.ts";

/** How urgent a task is. */
export const taskPriorities = ["low", "medium", "high"] as const;
/** Where a task stands; only completing sets completedAt. */
export const taskStatuses = ["open", "in_progress", "completed"] as const;
/** Most tasks one task may depend on. */
export const maxDependencies = 50;

/** A dependency as embedded with `include=dependencies`. */
export const TaskSummarySchema = z.object({ id: IdSchema, title: z.string(), status: z.enum(taskStatuses) });

/** A task as the API answers it, always with its dependency ids. */
export const TaskSchema = z.object({
  ...recordShape,
  title: z.string(),
  description: z.string().nullable(),
  dueAt: z.date().nullable(),
  priority: z.enum(taskPriorities),
  status: z.enum(taskStatuses),
  completedAt: z.date().nullable().describe("Set by completing, cleared by reopening"),
  assigneeId: IdSchema.nullable(),
  dependsOn: z.array(IdSchema).describe("Tasks that must be completed first"),
  remindAt: z.date().nullable(),
  ...linkShape,
  assignee: UserSummarySchema.nullable().optional().describe("With include=assignee"),
  dependencies: z.array(TaskSummarySchema).optional().describe("With include=dependencies"),
});
export type Task = z.infer<typeof TaskSchema>;

const DescriptionSchema = z.string().max(10_000, "At most 10000 characters");
const DependsOnSchema = z
  .array(IdSchema)
  .max(maxDependencies, `At most ${maxDependencies} dependencies`)
  .transform((ids) => [...new Set(ids)]);

const statusHelp = "Setting completed follows the rules of POST /tasks/:id/complete; leaving it those of /reopen";

/** POST /tasks. */
export const CreateTaskSchema = z.strictObject({
  title: requiredText(200),
  description: DescriptionSchema.nullable().optional(),
  dueAt: DateTimeSchema.nullable().optional(),
  priority: z.enum(taskPriorities).default("medium"),
  status: z.enum(taskStatuses).default("open").describe(statusHelp),
  assigneeId: IdSchema.nullable().optional().describe("Defaults to the caller; null leaves the task unassigned"),
  dependsOn: DependsOnSchema.default([]),
  remindAt: DateTimeSchema.nullable().optional(),
  ...linkInputShape,
});
export type CreateTask = z.infer<typeof CreateTaskSchema>;

/** PATCH /tasks/:id; `dependsOn` replaces the whole set. */
export const UpdateTaskSchema = z.strictObject({
  title: requiredText(200).optional(),
  description: DescriptionSchema.nullable().optional(),
  dueAt: DateTimeSchema.nullable().optional(),
  priority: z.enum(taskPriorities).optional(),
  status: z.enum(taskStatuses).optional().describe(statusHelp),
  assigneeId: IdSchema.nullable().optional(),
  dependsOn: DependsOnSchema.optional().describe("Replaces the whole set"),
  remindAt: DateTimeSchema.nullable().optional(),
  ...linkInputShape,
});
export type UpdateTask = z.infer<typeof UpdateTaskSchema>;
