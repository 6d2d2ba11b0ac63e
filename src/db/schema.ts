/** Every drizzle table, gathered from the modules (drizzle-kit reads this file). */
export * from "../modules/geography/division.schema.js";
export * from "../modules/enterprises/enterprise.schema.js";
export * from "../modules/catalog/product.schema.js";
