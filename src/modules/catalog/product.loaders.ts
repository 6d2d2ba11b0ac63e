import { asSeenBy } from "../../actor.js";
import DataLoader from "dataloader";
import type { Page, PageArgs } from "../../db/keyset.js";
import { LoadersByArguments, guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import type { ProductOrder } from "./catalog.service.js";
import type { ProductRow } from "./product.schema.js";

export interface EnterpriseProductsArguments {
  order: ProductOrder;
  page: PageArgs;
}

export function createProductLoaders(context: RequestContext) {
  const { catalog } = context.services;
  const rows = rowLoader<string, ProductRow>((ids) => catalog.productsByIds(ids), (row) => row.id);
  return {
    /**
     * Every path to a product by id (node/nodes, `product(id:)`, Order.product, BenefitLink.product, ...):
     * through the product policy, a whole batch at once; what the caller may not see loads as null.
     */
    productById: guardedLoader(rows, (loaded) => catalog.policy.may(context.actor, loaded)),
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

/**
 * Products a mutation has just written, as its payload shows them: through the product policy, not
 * through `productById`, whose cache may hold them as they were before (parseInput may have loaded
 * them). Keeps the order; leaves out what the caller may not see.
 */
export async function productsAsSeen(context: RequestContext, rows: readonly ProductRow[]): Promise<ProductRow[]> {
  if (rows.length === 0) return [];
  const allowed = await context.services.catalog.policy.may(context.actor, rows);
  return rows.filter((_, i) => allowed[i]);
}

/** One written product as its payload shows it (null when the caller may not see it). */
export function productAsSeen(context: RequestContext, row: ProductRow): Promise<ProductRow | null> {
  return asSeenBy(context.services.catalog.policy, context.actor, row);
}
