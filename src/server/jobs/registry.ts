import { auditSealer } from "../modules/audit/audit.jobs.ts";
import { dashboardTalliesCompactor } from "../modules/dashboard/dashboard.jobs.ts";
import { exportFilesPruner, runExportFileJob } from "../modules/exports/exports.jobs.ts";
import { dryRunImportJob, importFilesPruner, runImportJob } from "../modules/imports/imports.jobs.ts";
import { eventsRelay, outboxPruner } from "../modules/outbox/outbox.jobs.ts";
import { deliverWebhook } from "../modules/webhooks/webhooks.jobs.ts";
import { overdueTaskNotices, taskReminders } from "../modules/tasks/tasks.jobs.ts";
import { bulkRecordsPruner, runBulkOperation } from "../modules/records/records.bulk.jobs.ts";
import type { BackgroundLoop, JobDefinition } from "./definitions.ts";

/**
 * Every job queue of Keel, listed explicitly (as app.ts lists modules): a module exports its
 * definition from `<domain>.jobs.ts` and adds one line here. Every process creates these queues;
 * the working ones (`keel serve` unless WORKERS=false, `keel worker`) run their handlers.
 */
export const jobDefinitions: readonly JobDefinition[] = [
  overdueTaskNotices,
  deliverWebhook,
  outboxPruner,
  runBulkOperation,
  bulkRecordsPruner,
  runImportJob,
  dryRunImportJob,
  runExportFileJob,
  exportFilesPruner,
  importFilesPruner,
  dashboardTalliesCompactor,
];

/** Every background loop of Keel (outbox relay, audit sealer…), run by each working process. */
export const backgroundLoops: readonly BackgroundLoop[] = [auditSealer, taskReminders, eventsRelay];
