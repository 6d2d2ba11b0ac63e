import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../db/keyset.js";
import { InvalidArgumentError } from "../../errors.js";
import { outboxAfter, outboxCursor, outboxEvents, outboxOrder } from "../outbox/index.js";
import { CATALOG_TOPIC, type CatalogChangeKind, type CatalogChangePayload, type CatalogRemovalReason } from "./catalog-changes.sql.js";
import type { CatalogService } from "./catalog.service.js";
import { type ProductRow, products } from "./product.schema.js";
import { inCatalog } from "./product.sql.js";

/** One change of the public catalog, as the feed hands it out. */
export interface CatalogChangeRow {
  seq: string;
  /** its place in the feed (`sequence`, and the cursor to pass as `after`) */
  cursor: string;
  kind: CatalogChangeKind;
  reason: CatalogRemovalReason | null;
  catalogNo: string;
  fields: string[];
  at: Date;
  productId: string;
  /** the product as it is now, when the reader may see it (resolved by `withVisibleProducts`) */
  product: ProductRow | null;
  /** whether the product is in the public catalog now (read with the change) */
  inCatalog: boolean;
}

export interface CatalogChangePage {
  rows: CatalogChangeRow[];
  hasNextPage: boolean;
  /** where to read on: the last change's cursor, the `after` given when none came, or (first: 0) the feed's end */
  endCursor: string | null;
}

/**
 * `catalogChanges`: the public catalog's ordered, durable change feed, read from the outbox (topic
 * `catalog.changed`) in its order, never past a still-open earlier transaction (see the outbox's face).
 */
export class CatalogChangesService {
  constructor(
    private readonly database: Database,
    private readonly catalog: CatalogService,
  ) {}

  /** One statement: the events of the page with their products' rows (and whether each is in the catalog now). */
  private select() {
    return this.database.db
      .select({
        seq: sql<string>`${outboxEvents.seq}::text`,
        position: sql<string>`${outboxEvents.position}::text`,
        payload: outboxEvents.payload,
        at: outboxEvents.createdAt,
        productId: outboxEvents.aggregateId,
        product: products,
        inCatalog: sql<boolean>`coalesce(${inCatalog()}, false)`,
      })
      .from(outboxEvents)
      // CASE: only catalog events' keys are cast to uuid, whatever order the planner evaluates in.
      .leftJoin(products, sql`${products.id} = case when ${outboxEvents.topic} = ${CATALOG_TOPIC} then ${outboxEvents.aggregateId}::uuid end`);
  }

  /** A page of changes after `after` (null: from the first), at most 100; `first: 0` answers the feed's current end. */
  async changesPage(after: string | null | undefined, first: number | null | undefined): Promise<CatalogChangePage> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
      throw new InvalidArgumentError(`\`first\` must be between 0 and ${MAX_PAGE_SIZE} (got ${first})`, "first");
    }
    const settledAfter = outboxAfter(after, "after");
    if (size === 0) return { rows: [], hasNextPage: false, endCursor: await this.end(after ?? null) };
    const found = await this.select()
      .where(and(eq(outboxEvents.topic, CATALOG_TOPIC), settledAfter))
      .orderBy(outboxOrder)
      .limit(size + 1);
    const rows = found.slice(0, size).map(toChange);
    return { rows, hasNextPage: found.length > size, endCursor: rows.length > 0 ? rows[rows.length - 1]!.cursor : (after ?? null) };
  }

  /** The cursor of the last settled change (or `after`, when nothing follows it): a partner's starting point before a full sync. */
  private async end(after: string | null): Promise<string | null> {
    const [last] = await this.database.rows<{ position: string; seq: string }>(
      sql`select ${outboxEvents.position}::text as position, ${outboxEvents.seq}::text as seq from ${outboxEvents}
          where ${outboxEvents.topic} = ${CATALOG_TOPIC} and ${outboxAfter(after, "after")}
          order by ${outboxEvents.position} desc, ${outboxEvents.seq} desc limit 1`,
    );
    return last ? outboxCursor(last.position, last.seq) : after;
  }

  /** Changes by their sequence numbers (`node`), committed ones only; absent ones are left out. */
  async changesBySeqs(seqs: readonly string[]): Promise<CatalogChangeRow[]> {
    if (seqs.length === 0) return [];
    const found = await this.select().where(
      and(eq(outboxEvents.topic, CATALOG_TOPIC), sql`${outboxEvents.seq} = any(${`{${seqs.join(",")}}`}::bigint[])`),
    );
    return found.map(toChange);
  }

  /**
   * Sets each change's `product` to the product as `actor` may see it now: in the catalog (known
   * from the page's statement), or else what the product policy shows (one statement at most).
   */
  async withVisibleProducts(actor: Actor, rows: CatalogChangeRow[]): Promise<CatalogChangeRow[]> {
    const unsure = rows.filter((r) => r.product && !r.inCatalog);
    const allowed = unsure.length > 0 ? await this.catalog.policy.may(actor, unsure.map((r) => r.product!)) : [];
    const visible = new Set(unsure.filter((_, i) => allowed[i]).map((r) => r.seq));
    return rows.map((r) => ({ ...r, product: r.product && (r.inCatalog || visible.has(r.seq)) ? r.product : null }));
  }
}

function toChange(row: {
  seq: string;
  position: string;
  payload: Record<string, unknown>;
  at: Date;
  productId: string;
  product: ProductRow | null;
  inCatalog: boolean;
}): CatalogChangeRow {
  const payload = row.payload as unknown as CatalogChangePayload;
  return {
    seq: row.seq,
    cursor: outboxCursor(row.position, row.seq),
    kind: payload.kind,
    reason: payload.reason ?? null,
    catalogNo: payload.catalogNo,
    fields: payload.fields ?? [],
    at: row.at,
    productId: row.productId,
    product: row.product,
    inCatalog: row.inCatalog,
  };
}
