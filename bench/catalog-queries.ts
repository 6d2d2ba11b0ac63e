/** The catalog benchmarks' GraphQL operations (bench:catalog, bench:catalog-cpu). */

/** Issue 11's query: the first page with each product's enterprise and its county. */
export const CATALOG_QUERY = "query Catalog { catalog(first: 50) { edges { node { id name unitPrice enterprise { name county { name } } } } } }";

/**
 * A partner's sync page: 20 fields per product, the product's places and its 带贫人数 among them,
 * and the page's end cursor.
 */
export const PARTNER_QUERY =
  "query Catalog { catalog(first: 50) { pageInfo { hasNextPage endCursor } edges { node { " +
  "id catalogNo name brand category spec unit unitPrice status batch validFrom validUntil availableSupply annualSupplyCapacity updatedAt imageUrls " +
  "enterprise { name } originCounty { name } originVillage { name } beneficiaryHouseholdCount } } } }";

export const CATALOG_QUERIES = { catalog: CATALOG_QUERY, partner: PARTNER_QUERY } as const;
export type CatalogQueryName = keyof typeof CATALOG_QUERIES;
