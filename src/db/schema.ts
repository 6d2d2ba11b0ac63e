/** Every drizzle table, gathered from the modules (drizzle-kit reads this file). */
export * from "../modules/geography/division.schema.js";
export * from "../modules/enterprises/enterprise.schema.js";
export * from "../modules/catalog/product.schema.js";
export * from "../modules/accounts/account.schema.js";
export * from "../modules/api-keys/api-key.schema.js";
export * from "../modules/audit/audit.schema.js";
export * from "../modules/certification/certification.schema.js";
export * from "../modules/procurement/procurement.schema.js";
export * from "../modules/households/household.schema.js";
export * from "../modules/pairings/pairing.schema.js";
export * from "../modules/benefit-links/benefit-link.schema.js";
