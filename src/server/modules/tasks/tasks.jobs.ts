import type { BackgroundLoop, JobDefinition } from "../../jobs/definitions.ts";
import { notifyOverdueTasks, sendDueReminders } from "./tasks.reminders.ts";

const reminderBatchSize = 100;

/**
 * Sends task reminders about every second, in every working process at once (each reminder goes
 * out once: see sendDueReminders), so a reminder arrives within about a second of its time.
 */
export const taskReminders: BackgroundLoop = {
  name: "tasks.remind",
  intervalMs: 1000,
  run: async ({ db, config, logger }) =>
    (await sendDueReminders({ db, config, log: logger }, { batchSize: reminderBatchSize })) === reminderBatchSize,
};

/**
 * Every 15 minutes, notifies the assignees of overdue open tasks, once per task and UTC day: a
 * task that falls due is noticed within 15 minutes, and again on each later day it stays open.
 */
export const overdueTaskNotices: JobDefinition = {
  name: "tasks.notify-overdue",
  schedule: "*/15 * * * *",
  options: { retryLimit: 2, retryDelay: 60, expireInSeconds: 600 },
  handler: async (job, { db, logger }) => {
    const made = await notifyOverdueTasks(db, new Date(), undefined, job.signal);
    if (made > 0) logger.info({ notices: made }, "overdue tasks notified");
  },
};
