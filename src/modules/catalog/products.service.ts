import { type SQL, and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Page, PageArgs } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { type Actor, type Command, isAdmin } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import { type CertificationService, type PriceChange, certifiedFields } from "../certification/index.js";
import { ratioAsPercent, withinBand, yuanToFen } from "../../money.js";
import { type EnterprisesService, assertEnterpriseVerified, notVerified } from "../enterprises/index.js";
import type { GeographyService } from "../geography/index.js";
import type { CatalogService, ProductOrder } from "./catalog.service.js";
import { type ProductRow, products } from "./product.schema.js";
import { isInCatalog, lockProducts } from "./product.sql.js";
import { announceCatalogChanges, changedPublicFields } from "./catalog-changes.sql.js";

export interface ProductFields {
  name: string;
  brand: string | null;
  category: ProductRow["category"];
  spec: string;
  unit: string;
  unitPrice: string;
  originCountyCode: string;
  originVillageCode: string | null;
  annualSupplyCapacity: number;
  availableSupply: number;
  description: string | null;
  imageUrls: string[];
}

/** The largest available supply (the inputs' bound; the column is an int). */
export const MAX_SUPPLY = 1_000_000_000;

/** Filters of `products`, already validated at the edge (absent and null both mean "any"). */
export interface ProductsFilter {
  status?: ProductRow["status"] | undefined;
  /** a county code (already checked to be one); absent means every county */
  countyCode?: string | undefined;
  enterpriseId?: string | undefined;
  search?: string | undefined;
}

