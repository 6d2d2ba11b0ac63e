import { toGlobalId } from "../../graphql/global-id.js";
import type { ProductRow } from "../catalog/index.js";
import type { BudgetUnitRow, OrderRow } from "../procurement/index.js";
import { type ExportBuilder, authorized, keysetPages, mapPages } from "./export.types.js";
import { businessInstant } from "./params.js";
import { type Column, primed } from "./table.js";

interface OrderLine {
  order: OrderRow;
  unit: BudgetUnitRow | null;
  product: ProductRow | null;
}

const statusLabels: Record<string, string> = { RESERVED: "已预订", SHIPPED: "已发货", DELIVERED: "已验收", CANCELLED: "已取消" };
const channelLabels: Record<string, string> = { CANTEEN: "食堂采购", TRADE_UNION: "工会以购代捐" };

const columns: Column<OrderLine>[] = [
  { header: "订单ID", value: (r) => toGlobalId("Order", r.order.id), width: 40 },
  { header: "下单时间", value: (r) => businessInstant(r.order.createdAt), width: 30 },
  { header: "年度", kind: "integer", value: (r) => r.order.year },
  { header: "预算单位编码", value: (r) => r.unit?.code, width: 16 },
  { header: "预算单位名称", value: (r) => r.unit?.name, width: 30 },
  { header: "目录编号", value: (r) => r.product?.catalogNo, width: 22 },
  { header: "产品名称", value: (r) => r.product?.name, width: 30 },
  { header: "数量", kind: "integer", value: (r) => r.order.quantity },
  { header: "单价（元）", kind: "money", value: (r) => r.order.unitPrice },
  { header: "金额（元）", kind: "money", value: (r) => r.order.amount },
  // Unknown values (a status added later) pass as their code rather than as nothing.
  { header: "状态", value: (r) => statusLabels[r.order.status] ?? r.order.status },
  { header: "渠道", value: (r) => channelLabels[r.order.channel] ?? r.order.channel },
  { header: "发货时间", value: (r) => businessInstant(r.order.shippedAt), width: 30 },
  { header: "验收时间", value: (r) => businessInstant(r.order.deliveredAt), width: 30 },
  { header: "取消时间", value: (r) => businessInstant(r.order.cancelledAt), width: 30 },
];

/**
 * Orders (GraphQL `orders`), newest first, for any logged-in user like the query and filtered by the
 * same order policy (an officer its units', an enterprise its products', a reviewer its jurisdiction's,
 * admins all): keyset pages of the orders service. `year` optional (absent: every year).
 */
export const ordersExport: ExportBuilder = async (context, params) => {
  authorized(context);
  params.only("year");
  const year = params.year("none");
  const { services, actor, loaders } = context;
  const pages = await primed(keysetPages((args) => services.orders.ordersPage(actor, { year }, args)));
  return {
    asciiName: year ? `orders-${year}` : "orders",
    name: year ? `采购订单-${year}` : "采购订单",
    tables: [
      {
        name: "采购订单",
        columns,
        pages: mapPages(pages, (orders) =>
          Promise.all(
            orders.map(async (order) => ({
              order,
              unit: await loaders.budgetUnitById.load(order.budgetUnitId),
              product: await loaders.productById.load(order.productId),
            })),
          ),
        ),
      },
    ],
  };
};
