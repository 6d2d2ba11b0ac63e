import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { businessYear } from "../src/clock.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { frontDoor } from "./support/front-door.js";
import { gid, productInState } from "./support/fixtures.js";

/**
 * Issue 10 item 10: how orders end. confirmDelivery keeps the invoice number and a delivery note;
 * cancelReservation keeps its reason; rejectDelivery refuses a SHIPPED order (REJECTED), returning its
 * supply exactly once. Through GraphQL with the IDs the API returns, as each role. The officer's unit
 * is 州财政局 (which has this year's quota from the seed).
 */
const setup = useTestApi();
const { read, mutate } = frontDoor(setup);
const year = businessYear();
let serial = 0;

const ORDER = `id status quantity amount invoiceNo deliveryNote cancelReason rejectionReason shippedAt deliveredAt cancelledAt rejectedAt`;
const officer = () => setup.callers.credentials.officer;
const enterprise = () => setup.callers.credentials.ownEnterprise;
const caizheng = toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng);

async function listed(supply: number) {
  const product = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { unitPrice: "50.00", availableSupply: supply });
  return gid.product(product.id);
}

const supplyOf = async (productId: string) => (await read(`query ($id: ID!) { product(id: $id) { availableSupply } }`, { id: productId }, enterprise())).product.availableSupply as number;

async function orderOf(productId: string, quantity: number, state: "RESERVED" | "SHIPPED" | "DELIVERED") {
  const { order } = await mutate("reservePurchase", { budgetUnitId: caizheng, productId, quantity, idempotencyKey: `endings-${Date.now()}-${serial++}` }, "order { id }", officer());
  if (state !== "RESERVED") await mutate("markShipped", { orderId: order.id }, "order { id }", enterprise());
  if (state === "DELIVERED") await mutate("confirmDelivery", { orderId: order.id }, "order { id }", officer());
  return order.id as string;
}

const act = (field: string, input: Record<string, unknown>, as: Credentials = officer()) =>
  setup.api.run(`mutation ($input: ${field[0]!.toUpperCase()}${field.slice(1)}Input!) { r: ${field}(input: $input) { order { ${ORDER} } userErrors { code message field } } }`, { input }, as);
const orderNow = async (id: string, as: Credentials = officer()) => (await read(`query ($id: ID!) { node(id: $id) { ... on Order { ${ORDER} } } }`, { id }, as)).node;
const auditOf = (orderId: string) => setup.api.services.audit.entriesFor("Order", fromGlobalId(orderId).key);

