import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import type { RequestContext } from "../../graphql/context.js";
import { idOf, optional, parseArgument } from "../../graphql/inputs.js";
import { OrderDirection } from "../../graphql/page-args.js";
import { DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";
import { countyScope } from "../geography/index.js";
import type { CatalogFilter as CatalogQuery, ProductOrder as ProductOrderArgument } from "./catalog.service.js";
import { productCategory } from "./product.enums.js";
import { ProductCategory, ProductOrderField } from "./product.types.js";

/**
 * The public catalog's inputs, each next to its zod schema: IDs decoded here, explicit null equals
 * absent, and the output is exactly what CatalogService takes.
 */

export const nonNegativePrice = z.string().refine((v) => !v.startsWith("-"), "must not be negative");
export const searchText = z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters");
/** A county filter before `countyScope` checks it names a county (or the prefecture: all). */
export const countyCodeFilter = z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code such as 433124");

@InputType({ description: "Sort order; ties are broken by ID, so pages never repeat or skip rows." })
export class ProductOrder implements ProductOrderArgument {
  @Field(() => ProductOrderField)
  field!: keyof typeof ProductOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

@InputType({ description: "Filters of the public catalog; all given filters must match." })
export class CatalogFilter {
  @Field(() => String, { nullable: true, description: "Substring of the product name, brand or enterprise name (e.g. 百合)." })
  search?: string;

  @Field(() => String, { nullable: true, description: "Origin county code; the prefecture 433100 means all counties." })
  countyCode?: string;

  @Field(() => ProductCategory, { nullable: true })
  category?: keyof typeof ProductCategory;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Unit price at least this (yuan)." })
  minPrice?: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Unit price at most this (yuan)." })
  maxPrice?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: "Changed at or after this instant (incremental sync)." })
  updatedSince?: Date;
}

const catalogFilterSchema = z
  .object({
    search: optional(searchText),
    countyCode: optional(countyCodeFilter),
    category: optional(z.enum(productCategory.enumValues)),
    enterpriseId: optional(idOf("Enterprise")),
    minPrice: optional(nonNegativePrice),
    maxPrice: optional(nonNegativePrice),
    updatedSince: optional(z.date()),
  })
  .refine((f) => f.minPrice == null || f.maxPrice == null || Number(f.minPrice) <= Number(f.maxPrice), {
    message: "must not be below minPrice",
    path: ["maxPrice"],
  });

/** `catalog(filter:)`: validated, the enterprise's ID decoded, the county checked (433100 means all). */
export async function parseCatalogFilter(filter: CatalogFilter | null | undefined, { loaders }: RequestContext): Promise<CatalogQuery> {
  const parsed = parseArgument(catalogFilterSchema, filter ?? {}, "filter");
  return { ...parsed, countyCode: await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode") };
}

/** `product(id:)` */
export const productIdArgument = idOf("Product");

/** `productByCatalogNo(catalogNo:)` */
export const catalogNoArgument = z.string().trim().min(1, "must not be empty").max(32, "must be at most 32 characters");
