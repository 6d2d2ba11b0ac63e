import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import type { RequestContext } from "../../graphql/context.js";
import { clearable, idCheckedByService, idOf, optional, parseArgument } from "../../graphql/inputs.js";
import { MONEY_CEILING, money } from "../../graphql/money.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { countyScope } from "../geography/index.js";
import { productCategory, productStatus } from "./product.enums.js";
import { ProductCategory, ProductStatus } from "./product.types.js";
import { MAX_SUPPLY, type ProductFields, type ProductsFilter } from "./products.service.js";

/**
 * Inputs of `products` and of the enterprises' edits, each next to its zod schema: IDs decoded here,
 * explicit null equals absent (but clears brand, village and description on update), and the output
 * is exactly what ProductsService takes.
 */

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const supply = z.number().int().min(0, "must not be negative").max(MAX_SUPPLY, `must be at most ${MAX_SUPPLY}`);

/** Each field as created; update makes them optional. */
const field = {
  name: text(200),
  brand: text(100),
  category: z.enum(productCategory.enumValues),
  spec: text(100),
  unit: text(20),
  unitPrice: money(MONEY_CEILING.unitPrice),
  originCountyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code"),
  originVillageCode: z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code"),
  annualSupplyCapacity: supply,
  availableSupply: supply,
  description: z.string().max(5000),
  imageUrls: z.array(z.string().url("must be a URL").regex(/^https:\/\//, "must be https").max(500)).max(10, "at most 10 images"),
};

/** A nullable field of a new product: absent or null is stored as null. */
const orNull = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => (v ?? null) as z.output<S> | null);

@InputType({ description: "A new product, created as a DRAFT of the caller's enterprise." })
export class CreateProductInput {
  @Field(() => ID, { nullable: true, description: "Admins only: whose product. Enterprise users create for their own." })
  enterpriseId?: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  brand?: string;

  @Field(() => ProductCategory)
  category!: keyof typeof ProductCategory;

  @Field(() => String)
  spec!: string;

  @Field(() => String)
  unit!: string;

  @Field(() => DecimalScalar)
  unitPrice!: string;

  @Field(() => String)
  originCountyCode!: string;

  @Field(() => String, { nullable: true })
  originVillageCode?: string;

  @Field(() => Int, { defaultValue: 0 })
  annualSupplyCapacity!: number;

  @Field(() => Int, { defaultValue: 0 })
  availableSupply!: number;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String], { defaultValue: [] })
  imageUrls!: string[];
}

/** `createProduct`: the enterprise (absent: the caller's own) and the product's fields. */
export const createProductSchema = z.object({
  enterpriseId: optional(idOf("Enterprise")),
  ...field,
  brand: orNull(field.brand),
  originVillageCode: orNull(field.originVillageCode),
  description: orNull(field.description),
}) satisfies z.ZodType<ProductFields & { enterpriseId: string | undefined }>;

@InputType({ description: "Changes to a product; omitted fields stay. `expectedVersion` guards against lost updates." })
export class UpdateProductInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { description: "The `version` you read; a newer one means someone else changed it (STALE_VERSION)." })
  expectedVersion!: number;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  brand?: string;

  @Field(() => ProductCategory, { nullable: true })
  category?: keyof typeof ProductCategory;

  @Field(() => String, { nullable: true })
  spec?: string;

  @Field(() => String, { nullable: true })
  unit?: string;

  @Field(() => DecimalScalar, { nullable: true })
  unitPrice?: string;

  @Field(() => String, { nullable: true })
  originCountyCode?: string;

  @Field(() => String, { nullable: true })
  originVillageCode?: string;

  @Field(() => Int, { nullable: true })
  annualSupplyCapacity?: number;

  @Field(() => Int, {
    nullable: true,
    deprecationReason: "Stock, not content: use `updateProductSupply` or `adjustProductSupply`, which need no `expectedVersion`. Still sets the supply here.",
  })
  availableSupply?: number;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String], { nullable: true })
  imageUrls?: string[];
}

/**
 * `updateProduct`: the product (looked up by the service, which answers FORBIDDEN for another
 * enterprise's), the version read, and the changes. Null clears brand, village and description;
 * for the other fields it means "unchanged", as absent does.
 */
export const updateProductSchema = z.object({
  productId: idCheckedByService("Product"),
  expectedVersion: z.number().int(),
  name: optional(field.name),
  brand: clearable(field.brand),
  category: optional(field.category),
  spec: optional(field.spec),
  unit: optional(field.unit),
  unitPrice: optional(field.unitPrice),
  originCountyCode: optional(field.originCountyCode),
  originVillageCode: clearable(field.originVillageCode),
  annualSupplyCapacity: optional(field.annualSupplyCapacity),
  availableSupply: optional(field.availableSupply),
  description: clearable(field.description),
  imageUrls: optional(field.imageUrls),
}) satisfies z.ZodType<{ productId: string; expectedVersion: number } & Partial<ProductFields>>;

@InputType({ description: "Sets a product's available supply (stock): no `expectedVersion`; `version` and `updatedAt` stay." })
export class UpdateProductSupplyInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { description: "The new available supply, in sales units (0 to 1,000,000,000)." })
  availableSupply!: number;
}

export const updateProductSupplySchema = z.object({
  productId: idCheckedByService("Product"),
  availableSupply: supply,
});

@InputType({ description: "Adds to (or, negative, removes from) a product's available supply, atomically: never below 0, never overwriting orders." })
export class AdjustProductSupplyInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { description: "Units to add; negative removes (INSUFFICIENT_SUPPLY if fewer are available)." })
  delta!: number;
}

export const adjustProductSupplySchema = z.object({
  productId: idCheckedByService("Product"),
  delta: z.number().int().min(-MAX_SUPPLY, `must be at least -${MAX_SUPPLY}`).max(MAX_SUPPLY, `must be at most ${MAX_SUPPLY}`),
});

@InputType({ description: "Filters of `products` (every status, scoped by role)." })
export class ProductFilter {
  @Field(() => ProductStatus, { nullable: true })
  status?: keyof typeof ProductStatus;

  @Field(() => String, { nullable: true, description: "Origin county; 433100 means all." })
  countyCode?: string;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string;

  @Field(() => String, { nullable: true, description: "Substring of the name." })
  search?: string;
}

const productFilterSchema = z.object({
  status: optional(z.enum(productStatus.enumValues)),
  countyCode: optional(z.string()),
  enterpriseId: optional(idOf("Enterprise")),
  search: optional(text(50)),
});

/** `products(filter:)`: validated, the enterprise's ID decoded, the county checked (433100 means all). */
export async function parseProductFilter(filter: ProductFilter | null | undefined, { loaders }: RequestContext): Promise<ProductsFilter> {
  const parsed = parseArgument(productFilterSchema, filter ?? {}, "filter");
  return { ...parsed, countyCode: await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode") };
}
