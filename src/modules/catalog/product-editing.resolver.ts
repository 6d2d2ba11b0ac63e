import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { ProductOrder } from "./catalog.inputs.js";
import { DEFAULT_PRODUCT_ORDER } from "./catalog.service.js";
import {
  CreateProductInput,
  ProductFilter,
  UpdateProductInput,
  createProductSchema,
  parseProductFilter,
  updateProductSchema,
} from "./product-editing.inputs.js";
import { CreateProductPayload, UpdateProductPayload } from "./product-editing.types.js";
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
    description: "Price, supply, description and images change in place; name, brand, spec, category or origin of a certified product send it back to SUBMITTED.",
  })
  updateProduct(@Arg("input", () => UpdateProductInput) input: UpdateProductInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { productId, expectedVersion, ...changes } = await parseInput(updateProductSchema, input, context);
      return { product: await productAsSeen(context, await context.services.products.updateProduct(commandOf(context), productId, expectedVersion, changes)) };
    });
  }
}
