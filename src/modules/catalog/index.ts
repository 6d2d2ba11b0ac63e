/** 扶贫产品目录: products and the public catalog. The module's face. */
// First: values other modules use while their own files are being evaluated (see product.enums.ts).
export { productStatus, productCategory } from "./product.enums.js";
import type { NodeSources } from "../../graphql/context.js";
import type { CatalogService } from "./catalog.service.js";
import type { createProductLoaders } from "./product.loaders.js";
import type { ProductsService } from "./products.service.js";
import { maySeeProduct } from "./products.service.js";

export { CatalogResolver, EnterpriseProductsResolver } from "./catalog.resolver.js";
export { ProductEditingResolver } from "./product-editing.resolver.js";
export { CatalogService, inCatalog, isInCatalog } from "./catalog.service.js";
export { ProductsService, type ProductFields } from "./products.service.js";
export { createProductLoaders } from "./product.loaders.js";
export { Product, ProductCategory, ProductStatus } from "./product.types.js";
export { products, type ProductRow } from "./product.schema.js";

export const catalogNodeSources: NodeSources = {
  Product: async (context, key) => {
    const row = await context.loaders.productById.load(key);
    return row && maySeeProduct(context.actor, row) ? row : null;
  },
};

declare module "../../graphql/context.js" {
  interface Services {
    catalog: CatalogService;
    products: ProductsService;
  }
  interface Loaders extends ReturnType<typeof createProductLoaders> {}
}
