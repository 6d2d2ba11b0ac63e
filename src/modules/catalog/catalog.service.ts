import { type SQL, and, eq, getTableColumns, gte, lte, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortDirection, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import type { Policy } from "../../actor.js";
import { type EnterpriseRow, enterpriseNameContains, enterprises } from "../enterprises/index.js";
import type { DivisionRow } from "../geography/index.js";
import { type ProductRow, products } from "./product.schema.js";
import { inCatalog, inCatalogWithEnterpriseJoined } from "./product.sql.js";
import { ALL_PRODUCT_COLUMNS, type PageRelation, type ProductColumn, divisionCodeOf, divisionOf, enterpriseOf, jsonPageHead, pageHead, productOf } from "./catalog-page.sql.js";

const divisionRelations = ["enterpriseCounty", "originCounty", "originVillage"] as const;

export type ProductSortField = "NAME" | "UNIT_PRICE" | "UPDATED_AT" | "CATALOG_NO";

export interface ProductOrder {
  field: ProductSortField;
  direction: SortDirection;
}

/** Filters of the public catalog, already validated at the edge (absent and null both mean "any"). */
export interface CatalogFilter {
  search?: string | undefined;
  /** a county code (already checked to be one); absent means every county */
  countyCode?: string | undefined;
  category?: ProductRow["category"] | undefined;
  enterpriseId?: string | undefined;
  minPrice?: string | undefined;
  maxPrice?: string | undefined;
  updatedSince?: Date | undefined;
  /** 入录批次, exactly (the catalog export's filter) */
  batch?: string | undefined;
}

/** The to-one relations of a page's products that its own statement may read along (joins). */
export interface PageRelations {
  enterprise: boolean;
  /** the enterprise's county (needs `enterprise`) */
  enterpriseCounty: boolean;
  originCounty: boolean;
  originVillage: boolean;
}

/** A page with the related rows its statement read along, for the request's loaders. */
/** A row of a compiled read's page: the id and sort column (for cursors), and the statement's row as read. */
export type CatalogJsonRow = ProductRow & { raw: Record<string, unknown> };

export interface PageWithRelations {
  page: Page<ProductRow>;
  enterprises: EnterpriseRow[];
  divisions: DivisionRow[];
}

/** The product column each sort reads (the page always reads it, for the cursors). */
const sortColumns: Record<ProductSortField, ProductColumn> = { NAME: "name", UNIT_PRICE: "unitPrice", UPDATED_AT: "updatedAt", CATALOG_NO: "catalogNo" };

export const DEFAULT_PRODUCT_ORDER: ProductOrder = { field: "UPDATED_AT", direction: "DESC" };

const sortKeys: Record<ProductSortField, SortKey<ProductRow>> = {
  NAME: {
    name: "NAME",
    expression: sql`${products.name} collate "C"`,
    valueOf: (row) => row.name,
    parameter: cursorParameter.text,
  },
  UNIT_PRICE: {
    name: "UNIT_PRICE",
    expression: sql`${products.unitPrice}`,
    valueOf: (row) => row.unitPrice,
    parameter: cursorParameter.decimal,
  },
  UPDATED_AT: {
    name: "UPDATED_AT",
    expression: sql`${products.updatedAt}`,
    valueOf: (row) => row.updatedAt.toISOString(),
    parameter: cursorParameter.timestamp,
  },
  CATALOG_NO: {
    name: "CATALOG_NO",
    // coalesce: lists of every status hold products without a number yet; keysets need no NULLs.
    expression: sql`coalesce(${products.catalogNo}, '')`,
    valueOf: (row) => row.catalogNo ?? "",
    parameter: cursorParameter.varchar(32),
  },
};

/** 扶贫产品目录: the public, read-only catalog, and every read of products by id. */
export class CatalogService {
  /** Built once: the DataLoaders' hot path skips drizzle's per-call SQL building. */
  private readonly byIds;

  /**
   * @param policy who may see which products (product.policy.ts); the loaders and `products` use it
   */
  constructor(
    private readonly database: Database,
    readonly policy: Policy<ProductRow>,
  ) {
    this.byIds = this.database.db
      .select()
      .from(products)
      .where(sql`${products.id} = any(${sql.placeholder("ids")}::uuid[])`)
      .prepare("products_by_ids");
  }

  private filterConditions(filter: CatalogFilter, inTheCatalog: SQL = inCatalog()): SQL[] {
    const conditions: SQL[] = [inTheCatalog];
    if (filter.countyCode) conditions.push(eq(products.originCountyCode, filter.countyCode));
    if (filter.category) conditions.push(eq(products.category, filter.category));
    if (filter.enterpriseId) conditions.push(eq(products.enterpriseId, filter.enterpriseId));
    if (filter.minPrice != null) conditions.push(gte(products.unitPrice, filter.minPrice));
    if (filter.maxPrice != null) conditions.push(lte(products.unitPrice, filter.maxPrice));
    if (filter.updatedSince) conditions.push(gte(products.updatedAt, filter.updatedSince));
    if (filter.batch != null) conditions.push(eq(products.batch, filter.batch));
    if (filter.search) {
      // strpos, not LIKE: no wildcard escaping, and two-character Chinese words (百合) just work.
      const q = filter.search.toLowerCase();
      conditions.push(sql`(strpos(lower(${products.name}), ${q}) > 0
        or strpos(lower(coalesce(${products.brand}, '')), ${q}) > 0
        or ${enterpriseNameContains(products.enterpriseId, q)})`);
    }
    return conditions;
  }

  catalogPage(filter: CatalogFilter, order: ProductOrder, args: PageArgs): Promise<Page<ProductRow>> {
    return this.scopedPage(this.filterConditions(filter), order, args);
  }

  /**
   * A catalog page and the to-one relations the caller will ask for, in one statement (left joins),
   * instead of one loader round trip per relation. Only `columns` of each product are read (all of
   * them when absent; the id and the sort key always); the related rows are whole, so the loaders
   * they prime answer every field as a load of their own would; visibility is still decided by the
   * loaders' policies. Rows are mapped by hand (catalog-page.sql.ts).
   */
  async catalogPageWithRelations(
    filter: CatalogFilter,
    order: ProductOrder,
    args: PageArgs,
    include: PageRelations,
    columns?: readonly ProductColumn[],
  ): Promise<PageWithRelations> {
    const key = sortKeys[order.field];
    const plan = planPage(args, key, order.direction, sql`${products.id}`, cursorParameter.uuid);
    const relations = new Set<PageRelation>();
    if (include.enterprise || include.enterpriseCounty) relations.add("enterprise");
    if (include.enterpriseCounty) relations.add("enterpriseCounty");
    if (include.originCounty) relations.add("originCounty");
    if (include.originVillage) relations.add("originVillage");
    const read = columns ? [...new Set<ProductColumn>(["id", sortColumns[order.field], ...columns])] : ALL_PRODUCT_COLUMNS;
    const raws = await this.database.rows<Record<string, unknown>>(
      sql`${pageHead(read, relations)} where ${and(...this.filterConditions(filter), ...plan.conditions)} order by ${sql.join(plan.orderBy, sql`, `)} limit ${plan.limit}`,
    );
    const rows: ProductRow[] = [];
    const enterpriseRows = new Map<string, EnterpriseRow>();
    const divisionRows = new Map<string, DivisionRow>();
    for (const raw of raws) {
      rows.push(productOf(raw, read));
      // A related row is mapped once per page (eight counties serve fifty products).
      if (relations.has("enterprise") && !enterpriseRows.has(raw["e$id"] as string)) {
        const enterprise = enterpriseOf(raw);
        if (enterprise) enterpriseRows.set(enterprise.id, enterprise);
      }
      for (const relation of divisionRelations) {
        if (!relations.has(relation) || divisionRows.has(divisionCodeOf(raw, relation) as string)) continue;
        const division = divisionOf(raw, relation);
        if (division) divisionRows.set(division.code, division);
      }
    }
    return {
      page: pageFromRows(rows, plan, args, key, (row) => row.id),
      enterprises: [...enterpriseRows.values()],
      divisions: [...divisionRows.values()],
    };
  }

  /**
   * A catalog page of a compiled read: per product, the columns its node selections read
   * (`columns`, catalog-json.sql.ts), in one statement with the to-one relations they need. Paged,
   * filtered and ordered exactly as `catalogPageWithRelations`.
   */
  async catalogPageJson(filter: CatalogFilter, order: ProductOrder, args: PageArgs, columns: readonly SQL[], relations: ReadonlySet<PageRelation>): Promise<Page<CatalogJsonRow>> {
    const key = sortKeys[order.field];
    const plan = planPage(args, key, order.direction, sql`${products.id}`, cursorParameter.uuid);
    const sortColumn = sortColumns[order.field];
    // The enterprise is always joined: the catalog's "enterprise VERIFIED" reads the joined row.
    // LIMIT is a parameter, not text: a statement without any would go by the simple protocol, never
    // prepared, planned on every request (pgbench: 0.35 vs 0.16 ms for the benchmark's page).
    const joined = relations.has("enterprise") ? relations : new Set<PageRelation>([...relations, "enterprise"]);
    const raws = await this.database.rows<Record<string, unknown>>(
      sql`${jsonPageHead(sortColumn, columns, joined)} where ${and(...this.filterConditions(filter, inCatalogWithEnterpriseJoined()), ...plan.conditions)} order by ${sql.join(plan.orderBy, sql`, `)} limit ${plan.limit}`,
    );
    const keyColumns: ProductColumn[] = ["id", sortColumn];
    const rows = raws.map((raw) => {
      const row = productOf(raw, keyColumns) as CatalogJsonRow;
      row.raw = raw;
      return row;
    });
    return pageFromRows<CatalogJsonRow>(rows, plan, args, key, (row) => row.id);
  }

  catalogCount(filter: CatalogFilter): Promise<number> {
    return this.scopedCount(this.filterConditions(filter));
  }

  /** A keyset page of products matching the given conditions (the catalog's, or a role's scope). */
  async scopedPage(conditions: SQL[], order: ProductOrder, args: PageArgs): Promise<Page<ProductRow>> {
    const key = sortKeys[order.field];
    const plan = planPage(args, key, order.direction, sql`${products.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(products)
      .where(and(...conditions, ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, key, (row) => row.id);
  }

  async scopedCount(conditions: SQL[]): Promise<number> {
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(products)
      .where(and(...conditions));
    return row?.count ?? 0;
  }

  async productsByIds(ids: readonly string[]): Promise<ProductRow[]> {
    if (ids.length === 0) return [];
    return this.byIds.execute({ ids: [...ids] });
  }

  /** Catalog entries by catalog number (目录编号); only what the public catalog shows. */
  async productByCatalogNo(catalogNo: string): Promise<ProductRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(products)
      .where(and(eq(products.catalogNo, catalogNo), inCatalog()));
    return row;
  }

  /**
   * One page of catalog products for each of several enterprises, in one statement
   * (a window function ranks each enterprise's rows).
   */
  async catalogPagesByEnterprise(
    enterpriseIds: readonly string[],
    order: ProductOrder,
    args: PageArgs,
  ): Promise<Map<string, Page<ProductRow>>> {
    const key = sortKeys[order.field];
    const plan = planPage(args, key, order.direction, sql`${products.id}`, cursorParameter.uuid);
    const ranked = this.database.db
      .select({
        ...getTableColumns(products),
        rank: sql<number>`row_number() over (partition by ${products.enterpriseId} order by ${sql.join(plan.orderBy, sql`, `)})`.as(
          "rank",
        ),
      })
      .from(products)
      .where(and(anyOf(products.enterpriseId, enterpriseIds, "uuid"), inCatalog(), ...plan.conditions))
      .as("ranked");
    const rows = await this.database.db
      .select()
      .from(ranked)
      .where(lte(ranked.rank, plan.limit))
      .orderBy(ranked.rank);
    const byEnterprise = new Map<string, ProductRow[]>();
    for (const { rank: _rank, ...product } of rows) {
      const list = byEnterprise.get(product.enterpriseId) ?? [];
      list.push(product);
      byEnterprise.set(product.enterpriseId, list);
    }
    return new Map(enterpriseIds.map((id) => [id, pageFromRows(byEnterprise.get(id) ?? [], plan, args, key, (row) => row.id)]));
  }

  async catalogCountsByEnterprise(enterpriseIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.database.db
      .select({ enterpriseId: products.enterpriseId, count: sql<number>`count(*)::int` })
      .from(products)
      .where(and(anyOf(products.enterpriseId, enterpriseIds, "uuid"), inCatalog()))
      .groupBy(products.enterpriseId);
    return new Map(rows.map((r) => [r.enterpriseId, r.count]));
  }
}
