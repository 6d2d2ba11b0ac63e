import { z } from "zod";
import { fromGlobalIdOf } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/validation.js";
import type { CatalogFilter } from "./catalog.service.js";
import type { CatalogFilter as CatalogFilterInput } from "./product.types.js";

const nonNegativePrice = z.string().refine((v) => !v.startsWith("-"), "must not be negative");

const catalogFilterSchema = z
  .object({
    search: z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters").optional(),
    countyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code such as 433124").optional(),
    category: z.string().optional(),
    enterpriseId: z.string().optional(),
    minPrice: nonNegativePrice.optional(),
    maxPrice: nonNegativePrice.optional(),
    updatedSince: z.date().optional(),
  })
  .refine((f) => f.minPrice == null || f.maxPrice == null || Number(f.minPrice) <= Number(f.maxPrice), {
    message: "must not be below minPrice",
    path: ["maxPrice"],
  });

/** Validates the catalog filter at the edge and decodes the enterprise's global ID. */
export function parseCatalogFilter(input: CatalogFilterInput | undefined | null): CatalogFilter {
  const parsed = parseArgument(catalogFilterSchema, { ...input }, "filter");
  const filter: CatalogFilter = {};
  if (parsed.search != null) filter.search = parsed.search;
  if (parsed.countyCode != null) filter.countyCode = parsed.countyCode;
  if (parsed.category != null) filter.category = parsed.category as CatalogFilter["category"];
  if (parsed.enterpriseId != null) filter.enterpriseId = fromGlobalIdOf("Enterprise", parsed.enterpriseId, "filter.enterpriseId");
  if (parsed.minPrice != null) filter.minPrice = parsed.minPrice;
  if (parsed.maxPrice != null) filter.maxPrice = parsed.maxPrice;
  if (parsed.updatedSince != null) filter.updatedSince = parsed.updatedSince;
  return filter;
}
