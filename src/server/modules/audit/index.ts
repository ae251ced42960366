export {
  auditEntryColumns,
  eventColumns,
  recordFact,
  writeAccountAudit,
  writeAudit,
  writeAuditTo,
  type AuditFact,
  type AuditSource,
} from "./audit.service.ts";
export { fieldChanges } from "./audit.changes.ts";
export { listAuditEntries } from "./audit.repository.ts";
export { auditRoutes } from "./audit.routes.ts";
