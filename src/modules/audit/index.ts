/** The audit log: every change, who made it and when. The module's face. */
import type { AuditService } from "./audit.service.js";

export { AuditResolver } from "./audit.resolver.js";
export { AuditService } from "./audit.service.js";
export { auditLog, type AuditRow } from "./audit.schema.js";
// The SQL piece other modules compose when a write and its audit entry must be one statement.
export { type AuditEntriesOf, createdChanges, insertAuditEntries } from "./audit-entry.sql.js";

declare module "../../graphql/context.js" {
  interface Services {
    audit: AuditService;
  }
}
