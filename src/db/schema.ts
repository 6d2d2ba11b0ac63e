/**
 * Every drizzle table and enum, gathered from the modules' faces (drizzle-kit and the seeds read
 * this file). Through the faces, so every module is entered by its index.ts (see ARCHITECTURE.md).
 */
export { divisions, divisionLevel, type DivisionRow } from "../modules/geography/index.js";
export {
  enterprises,
  enterpriseKind,
  enterpriseStatus,
  enterpriseStatusHistory,
  type EnterpriseRow,
  type EnterpriseStatusRow,
} from "../modules/enterprises/index.js";
export { products, productStatus, productCategory, type ProductRow } from "../modules/catalog/index.js";
export { users, loginFailures, userRole, type UserRow } from "../modules/accounts/index.js";
export { apiKeys, rateLimitWindows, type ApiKeyRow } from "../modules/api-keys/index.js";
export { auditLog, type AuditRow } from "../modules/audit/index.js";
export { certificationEvents, certificationEventKind, catalogSequences, type CertificationEventRow } from "../modules/certification/index.js";
export {
  budgetUnits,
  budgetUnitLevel,
  quotas,
  quotaRevisions,
  orders,
  orderStatus,
  orderChannel,
  type BudgetUnitRow,
  type QuotaRow,
  type OrderRow,
} from "../modules/procurement/index.js";
export { households, householdStatus, type HouseholdRow } from "../modules/households/index.js";
export { pairings, pairingMode, type PairingRow } from "../modules/pairings/index.js";
export { benefitLinks, benefitMechanism, type BenefitLinkRow } from "../modules/benefit-links/index.js";
export { dataQualityResolutions, dataQualityResolution, type DataQualityResolutionRow } from "../modules/data-quality/index.js";
export { outboxEvents, type OutboxEventRow } from "../modules/outbox/index.js";
export { notifications, notificationReads, notificationKind, notificationRecipient, type NotificationRow } from "../modules/notifications/index.js";
export { salesReports, salesLines, salesChannel, type SalesReportRow, type SalesLineRow } from "../modules/sales/index.js";
export { collectiveIncomes, collectiveIncomeSource, type CollectiveIncomeRow } from "../modules/collective-income/index.js";
export {
  webhookEvent,
  webhookDeliveryStatus,
  webhookSubscriptions,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookFanoutCursor,
} from "../modules/webhooks/index.js";
