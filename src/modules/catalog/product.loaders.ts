import DataLoader from "dataloader";
import type { Page, PageArgs } from "../../db/keyset.js";
import { LoadersByArguments, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import type { ProductOrder } from "./catalog.service.js";
import type { ProductRow } from "./product.schema.js";

export interface EnterpriseProductsArguments {
  order: ProductOrder;
  page: PageArgs;
}

export function createProductLoaders({ services: { catalog } }: RequestContext) {
  return {
    productById: rowLoader<string, ProductRow>((ids) => catalog.productsByIds(ids), (row) => row.id),
    /** `Enterprise.products`: one page per enterprise, one statement per distinct arguments. */
    catalogPageByEnterprise: new LoadersByArguments<string, Page<ProductRow>>((args) => {
      const { order, page } = args as EnterpriseProductsArguments;
      return new DataLoader(async (ids) => {
        const pages = await catalog.catalogPagesByEnterprise(ids, order, page);
        return ids.map((id) => pages.get(id)!);
      });
    }),
    catalogCountByEnterprise: new DataLoader<string, number>(async (ids) => {
      const counts = await catalog.catalogCountsByEnterprise(ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}
