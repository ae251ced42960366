export { deleteRecord, restoreDeletedRecord, type RecordLifecycle } from "./records.lifecycle.ts";
