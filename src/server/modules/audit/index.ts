export {
  recordFact,
  recordFactsOfMany,
  writeAccountAudit,
  writeAudit,
  writeAuditTo,
  type AuditFact,
  type AuditSource,
  type RecordSubject,
} from "./audit.service.ts";
export { fieldChanges } from "./audit.changes.ts";
export { listAuditEntries } from "./audit.repository.ts";
export { auditRoutes } from "./audit.routes.ts";
