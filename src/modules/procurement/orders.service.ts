import { createHash } from "node:crypto";
import { anyOf } from "../../db/any-of.js";
import { type SQL, and, eq, sql } from "drizzle-orm";
import type { Database, Drizzle } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { Actor, Command, Policy } from "../../actor.js";
import { type AuditService, createdChanges, insertAuditEntries } from "../audit/index.js";
import { businessToday, businessYear } from "../../clock.js";
import { type CatalogService, returnSupply, takeSupply } from "../catalog/index.js";
import { enterpriseIsVerified } from "../enterprises/index.js";
import { deliveryRejectedNotice, notify, orderPlacedNotifications, orderShippedNotice } from "../notifications/index.js";
import { insertOutboxEvents, recordEvent } from "../outbox/index.js";
import { createOrderPolicy } from "./procurement.policy.js";
import { type OrderRow, budgetUnits, orders, quotas } from "./procurement.schema.js";
import { type QuotasService, actsForUnit } from "./quotas.service.js";

export interface Reservation {
  budgetUnitId: string;
  productId: string;
  quantity: number;
  idempotencyKey: string;
  channel: OrderRow["channel"];
}

/** What the unit records on accepting a delivery (验货). */
export interface DeliveryReceipt {
  invoiceNo: string | null;
  deliveryNote: string | null;
}

export interface OrderFilter {
  budgetUnitId?: string | undefined;
  productId?: string | undefined;
  status?: OrderRow["status"] | undefined;
  year?: number | undefined;
}

/**
 * The audit changes of a new order, in the audit log's shape ({ field: { before: null, after } }), over
 * the inserted row. A function, not a constant: the audit face must not be used while modules load.
 */
const createdOrderChanges = () =>
  createdChanges({
    budgetUnitId: sql`budget_unit_id`,
    productId: sql`product_id`,
    year: sql`year`,
    quantity: sql`quantity`,
    unitPrice: sql`unit_price::text`,
    amount: sql`amount::text`,
    status: sql`status`,
    channel: sql`channel`,
    idempotencyKey: sql`idempotency_key`,
    requestHash: sql`request_hash`,
    createdBy: sql`created_by`,
  });

const byCreated: SortKey<OrderRow> = {
  name: "CREATED_AT",
  expression: sql`${orders.createdAt}`,
  valueOf: (row) => row.createdAt.toISOString(),
  parameter: cursorParameter.timestamp,
};

const returnTheSupply = async (tx: Drizzle, order: OrderRow) => {
  await tx.execute(returnSupply(order.productId, order.quantity));
};

/** The payload of an `order.changed` event (the same keys as the reservation's, written in SQL above). */
function orderChange(order: OrderRow, previousStatus: OrderRow["status"] | null) {
  return {
    orderId: order.id,
    status: order.status,
    previousStatus,
    productId: order.productId,
    budgetUnitId: order.budgetUnitId,
    quantity: order.quantity,
    amount: order.amount,
  };
}

function requestHash(r: Reservation): string {
  return createHash("sha256").update(JSON.stringify([r.budgetUnitId, r.productId, r.quantity, r.channel])).digest("hex");
}

/**
 * Orders against the reserved share. Supply is taken by one conditional UPDATE in PostgreSQL
 * (never read-then-write in JavaScript); idempotency keys are unique per unit in the database.
 */
