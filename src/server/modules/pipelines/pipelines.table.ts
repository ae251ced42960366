import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { recordColumns, timestamptz } from "../../db/columns.ts";

/** A sales (or admissions) process: an ordered list of stages deals move through. */
export const pipelines = pgTable(
  "pipelines",
  {
    ...recordColumns(),
    name: text().notNull(),
    isDefault: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("pipelines_workspace_id_name_lower_idx")
      .on(t.workspaceId, sql`lower(${t.name})`)
      .where(sql`deleted_at is null`),
    uniqueIndex("pipelines_workspace_id_default_idx")
      .on(t.workspaceId)
      .where(sql`is_default and deleted_at is null`),
  ],
);

/** One step of a pipeline. A won or lost stage closes the deals in it; an archived one takes no new deals. */
export const pipelineStages = pgTable(
  "pipeline_stages",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    pipelineId: uuid().notNull(),
    name: text().notNull(),
    position: integer().notNull(),
    probability: integer().notNull().default(0),
    isWon: boolean().notNull().default(false),
    isLost: boolean().notNull().default(false),
    /** Set: no new deal goes into the stage; the deals already in it stay. */
    archivedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    // Lets deals reference (pipeline, stage) together, so a stage can't belong to another pipeline.
    unique("pipeline_stages_workspace_id_pipeline_id_id_key").on(t.workspaceId, t.pipelineId, t.id),
    foreignKey({
      name: "pipeline_stages_pipeline_fk",
      columns: [t.workspaceId, t.pipelineId],
      foreignColumns: [pipelines.workspaceId, pipelines.id],
    }).onDelete("cascade"),
    index("pipeline_stages_workspace_id_pipeline_id_position_idx").on(t.workspaceId, t.pipelineId, t.position),
  ],
);
