import { sql } from "drizzle-orm";
import { businessToday } from "../../clock.js";
import type { Drizzle } from "../../db/client.js";
import { type NewOutboxEvent, outboxEvents, recordEvent } from "../outbox/index.js";
import { enterpriseIsVerified } from "../enterprises/index.js";
import { type ProductRow, products } from "./product.schema.js";

/**
 * The catalog change feed's writes (`catalogChanges`, issue 12): ADDED, UPDATED and REMOVED events
 * of topic `catalog.changed` in the outbox, written in the transaction of the change. Exported by the face.
 */

export const CATALOG_TOPIC = "catalog.changed" as const;
export type CatalogChangeKind = "ADDED" | "UPDATED" | "REMOVED";
export type CatalogRemovalReason = "REVOKED" | "EXPIRED" | "SUSPENDED" | "SENT_BACK_TO_REVIEW";

/** The payload of a `catalog.changed` event. */
export interface CatalogChangePayload {
  kind: CatalogChangeKind;
  reason: CatalogRemovalReason | null;
  catalogNo: string;
  /** UPDATED: the public fields that changed (GraphQL names); otherwise empty */
  fields: string[];
}

/**
 * The product's public fields (GraphQL names) whose change is an UPDATED catalog change, keyed by
 * the row's column. Stock (`availableSupply`), `version` and `updatedAt` are not among them.
 */
const PUBLIC_FIELDS: Partial<Record<keyof ProductRow, string>> = {
  name: "name",
  brand: "brand",
  category: "category",
  spec: "spec",
  unit: "unit",
  unitPrice: "unitPrice",
  certifiedUnitPrice: "certifiedUnitPrice",
  originCountyCode: "originCounty",
  originVillageCode: "originVillage",
  catalogNo: "catalogNo",
  batch: "batch",
  validFrom: "validFrom",
  validUntil: "validUntil",
  annualSupplyCapacity: "annualSupplyCapacity",
  description: "description",
  imageUrls: "imageUrls",
};

/** The public fields (GraphQL names) that differ between two versions of a product row. */
export function changedPublicFields(before: ProductRow, after: ProductRow): string[] {
  const changed: string[] = [];
  for (const [column, field] of Object.entries(PUBLIC_FIELDS) as [keyof ProductRow, string][]) {
    if (JSON.stringify(before[column] ?? null) !== JSON.stringify(after[column] ?? null)) changed.push(field);
  }
  return changed;
}

/** What the caller knows of one product whose catalog standing may have changed. */
export interface CatalogStanding {
  productId: string;
  /** the reason, should the product have left the catalog */
  reason: CatalogRemovalReason;
  /** public fields changed (UPDATED when it stays in the catalog; nothing when none) */
  fields?: readonly string[];
  /**
   * Whether it was in the catalog before the change. Consulted only for a product the feed has
   * never announced (listed before the feed existed, or seeded): otherwise the feed's own last word
   * (ADDED/UPDATED: in; REMOVED: out) decides, so nothing is announced twice.
   */
  wasInCatalog: boolean;
}

interface Standing extends Record<string, unknown> {
  id: string;
  catalog_no: string | null;
  in_catalog: boolean;
  last_kind: CatalogChangeKind | null;
}

/**
 * Announces what changed in the public catalog for these products, in the caller's transaction,
 * after its writes (one read, one insert): ADDED when a product is in the catalog now and the feed
 * last said it was not; REMOVED (with `reason`) when it is not and the feed last said it was;
 * UPDATED with `fields` when it is in and stays in. "In the catalog" is `inCatalog` on `today`,
 * read with the enterprise's row locked FOR SHARE, so a concurrent suspension or reinstatement and
 * this change are one after the other, and the second sees the first's events: nothing is said
 * twice and no REMOVED overtakes an ADDED. Call it with the products' rows locked or written.
 */
export async function announceCatalogChanges(tx: Drizzle, standings: readonly CatalogStanding[], today = businessToday()): Promise<number> {
  if (standings.length === 0) return 0;
  const ids = [...new Set(standings.map((s) => s.productId))].sort();
  const rows = (await tx.execute(sql`
    select ${products.id} as id, ${products.catalogNo} as catalog_no,
           (${products.status} = 'LISTED' and ${products.validUntil} >= ${today}::date
            and ${enterpriseIsVerified(products.enterpriseId, { lock: true })}) as in_catalog,
           (select o.payload->>'kind' from ${outboxEvents} o
             where o.aggregate_type = 'Product' and o.aggregate_id = ${products.id}::text and o.topic = ${CATALOG_TOPIC}
             order by o.position desc, o.seq desc limit 1) as last_kind
    from ${products} where ${products.id} = any(${`{${ids.join(",")}}`}::uuid[]) order by ${products.id}`)) as unknown;
  const standingsById = new Map<string, Standing>(
    (Array.isArray(rows) ? (rows as Standing[]) : (rows as { rows: Standing[] }).rows).map((row) => [row.id, row]),
  );
  const events: NewOutboxEvent[] = [];
  for (const given of standings) {
    const now = standingsById.get(given.productId);
    if (!now?.catalog_no) continue; // never listed: never in the feed
    const wasIn = now.last_kind == null ? given.wasInCatalog : now.last_kind !== "REMOVED";
    let payload: CatalogChangePayload | null = null;
    if (now.in_catalog && !wasIn) payload = { kind: "ADDED", reason: null, catalogNo: now.catalog_no, fields: [] };
    else if (!now.in_catalog && wasIn) payload = { kind: "REMOVED", reason: given.reason, catalogNo: now.catalog_no, fields: [] };
    else if (now.in_catalog && given.fields && given.fields.length > 0) {
      payload = { kind: "UPDATED", reason: null, catalogNo: now.catalog_no, fields: [...given.fields] };
    }
    if (payload) events.push({ topic: CATALOG_TOPIC, aggregateType: "Product", aggregateId: given.productId, payload: { ...payload } });
    // A product named twice in one call gets one event: its standing is read once.
    standingsById.delete(given.productId);
  }
  await recordEvent(tx, events);
  return events.length;
}

/**
 * The listed products of an enterprise whose status just changed (暂停 suspended or 恢复 reinstated),
 * announced in the caller's transaction: REMOVED with reason SUSPENDED, or ADDED again. The
 * composition root hands it to the enterprises module (which must not import the catalog).
 */
export async function announceEnterpriseStanding(tx: Drizzle, enterpriseId: string, wasVerified: boolean, today = businessToday()): Promise<number> {
  const listed = await tx
    .select({ id: products.id, validUntil: products.validUntil })
    .from(products)
    .where(sql`${products.enterpriseId} = ${enterpriseId}::uuid and ${products.status} = 'LISTED'`)
    .orderBy(products.id);
  return announceCatalogChanges(
    tx,
    listed.map((p) => ({ productId: p.id, reason: "SUSPENDED" as const, wasInCatalog: wasVerified && p.validUntil != null && p.validUntil >= today })),
    today,
  );
}
