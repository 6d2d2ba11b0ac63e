import { pgEnum } from "drizzle-orm/pg-core";

// A leaf file (no imports of other modules): other modules' tables use these enums while they are
// being defined, so the catalog's face exports them first, before anything that could import back.
export const productStatus = pgEnum("product_status", ["DRAFT", "SUBMITTED", "CERTIFIED", "REJECTED", "LISTED", "REVOKED"]);

export const productCategory = pgEnum("product_category", [
  "TEA",
  "FRUIT",
  "VEGETABLE",
  "GRAIN_OIL",
  "MEAT_POULTRY_EGG",
  "AQUATIC",
  "HERBAL",
  "PROCESSED_FOOD",
  "HANDICRAFT",
  "OTHER",
]);
