import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import { UserErrorCode, UserFacingError } from "../../errors.js";
import { toConnection } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseArgument, parseInput } from "../../graphql/validation.js";
import { countyScope } from "../geography/index.js";
import { DEFAULT_PRODUCT_ORDER } from "./catalog.service.js";
import { CreateProductInput, CreateProductPayload, ProductFilter, UpdateProductInput, UpdateProductPayload } from "./product-editing.types.js";
import { ProductConnection, ProductOrder } from "./product.types.js";
import type { ProductFields } from "./products.service.js";

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const fieldsSchema = z.object({
  name: text(200),
  brand: text(100).nullable(),
  category: z.string(),
  spec: text(100),
  unit: text(20),
  unitPrice: z.string().refine((v) => !v.startsWith("-"), "must not be negative"),
  originCountyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code"),
  originVillageCode: z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code").nullable(),
  annualSupplyCapacity: z.number().int().min(0, "must not be negative").max(1_000_000_000),
  availableSupply: z.number().int().min(0, "must not be negative").max(1_000_000_000),
  description: z.string().max(5000).nullable(),
  imageUrls: z.array(z.string().url("must be a URL").regex(/^https:\/\//, "must be https").max(500)).max(10, "at most 10 images"),
});

@Resolver()
export class ProductEditingResolver {
  @Authorized()
  @Query(() => ProductConnection, { description: "Products in every status: an enterprise its own, a reviewer its jurisdiction's, an admin all." })
  async products(
    @Arg("filter", () => ProductFilter, { nullable: true }) filter: ProductFilter | undefined,
    @Arg("orderBy", () => ProductOrder, { nullable: true }) orderBy: ProductOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    validatePageArgs(page);
    const parsed = {
      status: filter?.status,
      countyCode: await countyScope(filter?.countyCode, loaders.divisionByCode, "filter.countyCode"),
      enterpriseId: filter?.enterpriseId ? fromGlobalIdOf("Enterprise", filter.enterpriseId, "filter.enterpriseId") : undefined,
      search: filter?.search ? parseArgument(text(50), filter.search, "filter.search") : undefined,
    };
    const result = await services.products.productsPage(actor, parsed, orderBy ?? DEFAULT_PRODUCT_ORDER, page);
    return toConnection(result, () => services.products.productsCount(actor, parsed));
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => CreateProductPayload, { description: "A new DRAFT product of a VERIFIED enterprise." })
  createProduct(@Arg("input", () => CreateProductInput) input: CreateProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const fields = parseInput(fieldsSchema, { brand: null, originVillageCode: null, description: null, ...stripUndefined(input) }) as ProductFields;
      const actor = context.actor;
      const asked = input.enterpriseId ? inputId("Enterprise", input.enterpriseId, "enterpriseId") : undefined;
      // An enterprise user creates for its own enterprise; naming another one is refused by the service.
      const enterpriseId = asked ?? (actor.kind === "user" && actor.role === "ENTERPRISE" ? actor.enterpriseId! : missing("enterpriseId"));
      return { product: await context.services.products.createProduct(commandOf(context), enterpriseId, fields) };
    });
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => UpdateProductPayload, {
    description: "Price, supply, description and images change in place; name, brand, spec, category or origin of a certified product send it back to SUBMITTED.",
  })
  updateProduct(@Arg("input", () => UpdateProductInput) input: UpdateProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, expectedVersion, ...rest } = input;
      const changes = parseInput(fieldsSchema.partial(), stripUndefined(rest)) as Partial<ProductFields>;
      const id = inputId("Product", productId, "productId");
      return { product: await context.services.products.updateProduct(commandOf(context), id, expectedVersion, changes) };
    });
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function missing(field: string): never {
  throw new UserFacingError(UserErrorCode.INVALID, `${field} is required`, ["input", field]);
}