/** Enterprises create and edit their products; edits to certified fields send them back for review. */
export class ProductsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly enterprises: EnterprisesService,
    private readonly geography: GeographyService,
    private readonly certification: CertificationService,
    private readonly catalog: CatalogService,
    /** PRICE_REVIEW_BAND, a ratio such as "0.20" */
    private readonly priceReviewBand: string,
  ) {}

  private async assertMayEdit(actor: Actor, enterpriseId: string): Promise<void> {
    const own = actor.kind === "user" && actor.role === "ENTERPRISE" && actor.enterpriseId === enterpriseId;
    if (!own && !isAdmin(actor)) throw new ForbiddenError("Only the enterprise's own users may edit its products");
    const [enterprise] = await this.enterprises.enterprisesByIds([enterpriseId]);
    if (!enterprise) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such enterprise", ["input", "enterpriseId"]);
    if (enterprise.status !== "VERIFIED") throw notVerified(enterprise.status);
  }

  /** The origin must be a county of the prefecture, and the village (if any) a village in it. */
  private async assertOrigin(countyCode: string, villageCode: string | null): Promise<void> {
    const codes = villageCode ? [countyCode, villageCode] : [countyCode];
    const found = new Map((await this.geography.divisionsByCodes(codes)).map((d) => [d.code, d]));
    if (found.get(countyCode)?.level !== "COUNTY") {
      throw new UserFacingError(UserErrorCode.INVALID, `${countyCode} is not a county of 湘西州`, ["input", "originCountyCode"]);
    }
    if (villageCode && (found.get(villageCode)?.level !== "VILLAGE" || !villageCode.startsWith(countyCode))) {
      throw new UserFacingError(UserErrorCode.INVALID, `${villageCode} is not a village of ${countyCode}`, ["input", "originVillageCode"]);
    }
  }

  /**
   * A new DRAFT product. `enterpriseId` undefined means the caller's own enterprise (enterprise users);
   * naming another enterprise than its own is refused.
   */
  async createProduct(command: Command, enterpriseId: string | undefined, fields: ProductFields): Promise<ProductRow> {
    enterpriseId ??= ownEnterpriseOf(command.actor);
    await this.assertMayEdit(command.actor, enterpriseId);
    await this.assertOrigin(fields.originCountyCode, fields.originVillageCode);
    return this.database.transaction(async (tx) => {
      await assertEnterpriseVerified(tx, enterpriseId); // again, locked: a suspension cannot slip in between
      const [row] = await tx.insert(products).values({ ...fields, enterpriseId, status: "DRAFT" }).returning();
      await this.audit.record(tx, command, { operation: "createProduct", entityType: "Product", entityId: row!.id, after: row });
      return row!;
    });
  }

  /**
   * Optimistic update: `expectedVersion` must match. Price, supply, description and images change in
   * place; a certified field on a CERTIFIED or LISTED product sends it back to SUBMITTED. A price
   * change of a CERTIFIED or LISTED product is recorded in its history with the old and new price:
   * within ±PRICE_REVIEW_BAND of the certified price (edge included) it stays, beyond it goes back to
   * SUBMITTED. A field absent or undefined in `changes` stays as it is.
   */
  async updateProduct(command: Command, productId: string, expectedVersion: number, given: Partial<ProductFields>): Promise<ProductRow> {
    const changes = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as Partial<ProductFields>;
    // Checks that need other modules run before the transaction (a product's enterprise never changes).
    const [current] = await this.catalog.productsByIds([productId]);
    if (!current) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", ["input", "productId"]);
    await this.assertMayEdit(command.actor, current.enterpriseId);
    const county = changes.originCountyCode ?? current.originCountyCode;
    const village = changes.originVillageCode !== undefined ? changes.originVillageCode : changes.originCountyCode ? null : current.originVillageCode;
    if (changes.originCountyCode !== undefined || changes.originVillageCode !== undefined) await this.assertOrigin(county, village);
    const next = { ...changes, originCountyCode: county, originVillageCode: village };

    return this.database.transaction(async (tx) => {
      const [before] = await lockProducts(tx, [productId]);
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", ["input", "productId"]);
      if (before.version !== expectedVersion) {
        throw new UserFacingError(
          UserErrorCode.STALE_VERSION,
          `The product was changed by someone else (version ${before.version}, you had ${expectedVersion}): reload and retry`,
          ["input", "expectedVersion"],
        );
      }
      if (before.status === "REVOKED") {
        throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "A revoked product cannot be edited", ["input", "productId"]);
      }
      const recertify = certifiedFields.filter((f) => f in next && JSON.stringify(next[f] ?? null) !== JSON.stringify(before[f] ?? null));
      const certified = before.status === "CERTIFIED" || before.status === "LISTED";
      // Rows certified before the certified price was stored (or seeded): the price they have now.
      const certifiedPrice = before.certifiedUnitPrice ?? before.unitPrice;
      const [updated] = await tx
        .update(products)
        .set({
          ...next,
          ...(certified && before.certifiedUnitPrice == null ? { certifiedUnitPrice: certifiedPrice } : {}),
          updatedAt: new Date(),
          version: sql`${products.version} + 1`,
        })
        .where(and(eq(products.id, productId), eq(products.version, expectedVersion)))
        .returning();
      await this.audit.record(tx, command, { operation: "updateProduct", entityType: "Product", entityId: productId, before, after: updated });
      if (!certified) return updated!;
      const price: PriceChange | undefined =
        yuanToFen(updated!.unitPrice) === yuanToFen(before.unitPrice) ? undefined : { oldUnitPrice: before.unitPrice, newUnitPrice: updated!.unitPrice };
      const band = `±${ratioAsPercent(this.priceReviewBand)} %`;
      const reasons = [
        ...(recertify.length > 0 ? [`认定信息变更 certified fields changed: ${recertify.join(", ")}`] : []),
        ...(price && !withinBand(certifiedPrice, price.newUnitPrice, this.priceReviewBand)
          ? [`价格超出认定价格${band} the price ${price.oldUnitPrice} → ${price.newUnitPrice} is beyond ${band} of the certified price ${certifiedPrice}`]
          : []),
      ];
      if (reasons.length > 0) return this.certification.applyStep(tx, command, updated!, "recertify", reasons.join("; "), undefined, undefined, price);
      if (price) {
        const comment = `价格变动 price ${price.oldUnitPrice} → ${price.newUnitPrice}, within ${band} of the certified price ${certifiedPrice}`;
        await this.certification.recordPriceChange(tx, command, updated!, price, comment);
      }
      // Still certified or listed: a listed product's public edit is an UPDATED catalog change (a
      // listing past its validity that the expiry job has not yet announced leaves now, EXPIRED).
      const fields = changedPublicFields(before, updated!);
      await announceCatalogChanges(tx, [{ productId, reason: "EXPIRED", fields, wasInCatalog: isInCatalog(before) }]);
      return updated!;
    });
  }

  /**
   * 供应: sets a product's available supply. Stock, not content: no `expectedVersion`, and neither
   * `version` nor `updatedAt` moves, so it never collides with content edits or orders.
   */
  setSupply(command: Command, productId: string, availableSupply: number): Promise<ProductRow> {
    return this.changeSupply(command, productId, "updateProductSupply", sql`${availableSupply}::bigint`, ["input", "availableSupply"]);
  }

  /** 供应: adds `delta` (negative: removes) to the available supply, in one conditional UPDATE, never below 0. */
  adjustSupply(command: Command, productId: string, delta: number): Promise<ProductRow> {
    return this.changeSupply(command, productId, "adjustProductSupply", sql`${products.availableSupply}::bigint + ${delta}::bigint`, ["input", "delta"], delta);
  }

  /**
   * One conditional UPDATE of the stock to `next` (computed in bigint from the row as it is when the
   * UPDATE runs, so concurrent orders are never overwritten), refused when it would leave 0..MAX_SUPPLY.
   * The row is locked first only so that the audit's "before" is exact.
   */
  private async changeSupply(command: Command, productId: string, operation: string, next: SQL, field: string[], delta?: number): Promise<ProductRow> {
    const [current] = await this.catalog.productsByIds([productId]);
    if (!current) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", ["input", "productId"]);
    await this.assertMayEdit(command.actor, current.enterpriseId);
    return this.database.transaction(async (tx) => {
      const [before] = await lockProducts(tx, [productId]);
      const [updated] = await tx
        .update(products)
        .set({ availableSupply: sql`(${next})::int` })
        .where(and(eq(products.id, productId), sql`(${next}) between 0 and ${MAX_SUPPLY}::bigint`))
        .returning();
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", ["input", "productId"]);
      if (!updated && delta !== undefined && before.availableSupply + delta < 0) {
        throw new UserFacingError(UserErrorCode.INSUFFICIENT_SUPPLY, `供应不足: only ${before.availableSupply} available, cannot remove ${-delta}`, field);
      }
      if (!updated) {
        throw new UserFacingError(UserErrorCode.INVALID, `the available supply (now ${before.availableSupply}) must stay between 0 and ${MAX_SUPPLY}`, field);
      }
      const audited = (row: ProductRow) => ({ availableSupply: row.availableSupply });
      await this.audit.record(tx, command, { operation, entityType: "Product", entityId: productId, before: audited(before), after: audited(updated) });
      return updated;
    });
  }

  /** Every status, limited to what the actor may see (own enterprise, jurisdiction, or all). */
  async productsPage(actor: Actor, filter: ProductsFilter, order: ProductOrder, args: PageArgs): Promise<Page<ProductRow>> {
    const scope = this.catalog.policy.scope(actor);
    if (!scope) throw new ForbiddenError("Only enterprises, poverty offices and admins may list products in every status");
    return this.catalog.scopedPage(this.conditions(scope, filter), order, args);
  }

  async productsCount(actor: Actor, filter: ProductsFilter): Promise<number> {
    const scope = this.catalog.policy.scope(actor);
    if (!scope) throw new ForbiddenError();
    return this.catalog.scopedCount(this.conditions(scope, filter));
  }

  private conditions(scope: SQL, filter: ProductsFilter): SQL[] {
    const c: SQL[] = [scope];
    if (filter.status) c.push(eq(products.status, filter.status));
    if (filter.countyCode) c.push(eq(products.originCountyCode, filter.countyCode));
    if (filter.enterpriseId) c.push(eq(products.enterpriseId, filter.enterpriseId));
    if (filter.search) c.push(sql`strpos(lower(${products.name}), ${filter.search.toLowerCase()}) > 0`);
    return c;
  }
}

/** The enterprise an enterprise user acts for; anyone else must name one. */
function ownEnterpriseOf(actor: Actor): string {
  if (actor.kind === "user" && actor.role === "ENTERPRISE" && actor.enterpriseId) return actor.enterpriseId;
  throw new UserFacingError(UserErrorCode.INVALID, "enterpriseId is required", ["input", "enterpriseId"]);
}