describe("confirmDelivery keeps the invoice number and the delivery note", () => {
  it("stores both and shows them to the unit and the supplier", async () => {
    const product = await listed(20);
    const id = await orderOf(product, 2, "SHIPPED");
    const result = await act("confirmDelivery", { orderId: id, invoiceNo: "  24432000000012345678 ", deliveryNote: "送货单 XS-0012，2 箱，外观完好" });
    expect(result.data.r.userErrors).toEqual([]);
    expect(result.data.r.order).toMatchObject({ status: "DELIVERED", invoiceNo: "24432000000012345678", deliveryNote: "送货单 XS-0012，2 箱，外观完好" });
    expect(await orderNow(id, enterprise())).toMatchObject({ invoiceNo: "24432000000012345678", deliveryNote: "送货单 XS-0012，2 箱，外观完好" });
    const [entry] = (await auditOf(id)).filter((a) => a.operation === "confirmDelivery");
    expect((entry!.changes as Record<string, { after: unknown }>).invoiceNo?.after).toBe("24432000000012345678");
  });

  it("accepts a confirmation without them (first-round clients), recording none", async () => {
    const id = await orderOf(await listed(20), 1, "SHIPPED");
    const result = await act("confirmDelivery", { orderId: id });
    expect(result.data.r.order).toMatchObject({ status: "DELIVERED", invoiceNo: null, deliveryNote: null });
  });

  it.each([
    ["an invoice number with spaces inside", { invoiceNo: "2443 2000" }, "invoiceNo"],
    ["an invoice number of 65 characters", { invoiceNo: "1".repeat(65) }, "invoiceNo"],
    ["a note of 1,001 characters", { deliveryNote: "验".repeat(1001) }, "deliveryNote"],
  ])("refuses %s, and the order stays SHIPPED", async (_name, patch, field) => {
    const id = await orderOf(await listed(20), 1, "SHIPPED");
    const result = await act("confirmDelivery", { orderId: id, ...patch });
    expect(result.data.r.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", field] })]);
    expect(await orderNow(id)).toMatchObject({ status: "SHIPPED", invoiceNo: null, deliveredAt: null });
  });
});

describe("cancelReservation keeps its reason", () => {
  it("stores the reason (trimmed), returns the supply, and records none when none is given", async () => {
    const product = await listed(30);
    const id = await orderOf(product, 4, "RESERVED");
    expect(await supplyOf(product)).toBe(26);
    const result = await act("cancelReservation", { orderId: id, reason: "  食堂菜单调整  " });
    expect(result.data.r.order).toMatchObject({ status: "CANCELLED", cancelReason: "食堂菜单调整" });
    expect(await supplyOf(product)).toBe(30);
    const plain = await act("cancelReservation", { orderId: await orderOf(product, 1, "RESERVED") });
    expect(plain.data.r.order).toMatchObject({ status: "CANCELLED", cancelReason: null });
    expect(await supplyOf(product)).toBe(30);
  });
});

describe("rejectDelivery: the unit refuses a SHIPPED order", () => {
  it("ends it REJECTED with its reason, returns the supply once, and audits it", async () => {
    const product = await listed(40);
    const id = await orderOf(product, 5, "SHIPPED");
    expect(await supplyOf(product)).toBe(35);
    const result = await act("rejectDelivery", { orderId: id, reason: "猕猴桃到货时已腐烂" });
    expect(result.data.r.userErrors).toEqual([]);
    expect(result.data.r.order).toMatchObject({ status: "REJECTED", rejectionReason: "猕猴桃到货时已腐烂", deliveredAt: null, cancelledAt: null });
    expect(Date.parse(result.data.r.order.rejectedAt)).toBeGreaterThanOrEqual(Date.parse(result.data.r.order.shippedAt));
    expect(await supplyOf(product)).toBe(40);
    // Twice is refused, and the supply does not come back again.
    const again = await act("rejectDelivery", { orderId: id, reason: "再次拒收" });
    expect(again.data.r.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION", field: ["input", "orderId"] })]);
    expect(await supplyOf(product)).toBe(40);
    const entries = (await auditOf(id)).filter((a) => a.operation === "rejectDelivery");
    expect(entries).toHaveLength(1);
    expect((entries[0]!.changes as Record<string, unknown>).status).toEqual({ before: "SHIPPED", after: "REJECTED" });
    // The enterprise sees why; the unit's orders list it under REJECTED.
    expect(await orderNow(id, enterprise())).toMatchObject({ status: "REJECTED", rejectionReason: "猕猴桃到货时已腐烂" });
    const listedRejected = await read(`query ($f: OrderFilter) { orders(filter: $f, first: 100) { nodes { id } } }`, { f: { status: "REJECTED", budgetUnitId: caizheng } }, officer());
    expect(listedRejected.orders.nodes.map((n: { id: string }) => n.id)).toContain(id);
  });

  it("counts a rejected order neither as delivered nor as open", async () => {
    const QUOTA = `query ($u: ID, $y: Int) { quotas(filter: {budgetUnitId: $u, year: $y}) { deliveredAmount openAmount } }`;
    const before = (await read(QUOTA, { u: caizheng, y: year }, officer())).quotas[0];
    const id = await orderOf(await listed(10), 3, "SHIPPED");
    const open = (await read(QUOTA, { u: caizheng, y: year }, officer())).quotas[0];
    expect(open.openAmount).not.toBe(before.openAmount); // 150.00 more is open while shipped
    await mutate("rejectDelivery", { orderId: id, reason: "规格不符" }, "order { id }", officer());
    expect((await read(QUOTA, { u: caizheng, y: year }, officer())).quotas[0]).toEqual(before);
  });

  it.each(["RESERVED", "DELIVERED"] as const)("refuses a %s order as INVALID_TRANSITION, changing nothing", async (state) => {
    const product = await listed(10);
    const id = await orderOf(product, 2, state);
    const result = await act("rejectDelivery", { orderId: id, reason: "不要了" });
    expect(result.data.r.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);
    expect((await orderNow(id)).status).toBe(state);
    expect(await supplyOf(product)).toBe(8);
  });

  it("asks for a reason", async () => {
    const id = await orderOf(await listed(10), 1, "SHIPPED");
    for (const reason of ["", "  ", "坏"]) {
      const result = await act("rejectDelivery", { orderId: id, reason });
      expect(result.data.r.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "reason"] })]);
    }
    expect((await orderNow(id)).status).toBe("SHIPPED");
  });

  it("is the unit's own officers' (and admins'): others are refused and nothing changes", async () => {
    const product = await listed(10);
    const id = await orderOf(product, 2, "SHIPPED");
    for (const caller of ["otherOfficer", "ownEnterprise", "prefectureReviewer", "partner", "anonymous"] as const) {
      const result = await act("rejectDelivery", { orderId: id, reason: "越权拒收" }, setup.callers.credentials[caller]);
      expect(errorCodes(result)).toEqual([caller === "anonymous" || caller === "partner" ? "UNAUTHENTICATED" : "FORBIDDEN"]);
    }
    expect((await orderNow(id)).status).toBe("SHIPPED");
    const byAdmin = await act("rejectDelivery", { orderId: id, reason: "管理员代为拒收" }, setup.callers.credentials.admin);
    expect(byAdmin.data.r.order).toMatchObject({ status: "REJECTED", rejectionReason: "管理员代为拒收" });
    expect(await supplyOf(product)).toBe(10);
  });
});
