export { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "./records.lifecycle.ts";
export { attachLinkSummaries, linkIncludes, type Linked } from "./records.summaries.ts";
export { runBulkAction, type BulkTarget } from "./records.bulk.ts";
