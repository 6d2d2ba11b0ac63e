/** 扶贫产品目录: products and the public catalog. The module's face. */
// First: values other modules use while their own files are being evaluated (see product.enums.ts).
export { productStatus, productCategory } from "./product.enums.js";
import type { NodeSources } from "../../graphql/context.js";
import type { CatalogChangesService } from "./catalog-changes.service.js";
import type { CatalogService } from "./catalog.service.js";
import type { createProductLoaders } from "./product.loaders.js";
import type { ProductsService } from "./products.service.js";

export { CatalogResolver, EnterpriseProductsResolver } from "./catalog.resolver.js";
export { ProductEditingResolver } from "./product-editing.resolver.js";
export { CatalogChangesResolver } from "./catalog-changes.resolver.js";
export { CatalogChangesService } from "./catalog-changes.service.js";
/** `catalog` as a compiled read (src/graphql/compiled-reads.ts), and the Product fields other modules add to it. */
export { catalogCompiler } from "./catalog.compiled.js";
export type { ProductFieldSql } from "./catalog-json.sql.js";
export { CatalogExpiryJob, type CatalogExpiryOptions } from "./catalog-expiry.job.js";
export { CatalogService, type CatalogFilter as CatalogQuery, type ProductOrder as ProductSortOrder } from "./catalog.service.js";
export { ProductsService, type ProductFields } from "./products.service.js";
export { createProductLoaders, productAsSeen, productsAsSeen } from "./product.loaders.js";
export { createProductPolicy, type ProductPolicyOptions } from "./product.policy.js";
/** SQL pieces other modules compose instead of naming the products table (see product.sql.ts). */
export {
  inCatalog,
  isInCatalog,
  takeSupply,
  returnSupply,
  productIdsOfEnterprise,
  productIdsInJurisdiction,
  lockProducts,
  setProductStatus,
  productFacts,
  catalogEntriesByNumbers,
  type CatalogEntry,
} from "./product.sql.js";
/** The catalog change feed's writes (topic `catalog.changed` of the outbox). */
export {
  announceCatalogChanges,
  announceEnterpriseStanding,
  changedPublicFields,
  CATALOG_TOPIC,
  type CatalogChangeKind,
  type CatalogChangePayload,
  type CatalogRemovalReason,
  type CatalogStanding,
} from "./catalog-changes.sql.js";
export { Product, ProductCategory, ProductStatus } from "./product.types.js";
export { products, type ProductRow } from "./product.schema.js";

/** `node`/`nodes`: through the guarded loader, i.e. the product policy. */
export const catalogNodeSources: NodeSources = {
  Product: (context, key) => context.loaders.productById.load(key),
  CatalogChange: async (context, key) => {
    const rows = await context.services.catalogChanges.changesBySeqs([key]);
    return rows.length > 0 ? (await context.services.catalogChanges.withVisibleProducts(context.actor, rows))[0] : null;
  },
};

declare module "../../graphql/context.js" {
  interface Services {
    catalog: CatalogService;
    catalogChanges: CatalogChangesService;
    products: ProductsService;
  }
  interface Loaders extends ReturnType<typeof createProductLoaders> {}
}
