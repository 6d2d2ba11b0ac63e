import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { ProductOrder } from "./catalog.inputs.js";
import { DEFAULT_PRODUCT_ORDER } from "./catalog.service.js";
import {
  AdjustProductSupplyInput,
  CreateProductInput,
  ProductFilter,
  UpdateProductInput,
  UpdateProductSupplyInput,
  adjustProductSupplySchema,
  createProductSchema,
  parseProductFilter,
  updateProductSchema,
  updateProductSupplySchema,
} from "./product-editing.inputs.js";
import { AdjustProductSupplyPayload, CreateProductPayload, UpdateProductPayload, UpdateProductSupplyPayload } from "./product-editing.types.js";
import { productAsSeen } from "./product.loaders.js";
import { ProductConnection } from "./product.types.js";

@Resolver()
export class ProductEditingResolver {
  @Authorized()
  @Query(() => ProductConnection, { description: "Products in every status: an enterprise its own, a reviewer its jurisdiction's, an admin all." })
  async products(
    @Arg("filter", () => ProductFilter, { nullable: true }) filterInput: ProductFilter | undefined,
    @Arg("orderBy", () => ProductOrder, { nullable: true }) orderBy: ProductOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() context: RequestContext,
  ) {
    const filter = await parseProductFilter(filterInput, context);
    const { services, actor } = context;
    return connectionOf(
      page,
      (args) => services.products.productsPage(actor, filter, orderBy ?? DEFAULT_PRODUCT_ORDER, args),
      () => services.products.productsCount(actor, filter),
    );
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => CreateProductPayload, { description: "A new DRAFT product of a VERIFIED enterprise." })
  createProduct(@Arg("input", () => CreateProductInput) input: CreateProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { enterpriseId, ...fields } = await parseInput(createProductSchema, input, context);
      return { product: await productAsSeen(context, await context.services.products.createProduct(commandOf(context), enterpriseId, fields)) };
    });
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => UpdateProductPayload, {
    description:
      "Content edits, guarded by `expectedVersion`. Description and images change in place; name, brand, spec, category or origin of a certified product send it back to SUBMITTED. A certified or listed product's price change is recorded in `certificationHistory` (PRICE_CHANGED, old and new price); beyond ±PRICE_REVIEW_BAND (default 20 %) of `certifiedUnitPrice` it sends the product back to SUBMITTED. Orders never change `version`.",
  })
  updateProduct(@Arg("input", () => UpdateProductInput) input: UpdateProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, expectedVersion, ...changes } = await parseInput(updateProductSchema, input, context);
      return { product: await productAsSeen(context, await context.services.products.updateProduct(commandOf(context), productId, expectedVersion, changes)) };
    });
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => UpdateProductSupplyPayload, { description: "供应: sets the available supply (stock, not content): no `expectedVersion`; `version` and `updatedAt` stay." })
  updateProductSupply(@Arg("input", () => UpdateProductSupplyInput) input: UpdateProductSupplyInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, availableSupply } = await parseInput(updateProductSupplySchema, input, context);
      return { product: await productAsSeen(context, await context.services.products.setSupply(commandOf(context), productId, availableSupply)) };
    });
  }

  @Authorized("ENTERPRISE", "ADMIN")
  @Mutation(() => AdjustProductSupplyPayload, {
    description: "供应: adds `delta` to the available supply (negative removes) in one conditional update: never below 0, never losing a concurrent order; `version` and `updatedAt` stay.",
  })
  adjustProductSupply(@Arg("input", () => AdjustProductSupplyInput) input: AdjustProductSupplyInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, delta } = await parseInput(adjustProductSupplySchema, input, context);
      return { product: await productAsSeen(context, await context.services.products.adjustSupply(commandOf(context), productId, delta)) };
    });
  }
}