export class OrdersService {
  readonly policy: Policy<OrderRow>;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly quotas: QuotasService,
    private readonly catalog: CatalogService,
    readonly maxQuantity: number,
  ) {
    this.policy = createOrderPolicy(database);
  }

  async reserve(command: Command, input: Reservation): Promise<{ order: OrderRow; replayed: boolean }> {
    if (!actsForUnit(command.actor, input.budgetUnitId)) throw new ForbiddenError("Only the unit's own procurement officer may order for it");
    const hash = requestHash(input);
    const earlier = await this.replayOf(input, hash);
    if (earlier) return { order: earlier, replayed: true };
    const year = businessYear();
    let placed: Record<string, unknown> | undefined;
    try {
      [placed] = await this.database.rows(this.placeOrderStatement(command, input, hash, year));
    } catch (error) {
      // quantity × unit price beyond the amount column (numeric(14, 2)): nothing was written.
      if (pgErrorCode(error) === PgCode.numericValueOutOfRange) {
        throw new UserFacingError(UserErrorCode.INVALID, "金额超限: quantity × unit price exceeds the largest order amount, 999999999999.99", ["input", "quantity"]);
      }
      // A concurrent replay inserted the key first: the whole statement rolled back, supply included.
      if (pgErrorCode(error) !== PgCode.uniqueViolation || pgConstraint(error) !== "orders_unit_idempotency_key") throw error;
      const replay = await this.replayOf(input, hash);
      if (!replay) throw error;
      return { order: replay, replayed: true };
    }
    if (!placed) throw await this.whyNotPlaced(input, year);
    const [order] = await this.ordersByIds([placed.id as string]);
    return { order: order!, replayed: false };
  }

  /**
   * One statement, so the hot product's row lock is held only for its own duration: take the supply
   * (conditional UPDATE: listed, unexpired, enough, quota declared), insert the order at the unit
   * price of that moment, write the audit row. Nothing happens when the UPDATE matches no row; a
   * duplicate idempotency key fails the whole statement.
   */
  private placeOrderStatement(command: Command, input: Reservation, hash: string, year: number): SQL {
    const actorUserId = command.actor.kind === "user" ? command.actor.userId : null;
    return sql`
      with taken as (
        ${takeSupply(input.productId, input.quantity, sql`exists (select 1 from ${quotas} where budget_unit_id = ${input.budgetUnitId}::uuid and year = ${year}::smallint)`)}),
      placed as (
        insert into ${orders} (budget_unit_id, product_id, year, quantity, unit_price, amount, channel, idempotency_key, request_hash, created_by)
        select ${input.budgetUnitId}::uuid, ${input.productId}::uuid, ${year}::smallint, ${input.quantity}::int, unit_price,
               unit_price * ${input.quantity}::int, ${input.channel}::order_channel, ${input.idempotencyKey}::varchar, ${hash}::varchar,
               ${actorUserId}::uuid
        from taken
        returning *),
      audited as (
        ${insertAuditEntries(command, { operation: "reservePurchase", entityType: "Order", rows: sql`placed`, entityId: sql`id::text`, changes: createdOrderChanges() })}),
      notified as (
        ${orderPlacedNotifications({
          rows: sql`placed join taken on taken.id = placed.product_id join ${budgetUnits} buyer on buyer.id = placed.budget_unit_id`,
          orderId: sql`placed.id`, enterpriseId: sql`taken.enterprise_id`, buyer: sql`buyer.name`, productName: sql`taken.name`,
          quantity: sql`placed.quantity`, unit: sql`taken.unit`, amount: sql`placed.amount`,
        })}),
      announced as (
        ${insertOutboxEvents({
          topic: "order.changed",
          aggregateType: "Order",
          rows: sql`placed`,
          aggregateId: sql`placed.id::text`,
          payload: sql`jsonb_build_object('orderId', placed.id, 'status', placed.status, 'previousStatus', null, 'productId', placed.product_id,
                                          'budgetUnitId', placed.budget_unit_id, 'quantity', placed.quantity, 'amount', placed.amount::text)`,
        })})
      select id from placed`;
  }

  private async whyNotPlaced(input: Reservation, year: number): Promise<UserFacingError> {
    const [unit] = await this.database.db.select({ id: budgetUnits.id }).from(budgetUnits).where(eq(budgetUnits.id, input.budgetUnitId));
    if (!unit) return new UserFacingError(UserErrorCode.NOT_FOUND, "No such budget unit", ["input", "budgetUnitId"]);
    const [product] = await this.catalog.productsByIds([input.productId]);
    if (!product) return new UserFacingError(UserErrorCode.NOT_FOUND, "No such product", ["input", "productId"]);
    if (product.status !== "LISTED" || (product.validUntil ?? "") < businessToday()) {
      const why = product.status === "LISTED" ? "its listing has expired" : `it is ${product.status}`;
      return new UserFacingError(UserErrorCode.NOT_CERTIFIED, `未入录或已过期: the product is not in the catalog (${why})`, ["input", "productId"]);
    }
    const [supplier] = await this.database.rows<{ verified: boolean }>(sql`select ${enterpriseIsVerified(sql`${product.enterpriseId}::uuid`)} as verified`);
    if (!supplier?.verified) {
      return new UserFacingError(UserErrorCode.ENTERPRISE_NOT_VERIFIED, "企业已暂停: the product's enterprise is not VERIFIED (suspended), so it is out of the catalog", ["input", "productId"]);
    }
    if (!(await this.quotas.hasQuota(this.database.db, input.budgetUnitId, year))) {
      return new UserFacingError(UserErrorCode.NO_QUOTA, `未申报 ${year} 年预留份额: the unit has no quota declared for ${year}`, ["input", "budgetUnitId"]);
    }
    return new UserFacingError(
      UserErrorCode.INSUFFICIENT_SUPPLY,
      `供应不足: only ${product.availableSupply} available, ${input.quantity} asked`,
      ["input", "quantity"],
    );
  }

  /** The order an earlier request with this key made; a different request under the key is refused. */
  private async replayOf(input: Reservation, hash: string): Promise<OrderRow | undefined> {
    const [earlier] = await this.database.db
      .select()
      .from(orders)
      .where(and(eq(orders.budgetUnitId, input.budgetUnitId), eq(orders.idempotencyKey, input.idempotencyKey)));
    if (earlier && earlier.requestHash !== hash) {
      throw new UserFacingError(
        UserErrorCode.IDEMPOTENCY_CONFLICT,
        "幂等键已用于另一笔请求: this idempotency key was used for a different request",
        ["input", "idempotencyKey"],
      );
    }
    return earlier;
  }

  /** RESERVED → CANCELLED by the unit, with its reason if given; the supply returns exactly once (the status update is conditional). */
  async cancel(command: Command, orderId: string, reason: string | null = null): Promise<OrderRow> {
    const current = await this.load(orderId);
    if (!actsForUnit(command.actor, current.budgetUnitId)) throw new ForbiddenError("Only the unit's own procurement officer may cancel its order");
    return this.transition(command, current, "cancelReservation", "RESERVED", "CANCELLED", { cancelReason: reason }, returnTheSupply);
  }

  /** RESERVED → SHIPPED by the supplying enterprise. */
  async ship(command: Command, orderId: string): Promise<OrderRow> {
    const current = await this.load(orderId);
    const [product] = await this.catalog.productsByIds([current.productId]);
    const actor = command.actor;
    const supplier = actor.kind === "user" && actor.role === "ENTERPRISE" && actor.enterpriseId === product?.enterpriseId;
    if (!supplier && !(actor.kind === "user" && actor.role === "ADMIN")) throw new ForbiddenError("Only the supplying enterprise may ship the order");
    return this.transition(command, current, "markShipped", "RESERVED", "SHIPPED", {}, (tx, order) => notify(tx, orderShippedNotice(order, product!)));
  }

  /** SHIPPED → DELIVERED: the unit accepts goods and invoice (验货); the amount counts toward completion. */
  async confirmDelivery(command: Command, orderId: string, receipt: DeliveryReceipt = { invoiceNo: null, deliveryNote: null }): Promise<OrderRow> {
    const current = await this.load(orderId);
    if (!actsForUnit(command.actor, current.budgetUnitId)) throw new ForbiddenError("Only the unit's own procurement officer may confirm delivery");
    return this.transition(command, current, "confirmDelivery", "SHIPPED", "DELIVERED", receipt);
  }

  /**
   * SHIPPED → REJECTED (拒收): the unit refuses the goods, saying why; the supply returns exactly once
   * (the status update is conditional, in the transaction that returns it), and nothing counts.
   */
  async reject(command: Command, orderId: string, reason: string): Promise<OrderRow> {
    const current = await this.load(orderId);
    if (!actsForUnit(command.actor, current.budgetUnitId)) throw new ForbiddenError("Only the unit's own procurement officer may refuse its delivery");
    const [product] = await this.catalog.productsByIds([current.productId]);
    return this.transition(command, current, "rejectDelivery", "SHIPPED", "REJECTED", { rejectionReason: reason }, async (tx, order) => {
      await returnTheSupply(tx, order);
      await notify(tx, deliveryRejectedNotice(order, product!, reason));
    });
  }

  private async load(orderId: string): Promise<OrderRow> {
    const [order] = await this.database.db.select().from(orders).where(eq(orders.id, orderId));
    if (!order) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such order", ["input", "orderId"]);
    return order;
  }

  /**
   * One status step: a conditional UPDATE (`status = from`), so of concurrent steps on one order
   * exactly one matches; the effect (returning supply) runs only for it, in the same transaction.
   */
  private async transition(
    command: Command,
    before: OrderRow,
    operation: string,
    from: OrderRow["status"],
    to: OrderRow["status"],
    details: Partial<Pick<OrderRow, "invoiceNo" | "deliveryNote" | "cancelReason" | "rejectionReason">> = {},
    effect?: (tx: Drizzle, order: OrderRow) => Promise<void>,
  ): Promise<OrderRow> {
    const now = new Date();
    const stamp = { SHIPPED: { shippedAt: now }, DELIVERED: { deliveredAt: now }, CANCELLED: { cancelledAt: now }, REJECTED: { rejectedAt: now }, RESERVED: {} }[to];
    return this.database.transaction(async (tx) => {
      const [after] = await tx
        .update(orders)
        .set({ status: to, ...stamp, ...details })
        .where(and(eq(orders.id, before.id), eq(orders.status, from)))
        .returning();
      if (!after) {
        const [current] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, before.id));
        throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, `A ${current?.status ?? before.status} order cannot become ${to}`, ["input", "orderId"]);
      }
      await effect?.(tx, after);
      await this.audit.record(tx, command, { operation, entityType: "Order", entityId: after.id, before, after });
      await recordEvent(tx, { topic: "order.changed", aggregateType: "Order", aggregateId: after.id, payload: orderChange(after, from) });
      return after;
    });
  }

  async ordersByIds(ids: readonly string[]): Promise<OrderRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(orders).where(anyOf(orders.id, ids, "uuid"));
  }

  private conditions(actor: Actor, filter: OrderFilter): SQL[] {
    const scope = this.policy.scope(actor);
    if (!scope) throw new ForbiddenError("Only procurement officers, enterprises, poverty offices and admins may read orders");
    const c: SQL[] = [scope];
    if (filter.budgetUnitId) c.push(eq(orders.budgetUnitId, filter.budgetUnitId));
    if (filter.productId) c.push(eq(orders.productId, filter.productId));
    if (filter.status) c.push(eq(orders.status, filter.status));
    if (filter.year) c.push(eq(orders.year, filter.year));
    return c;
  }

  async ordersPage(actor: Actor, filter: OrderFilter, args: PageArgs): Promise<Page<OrderRow>> {
    const plan = planPage(args, byCreated, "DESC", sql`${orders.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(orders)
      .where(and(...this.conditions(actor, filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byCreated, (row) => row.id);
  }

  async ordersCount(actor: Actor, filter: OrderFilter): Promise<number> {
    const [row] = await this.database.db.select({ count: sql<number>`count(*)::int` }).from(orders).where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }
}
