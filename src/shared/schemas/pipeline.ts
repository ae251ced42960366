import { z } from "zod";
import { IdSchema, recordShape, requiredText } from "./common.ts";

/** The most stages a pipeline may have. */
export const maxStages = 30;

/** A default win probability in percent, 0–100. */
export const ProbabilitySchema = z.number().int("Must be a whole number").min(0, "At least 0").max(100, "At most 100");

/** One step of a pipeline as the API answers it. */
export const StageSchema = z.object({
  id: IdSchema,
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  isWon: z.boolean(),
  isLost: z.boolean(),
  archivedAt: z
    .date()
    .nullable()
    .describe("Set: the stage takes no new deals (422); the deals in it stay until moved out"),
});
export type Stage = z.infer<typeof StageSchema>;

/** A pipeline as the API answers it, with its stages. */
export const PipelineSchema = z.object({
  ...recordShape,
  name: z.string(),
  isDefault: z.boolean(),
  stages: z.array(StageSchema).describe("Ordered by position"),
});
export type Pipeline = z.infer<typeof PipelineSchema>;

const stageFields = {
  probability: ProbabilitySchema.optional().describe("Defaults to 100 for a won stage, else 0"),
  isWon: z.boolean().optional(),
  isLost: z.boolean().optional(),
};

const notBothWonAndLost = (stage: { isWon?: boolean | undefined; isLost?: boolean | undefined }) =>
  !(stage.isWon && stage.isLost);
const bothMessage = { message: "A stage cannot be both won and lost", path: ["isLost"] };

/** A new stage: its position is its place in the list. */
export const CreateStageSchema = z
  .strictObject({ name: requiredText(100), ...stageFields })
  .refine(notBothWonAndLost, bothMessage);
export type CreateStage = z.infer<typeof CreateStageSchema>;

/** A stage in a replacement list: with `id` it updates that stage (omitted fields keep their value), without it creates one. */
export const StageInputSchema = z
  .strictObject({
    id: IdSchema.optional(),
    name: requiredText(100).optional(),
    ...stageFields,
    isArchived: z.boolean().optional().describe("true archives the stage, false brings it back"),
  })
  .refine(notBothWonAndLost, bothMessage)
  .refine((stage) => stage.id !== undefined || stage.name !== undefined, { message: "Required", path: ["name"] });
export type StageInput = z.infer<typeof StageInputSchema>;

/** Stage lists: 1–30 stages, names unique (ignoring case), each id at most once. */
function stageList<T extends z.ZodType<{ id?: string | undefined; name?: string | undefined }>>(item: T) {
  return z
    .array(item)
    .min(1, "At least one stage")
    .max(maxStages, `At most ${maxStages} stages`)
    .superRefine((stages, ctx) => {
      const names = new Set<string>();
      const ids = new Set<string>();
      stages.forEach((stage, index) => {
        const name = stage.name?.toLowerCase();
        if (name !== undefined && names.has(name))
          ctx.addIssue({ code: "custom", path: [index, "name"], message: "Stage names must be unique" });
        if (name !== undefined) names.add(name);
        if (stage.id !== undefined && ids.has(stage.id))
          ctx.addIssue({ code: "custom", path: [index, "id"], message: "Listed twice" });
        if (stage.id !== undefined) ids.add(stage.id);
      });
    });
}

/** Body of POST /pipelines. */
export const CreatePipelineSchema = z.strictObject({
  name: requiredText(100),
  isDefault: z.boolean().default(false).describe("true makes it the workspace's default pipeline"),
  stages: stageList(CreateStageSchema).describe("In order; position is the place in this list"),
});
export type CreatePipeline = z.infer<typeof CreatePipelineSchema>;

/** Body of PATCH /pipelines/:id. */
export const UpdatePipelineSchema = z.strictObject({
  name: requiredText(100).optional(),
  isDefault: z.boolean().optional().describe("true makes it the default (the previous default loses the flag)"),
  stages: stageList(StageInputSchema)
    .optional()
    .describe(
      "The full new list: stages with id are kept and updated, stages without id are created, stages left out are removed (409 while deals use them: archive those instead). At least one stage must stay unarchived",
    ),
});
export type UpdatePipeline = z.infer<typeof UpdatePipelineSchema>;
