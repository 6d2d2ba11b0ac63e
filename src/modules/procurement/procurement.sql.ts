import { type SQL, sql } from "drizzle-orm";
import { businessTimeZoneName } from "../../clock.js";
import { orders } from "./procurement.schema.js";

/**
 * Procurement's SQL pieces, composed into other modules' statements (no other module names `orders`).
 * Exported by the face.
 */

/**
 * Budget units' purchases as sales: the DELIVERED orders (验货 accepted) whose delivery fell on a
 * business day (China time) from `from` to `to` inclusive, as rows `(record_key, source, record_id,
 * line_no, channel, product_id, quantity, amount, sold_on)` — channel CANTEEN or TRADE_UNION
 * (以购代捐), sold_on the delivery's business day, record_key `O:<order id>` (unique, for paging).
 * Use as `from (${deliveredOrderSales(f, t)}) s`.
 */
export function deliveredOrderSales(from: string, to: string): SQL {
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  return sql`select 'O:' || ${orders.id}::text as record_key, 'ORDER' as source, ${orders.id} as record_id, null::int as line_no,
                    ${orders.channel}::text as channel, ${orders.productId} as product_id, ${orders.quantity} as quantity,
                    ${orders.amount} as amount, (${orders.deliveredAt} at time zone ${zone})::date as sold_on
             from ${orders}
             where ${orders.status} = 'DELIVERED'
               and ${orders.deliveredAt} >= (${from}::date)::timestamp at time zone ${zone}
               and ${orders.deliveredAt} < (${to}::date + 1)::timestamp at time zone ${zone}`;
}
