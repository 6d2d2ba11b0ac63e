import { asc, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database, Drizzle } from "../../db/client.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { type Command, isPrefectureReviewer, mayReviewIn } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import { notify, productStepNotices } from "../notifications/index.js";
import { businessToday } from "../../clock.js";
import { type CatalogEntry, type CatalogRemovalReason, type ProductRow, announceCatalogChanges, isInCatalog, lockProducts, setProductStatus } from "../catalog/index.js";
import { recordEvent } from "../outbox/index.js";
import { type CertificationEventRow, catalogSequences, certificationEvents } from "./certification.schema.js";
import { type CertificationStep, certificationSteps, mayTake, stepNames, validUntilFor } from "./certification.machine.js";

export type ReviewDecision = "APPROVE" | "REJECT";

/** A unit-price change of a certified product, recorded with the event it causes. */
export interface PriceChange {
  oldUnitPrice: string;
  newUnitPrice: string;
}

/**
 * 认定: moves products through the certification workflow, one locked transition at a time. The
 * products table is the catalog's: rows are locked and moved with its pieces (lockProducts,
 * setProductStatus), inside this module's transactions.
 */
export class CertificationService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly listingValidityYears: number,
  ) {}

  /** Locks the product row for this transaction; concurrent transitions queue behind the lock. */
  private async lockProduct(tx: Drizzle, productId: string, field: string[]): Promise<ProductRow> {
    const [row] = await lockProducts(tx, [productId]);
    if (!row) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", field);
    return row;
  }

  /**
   * Applies one step to a locked product: checks the state machine, updates the row, stores the
   * event (with the price change that caused it, if any). Callers have checked who may act.
   */
  async applyStep(
    tx: Drizzle,
    command: Command,
    product: ProductRow,
    step: CertificationStep,
    comment: string | null,
    entry?: CatalogEntry,
    field: string[] = ["input", "productId"],
    price?: PriceChange,
  ): Promise<ProductRow> {
    if (!mayTake(step, product, businessToday())) {
      throw new UserFacingError(
        UserErrorCode.INVALID_TRANSITION,
        `A ${product.status} product cannot take the step “${stepNames[step]}”`,
        field,
      );
    }
    const to = certificationSteps[step].to;
    const after = await setProductStatus(tx, product.id, product.status, to, entry);
    if (!after) throw new Error("locked product changed under its lock"); // cannot happen: the row is locked
    await tx.insert(certificationEvents).values({
      productId: product.id,
      fromStatus: product.status,
      toStatus: to,
      actorUserId: command.actor.kind === "user" ? command.actor.userId : null,
      comment,
      ...price,
    });
    await this.announce(tx, step, product, after);
    await this.audit.record(tx, command, {
      operation: step === "recertify" ? "updateProduct" : stepOperation[step],
      entityType: "Product",
      entityId: product.id,
      before: product,
      after,
    });
    await notify(tx, productStepNotices(step, after, comment));
    return after;
  }

  /**
   * Tells outsiders, in the step's transaction (the outbox): a review decision (`product.reviewed`),
   * and the catalog's change when the step moved the product into or out of it (`catalog.changed`).
   */
  private async announce(tx: Drizzle, step: CertificationStep, before: ProductRow, after: ProductRow): Promise<void> {
    if (step === "approve" || step === "reject") {
      await recordEvent(tx, {
        topic: "product.reviewed",
        aggregateType: "Product",
        aggregateId: after.id,
        payload: { decision: step === "approve" ? "APPROVED" : "REJECTED", status: after.status, enterpriseId: after.enterpriseId },
      });
      return;
    }
    const reason = removalReasons[step];
    await announceCatalogChanges(tx, [{ productId: after.id, reason, wasInCatalog: step !== "list" && isInCatalog(before) }]);
  }

  /**
   * 价格变动: a certified or listed product's price moved within the band; its status stays. Stored
   * as a PRICE_CHANGED event with the old and new price, in the caller's transaction (the caller
   * locked and updated the row, and audits the edit).
   */
  async recordPriceChange(tx: Drizzle, command: Command, product: ProductRow, price: PriceChange, comment: string): Promise<void> {
    await tx.insert(certificationEvents).values({
      productId: product.id,
      kind: "PRICE_CHANGED",
      fromStatus: product.status,
      toStatus: product.status,
      actorUserId: command.actor.kind === "user" ? command.actor.userId : null,
      comment,
      ...price,
    });
  }

  /** 申报: the product's own enterprise (or an admin) applies for certification. */
  async submit(command: Command, productId: string): Promise<ProductRow> {
    return this.transaction(async (tx) => {
      const product = await this.lockProduct(tx, productId, ["input", "productId"]);
      const actor = command.actor;
      const own = actor.kind === "user" && actor.role === "ENTERPRISE" && actor.enterpriseId === product.enterpriseId;
      if (!own && !(actor.kind === "user" && actor.role === "ADMIN")) throw new ForbiddenError("Only the product's enterprise may apply");
      return this.applyStep(tx, command, product, "submit", null);
    });
  }

  /** 认定 or 驳回 by the origin county's office (or the prefecture's, or an admin). */
  async review(command: Command, productId: string, decision: ReviewDecision, comment: string | null): Promise<ProductRow> {
    return this.transaction(async (tx) => {
      const product = await this.lockProduct(tx, productId, ["input", "productId"]);
      if (!mayReviewIn(command.actor, product.originCountyCode)) {
        throw new ForbiddenError("Only the poverty office of the product's origin county may review it");
      }
      if (decision === "REJECT" && !comment) {
        throw new UserFacingError(UserErrorCode.INVALID, "驳回须说明理由 A rejection needs a comment", ["input", "comment"]);
      }
      return this.applyStep(tx, command, product, decision === "APPROVE" ? "approve" : "reject", comment);
    });
  }

  /**
   * 入录: the prefecture office enters certified products in the catalog, all or none. Each gets a
   * catalog number `<county>-<year>-<6 digits>` (kept when it had one), a batch and a validity.
   */
  async list(command: Command, productIds: string[], batch: string): Promise<ProductRow[]> {
    if (!isPrefectureReviewer(command.actor)) throw new ForbiddenError("Only the prefecture poverty office may enter products in the catalog");
    return this.transaction(async (tx) => {
      // Lock in id order, so concurrent listings of overlapping batches cannot deadlock.
      const ordered = [...new Set(productIds)].sort();
      const locked = await lockProducts(tx, ordered);
      const byId = new Map(locked.map((p) => [p.id, p]));
      const validFrom = businessToday();
      const validUntil = validUntilFor(validFrom, this.listingValidityYears);
      const year = Number(validFrom.slice(0, 4));
      const listed = new Map<string, ProductRow>();
      for (const id of ordered) {
        const field = ["input", "productIds", String(productIds.indexOf(id))];
        const product = byId.get(id);
        if (!product) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", field);
        if (!mayTake("list", product, validFrom)) {
          throw new UserFacingError(UserErrorCode.NOT_CERTIFIED, `Only CERTIFIED products can be listed; this one is ${product.status}`, field);
        }
        const catalogNo = product.catalogNo ?? (await this.nextCatalogNo(tx, product.originCountyCode, year));
        listed.set(id, await this.applyStep(tx, command, product, "list", `入录 ${batch}`, { catalogNo, batch, validFrom, validUntil }, field));
      }
      return productIds.map((id) => listed.get(id)!).filter((p, i, all) => all.indexOf(p) === i);
    });
  }

  /** 撤销认定, with a reason, by a reviewer of the origin county or the prefecture. */
  async revoke(command: Command, productId: string, reason: string): Promise<ProductRow> {
    return this.transaction(async (tx) => {
      const product = await this.lockProduct(tx, productId, ["input", "productId"]);
      if (!mayReviewIn(command.actor, product.originCountyCode)) {
        throw new ForbiddenError("Only the poverty office of the product's origin county or the prefecture may revoke it");
      }
      return this.applyStep(tx, command, product, "revoke", reason);
    });
  }

  /** Takes the next number atomically; a rolled-back listing leaves a gap, never a duplicate. */
  private async nextCatalogNo(tx: Drizzle, countyCode: string, year: number): Promise<string> {
    const [row] = await tx
      .insert(catalogSequences)
      .values({ countyCode, year, lastValue: 1 })
      .onConflictDoUpdate({
        target: [catalogSequences.countyCode, catalogSequences.year],
        set: { lastValue: sql`${catalogSequences.lastValue} + 1` },
      })
      .returning({ lastValue: catalogSequences.lastValue });
    return `${countyCode}-${year}-${String(row!.lastValue).padStart(6, "0")}`;
  }

  async historyOf(productIds: readonly string[]): Promise<Map<string, CertificationEventRow[]>> {
    const rows = await this.database.db
      .select()
      .from(certificationEvents)
      .where(anyOf(certificationEvents.productId, productIds, "uuid"))
      .orderBy(asc(certificationEvents.at), asc(certificationEvents.id));
    const byProduct = new Map<string, CertificationEventRow[]>(productIds.map((id) => [id, []]));
    for (const row of rows) byProduct.get(row.productId)?.push(row);
    return byProduct;
  }

  private transaction<T>(work: (tx: Drizzle) => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }
}

const stepOperation: Record<Exclude<CertificationStep, "recertify">, string> = {
  submit: "submitProductForCertification",
  approve: "reviewProduct",
  reject: "reviewProduct",
  list: "listProducts",
  revoke: "revokeCertification",
};

/** Why a step takes a product out of the catalog (a listing leaves it only by these steps or by expiry). */
const removalReasons: Record<Exclude<CertificationStep, "approve" | "reject">, CatalogRemovalReason> = {
  list: "REVOKED", // never used: listing puts a product in
  revoke: "REVOKED",
  recertify: "SENT_BACK_TO_REVIEW",
  submit: "EXPIRED", // only an expired listing is submitted again
};
