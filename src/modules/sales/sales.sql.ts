import { type SQL, sql } from "drizzle-orm";
import { salesLines, salesReports } from "./sales.schema.js";

/**
 * The lines of the sales reports that count (not superseded by a correction), sold from business
 * day `from` to `to` inclusive, as rows `(record_key, source, record_id, line_no, channel,
 * product_id, quantity, amount, sold_on)` — the columns of procurement's `deliveredOrderSales`, so
 * the two union into every channel's records. record_key `S:<report id>:<line no, 5 digits>` is
 * unique (for paging). With `reportId`: that report's lines whatever its status.
 */
export function countedSalesLines(from: string, to: string, reportId?: string): SQL {
  const l = salesLines;
  const r = salesReports;
  return sql`select 'S:' || ${l.reportId}::text || ':' || lpad(${l.lineNo}::text, 5, '0') as record_key, 'SALES_REPORT' as source,
                    ${l.reportId} as record_id, ${l.lineNo} as line_no, ${l.channel}::text as channel, ${l.productId} as product_id,
                    ${l.quantity} as quantity, ${l.amount} as amount, ${l.soldOn} as sold_on
             from ${l} join ${r} on ${r.id} = ${l.reportId}
             where ${l.soldOn} between ${from}::date and ${to}::date
               and ${reportId ? sql`${l.reportId} = ${reportId}::uuid` : sql`${r.supersededById} is null`}`;
}
