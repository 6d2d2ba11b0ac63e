import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { connectionOf } from "../../graphql/connection.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/inputs.js";
import { selectedNodePaths } from "../../graphql/selection.js";
import { PageArguments } from "../../graphql/page-args.js";
import { Enterprise } from "../enterprises/index.js";
import type { EnterpriseRow } from "../enterprises/index.js";
import { Division } from "../geography/index.js";
import { CatalogFilter, ProductOrder, catalogNoArgument, parseCatalogFilter, productIdArgument } from "./catalog.inputs.js";
import { DEFAULT_PRODUCT_ORDER, type PageRelations } from "./catalog.service.js";
import type { ProductRow } from "./product.schema.js";
import { Product, ProductConnection } from "./product.types.js";

@Resolver(() => Product)
export class CatalogResolver {
  @Query(() => ProductConnection, {
    description: "扶贫产品目录: listed, unexpired products. Newest changes first unless `orderBy` says otherwise.",
  })
  async catalog(
    @Arg("filter", () => CatalogFilter, { nullable: true }) filterInput: CatalogFilter | undefined,
    @Arg("orderBy", () => ProductOrder, { nullable: true }) orderBy: ProductOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() context: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const filter = await parseCatalogFilter(filterInput, context);
    const { services, loaders } = context;
    const order = orderBy ?? DEFAULT_PRODUCT_ORDER;
    // Partners' pages ask for the enterprise and places of every product: read them along.
    const selected = selectedNodePaths(info);
    const include: PageRelations = {
      enterprise: selected.has("enterprise"),
      enterpriseCounty: selected.has("enterprise.county"),
      originCounty: selected.has("originCounty"),
      originVillage: selected.has("originVillage"),
    };
    if (!Object.values(include).some(Boolean)) {
      return connectionOf(page, (args) => services.catalog.catalogPage(filter, order, args), () => services.catalog.catalogCount(filter));
    }
    return connectionOf(
      page,
      async (args) => {
        const { page: rows, enterprises, divisions } = await services.catalog.catalogPageWithRelations(filter, order, args, include);
        for (const enterprise of enterprises) loaders.enterpriseRowById.prime(enterprise.id, enterprise);
        for (const division of divisions) loaders.divisionRowByCode.prime(division.code, division);
        return rows;
      },
      () => services.catalog.catalogCount(filter),
    );
  }

  @Query(() => Product, {
    nullable: true,
    description: "A product by ID: anyone sees catalog entries; its enterprise, the offices of its county and admins see every status.",
  })
  product(@Arg("id", () => ID) id: string, @Ctx() { loaders }: RequestContext) {
    return loaders.productById.load(parseArgument(productIdArgument, id, "id"));
  }

  @Query(() => Product, { nullable: true, description: "A product in the public catalog, by its catalog number (目录编号)." })
  productByCatalogNo(@Arg("catalogNo", () => String) catalogNo: string, @Ctx() { services }: RequestContext) {
    return services.catalog.productByCatalogNo(parseArgument(catalogNoArgument, catalogNo, "catalogNo"));
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
  products(
    @Root() enterprise: EnterpriseRow,
    @Arg("orderBy", () => ProductOrder, { nullable: true }) orderBy: ProductOrder | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { loaders }: RequestContext,
  ) {
    const order = orderBy ?? DEFAULT_PRODUCT_ORDER;
    return connectionOf(
      page,
      (args) => loaders.catalogPageByEnterprise.forArguments({ order, page: args }).load(enterprise.id),
      () => loaders.catalogCountByEnterprise.load(enterprise.id),
    );
  }
}
