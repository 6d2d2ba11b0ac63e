import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { Product, ProductCategory, ProductStatus } from "./product.types.js";

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

  @Field(() => Int, { nullable: true })
  availableSupply?: number;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String], { nullable: true })
  imageUrls?: string[];
}

@ObjectType()
export class CreateProductPayload {
  @Field(() => Product, { nullable: true })
  product?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UpdateProductPayload {
  @Field(() => Product, { nullable: true })
  product?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

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
