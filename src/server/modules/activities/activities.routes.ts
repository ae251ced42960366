import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ActivitySchema, CreateActivitySchema, UpdateActivitySchema } from "../../../shared/schemas/activity.ts";
import { registerRecordRoutes } from "../../http/record-routes.ts";
import { activitiesListSpec } from "./activities.repository.ts";
import {
  countActivityRows,
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  restoreActivity,
  updateActivity,
} from "./activities.service.ts";
import { activityType } from "./activities.service.ts";

/** /activities: the standard record endpoints; timelines are filtered lists. */
export const activitiesRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/activities",
    tag: "Activities",
    noun: "activity",
    plural: "activities",
    history: activityType,
    listSpec: activitiesListSpec,
    schemas: { record: ActivitySchema, create: CreateActivitySchema, update: UpdateActivitySchema },
    service: {
      list: listActivities,
      count: countActivityRows,
      get: getActivity,
      create: createActivity,
      update: updateActivity,
      delete: deleteActivity,
      restore: restoreActivity,
    },
    bulk: { resource: "activity", assignField: null },
  });
};
