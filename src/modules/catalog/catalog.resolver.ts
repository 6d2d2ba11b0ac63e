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
import type { ProductColumn } from "./catalog-page.sql.js";
import type { ProductRow } from "./product.schema.js";
import { Product, ProductConnection } from "./product.types.js";

/**
 * The product columns each field of `Product` declared in this module reads. A page whose nodes
 * select any other field (another module's, e.g. `beneficiaryHouseholdCount`) reads whole rows.
 */
const columnsOfField: Record<string, readonly ProductColumn[]> = {
  __typename: [],
  id: ["id"],
  enterprise: ["enterpriseId"],
  originCounty: ["originCountyCode"],
  originVillage: ["originVillageCode"],
  ...Object.fromEntries(
    (["name", "brand", "category", "spec", "unit", "unitPrice", "certifiedUnitPrice", "status", "catalogNo", "batch", "validFrom", "validUntil",
      "annualSupplyCapacity", "availableSupply", "description", "imageUrls", "createdAt", "updatedAt", "version"] as const).map((column) => [column, [column]]),
  ),
};

/** The columns a page's nodes need for the selected fields (paths as selectedNodePaths gives them), or undefined for all. */
function productColumnsFor(selected: ReadonlySet<string>): ProductColumn[] | undefined {
  const columns: ProductColumn[] = [];
  for (const path of selected) {
    if (path.includes(".")) continue;
    const read = Object.hasOwn(columnsOfField, path) ? columnsOfField[path] : undefined;
    if (!read) return undefined;
    columns.push(...read);
  }
  return columns;
}

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
    // Partners' pages ask for the enterprise and places of every product: read them along, and
    // only the columns the selected fields read.
    const selected = selectedNodePaths(info);
    const include: PageRelations = {
      enterprise: selected.has("enterprise"),
      enterpriseCounty: selected.has("enterprise.county"),
      originCounty: selected.has("originCounty"),
      originVillage: selected.has("originVillage"),
    };
    const columns = productColumnsFor(selected);
    return connectionOf(
      page,
      async (args) => {
        const { page: rows, enterprises, divisions } = await services.catalog.catalogPageWithRelations(filter, order, args, include, columns);
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
