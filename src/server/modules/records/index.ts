export {
  createRecord,
  createRecordIn,
  deleteRecord,
  restoreRecord,
  recordUpdate,
  updateLockedRecord,
  updateRecordById,
  type RecordType,
} from "./records.write.ts";
export { attachLinkSummaries, linkIncludes, type Linked } from "./records.summaries.ts";
export { runBulkAction, type BulkTarget } from "./records.bulk.ts";
export { recordHistory } from "./records.history.ts";
