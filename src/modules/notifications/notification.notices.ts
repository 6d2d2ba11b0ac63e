import { PREFECTURE } from "../../actor.js";
import type { NotificationKindName, RecipientType } from "./notification.schema.js";

/** The unit a notification is for (every account of it sees it). */
export interface Recipient {
  type: RecipientType;
  /** an enterprise's or budget unit's UUID, or an office's division code */
  id: string;
}

export const recipient = {
  enterprise: (enterpriseId: string): Recipient => ({ type: "ENTERPRISE", id: enterpriseId }),
  /** a poverty-alleviation office (扶贫办): a county's, or the prefecture's (433100) */
  office: (divisionCode: string): Recipient => ({ type: "OFFICE", id: divisionCode }),
  budgetUnit: (budgetUnitId: string): Recipient => ({ type: "BUDGET_UNIT", id: budgetUnitId }),
};

export type SubjectType = "Product" | "Order" | "Enterprise";

/** One notification to write: for whom, what kind, about which object, in Chinese. */
export interface Notice {
  recipient: Recipient;
  kind: NotificationKindName;
  subject: { type: SubjectType; id: string };
  message: string;
}

/** What the product notices read of a product row (the catalog's ProductRow has all of it). */
export interface ProductFacts {
  id: string;
  name: string;
  enterpriseId: string;
  originCountyCode: string;
  catalogNo: string | null;
  validUntil: string | null;
}

/** The certification steps (the certification module's names) that someone outside must hear of. */
export type ProductStep = "submit" | "approve" | "reject" | "list" | "revoke" | "recertify";

const withReason = (text: string, reason: string | null) => (reason ? `${text}：${reason}` : text);

/**
 * The notices of one certification step of a product, as it is after the step: the enterprise hears
 * of every decision about its product; the origin county's office of what awaits its review (a new
 * submission, or a product sent back to review); the prefecture's office of what awaits listing.
 */
export function productStepNotices(step: ProductStep, product: ProductFacts, comment: string | null): Notice[] {
  const about = { type: "Product" as const, id: product.id };
  const name = `「${product.name}」`;
  const toEnterprise = (kind: NotificationKindName, message: string): Notice => ({ recipient: recipient.enterprise(product.enterpriseId), kind, subject: about, message });
  const toCounty = (message: string): Notice => ({ recipient: recipient.office(product.originCountyCode), kind: "PRODUCT_SUBMITTED", subject: about, message });
  switch (step) {
    case "submit":
      return [toCounty(`${name}申报扶贫产品认定，待县扶贫办审核`)];
    case "approve":
      return [
        toEnterprise("PRODUCT_CERTIFIED", withReason(`${name}已通过扶贫产品认定`, comment)),
        { recipient: recipient.office(PREFECTURE), kind: "PRODUCT_AWAITING_LISTING", subject: about, message: `${name}已通过县级认定，待入录扶贫产品目录` },
      ];
    case "reject":
      return [toEnterprise("PRODUCT_REJECTED", withReason(`${name}认定申请被驳回`, comment))];
    case "list":
      return [toEnterprise("PRODUCT_LISTED", `${name}已入录扶贫产品目录，目录编号 ${product.catalogNo ?? "—"}，有效期至 ${product.validUntil ?? "—"}`)];
    case "revoke":
      return [toEnterprise("PRODUCT_REVOKED", withReason(`${name}已被撤销扶贫产品认定，移出目录`, comment))];
    case "recertify":
      return [
        toEnterprise("PRODUCT_SENT_BACK_TO_REVIEW", withReason(`${name}已退回重新认定，审核通过前不在目录中`, comment)),
        toCounty(withReason(`${name}变更后退回重新认定，待县扶贫办审核`, comment)),
      ];
  }
}

/** What the order notices read of an order and its product. */
export interface OrderFacts {
  id: string;
  budgetUnitId: string;
  quantity: number;
}

export interface OrderedProductFacts {
  name: string;
  unit: string;
  enterpriseId: string;
}

/** 已发货: the ordering unit's officers are to accept the goods (验货). */
export function orderShippedNotice(order: OrderFacts, product: OrderedProductFacts): Notice {
  return {
    recipient: recipient.budgetUnit(order.budgetUnitId),
    kind: "ORDER_SHIPPED",
    subject: { type: "Order", id: order.id },
    message: `「${product.name}」${order.quantity}${product.unit}已发货，请验货确认`,
  };
}

/** 拒收: the supplier hears that the unit refused the goods, and why. */
export function deliveryRejectedNotice(order: OrderFacts, product: OrderedProductFacts, reason: string): Notice {
  return {
    recipient: recipient.enterprise(product.enterpriseId),
    kind: "DELIVERY_REJECTED",
    subject: { type: "Order", id: order.id },
    message: withReason(`「${product.name}」${order.quantity}${product.unit}的订单被采购单位拒收`, reason),
  };
}

/** 新注册: the office of the enterprise's county is to verify it (核实). */
export function enterpriseRegisteredNotice(enterprise: { id: string; name: string; uscc: string; countyCode: string }): Notice {
  return {
    recipient: recipient.office(enterprise.countyCode),
    kind: "ENTERPRISE_REGISTERED",
    subject: { type: "Enterprise", id: enterprise.id },
    message: `新经营主体「${enterprise.name}」（统一社会信用代码 ${enterprise.uscc}）已注册，待核实`,
  };
}
