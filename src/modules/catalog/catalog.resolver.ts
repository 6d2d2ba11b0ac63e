import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import type { RequestContext } from "../../graphql/context.js";
import { toConnection } from "../../graphql/connection.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { parseArgument } from "../../graphql/validation.js";
import { Enterprise } from "../enterprises/index.js";
import type { EnterpriseRow } from "../enterprises/index.js";
import { countyScope } from "../geography/index.js";
import { Division } from "../geography/index.js";
import { parseCatalogFilter } from "./catalog.inputs.js";
import { DEFAULT_PRODUCT_ORDER } from "./catalog.service.js";
import { maySeeProduct } from "./products.service.js";
import type { ProductRow } from "./product.schema.js";
import { CatalogFilter, Product, ProductConnection, ProductOrder } from "./product.types.js";

const catalogNoSchema = z.string().trim().min(1, "must not be empty").max(32, "must be at most 32 characters");

@Resolver(() => Product)
export class CatalogResolver {
  @Query(() => ProductConnection, {
    description: "扶贫产品目录: listed, unexpired products. Newest changes first unless `orderBy` says otherwise.",
  })
  async catalog(
    @Arg("filter", () => CatalogFilter, { nullable: true }) filterInput: CatalogFilter | undefined,
    @Arg("orderBy", () => ProductOrder, { nullable: true }) orderBy: ProductOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    const filter = parseCatalogFilter(filterInput);
    filter.countyCode = await countyScope(filter.countyCode, loaders.divisionByCode, "filter.countyCode");
    validatePageArgs(page);
    const result = await services.catalog.catalogPage(filter, orderBy ?? DEFAULT_PRODUCT_ORDER, page);
    return toConnection(result, () => services.catalog.catalogCount(filter));
  }

  @Query(() => Product, {
    nullable: true,
    description: "A product by ID: anyone sees catalog entries; its enterprise, the offices of its county and admins see every status.",
  })
  async product(@Arg("id", () => ID) id: string, @Ctx() { loaders, actor }: RequestContext) {
    const row = await loaders.productById.load(fromGlobalIdOf("Product", id));
    return row && maySeeProduct(actor, row) ? row : null;
  }

  @Query(() => Product, { nullable: true, description: "A product in the public catalog, by its catalog number (目录编号)." })
  productByCatalogNo(@Arg("catalogNo", () => String) catalogNo: string, @Ctx() { services }: RequestContext) {
    return services.catalog.productByCatalogNo(parseArgument(catalogNoSchema, catalogNo, "catalogNo"));
  }

  @FieldResolver(() => ID)
  id(@Root() product: ProductRow) {
    return toGlobalId("Product", product.id);
  }

  @FieldResolver(() => Enterprise, { description: "The supplying enterprise." })
  enterprise(@Root() product: ProductRow, @Ctx() { loaders }: RequestContext) {
    return loaders.enterpriseById.load(product.enterpriseId);
  }

  @FieldResolver(() => Division, { description: "产地: the origin county." })
  originCounty(@Root() product: ProductRow, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(product.originCountyCode);
  }

  @FieldResolver(() => Division, { nullable: true, description: "The origin village, when known (e.g. 十八洞村)." })
  originVillage(@Root() product: ProductRow, @Ctx() { loaders }: RequestContext) {
    return product.originVillageCode ? loaders.divisionByCode.load(product.originVillageCode) : null;
  }
}

@Resolver(() => Enterprise)
export class EnterpriseProductsResolver {
  @FieldResolver(() => ProductConnection, { description: "The enterprise's products in the public catalog." })
  async products(
    @Root() enterprise: EnterpriseRow,
    @Arg("orderBy", () => ProductOrder, { nullable: true }) orderBy: ProductOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { loaders }: RequestContext,
  ) {
    validatePageArgs(page);
    const args = { order: orderBy ?? DEFAULT_PRODUCT_ORDER, page: { ...page } };
    const result = await loaders.catalogPageByEnterprise.forArguments(args).load(enterprise.id);
    return toConnection(result, () => loaders.catalogCountByEnterprise.load(enterprise.id));
  }
}
