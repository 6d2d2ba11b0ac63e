import { type SQL, sql } from "drizzle-orm";
import type { Drizzle } from "../../db/client.js";
import { outboxEvents } from "./outbox.schema.js";

/**
 * Notified at the commit of every transaction that wrote events (a statement trigger, migration 0022):
 * a reader that listens looks at once instead of at its next poll. Only a hint: it carries nothing.
 */
export const OUTBOX_CHANNEL = "outbox_events";

/** The outbox's topics: what outsiders subscribe to. */
export const OUTBOX_TOPICS = ["catalog.changed", "order.changed", "product.reviewed"] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

/** One event to record: what happened (topic, payload) to what (aggregate type and key). */
export interface NewOutboxEvent {
  topic: OutboxTopic;
  /** a type name, e.g. `Product`, `Order` */
  aggregateType: string;
  /** the aggregate's key (a UUID for products and orders) */
  aggregateId: string;
  /** JSON-serialisable facts of the event (no personal data, no secrets: webhooks send it out) */
  payload: Record<string, unknown>;
}

/**
 * The order key of a new event of an aggregate: the writing transaction's id, or the position of
 * the aggregate's latest visible event when that is larger. A transaction that waited for the
 * aggregate's row lock sees its predecessor's event (a new statement under READ COMMITTED), so one
 * aggregate's events keep their commit order even when the later writer got the smaller xid.
 */
function positionOf(aggregateType: SQL, aggregateId: SQL): SQL {
  return sql`greatest(pg_current_xact_id(), coalesce((select o.position from ${outboxEvents} o
      where o.aggregate_type = ${aggregateType} and o.aggregate_id = ${aggregateId}
      order by o.position desc limit 1), '0'::xid8))`;
}

/**
 * Records events in the caller's transaction, in the order given (one statement): they commit or
 * roll back with the change they announce. Call it with the transaction that made the change,
 * after the aggregate's row is locked or written (see `positionOf`).
 */
export async function recordEvent(tx: Drizzle, events: NewOutboxEvent | readonly NewOutboxEvent[]): Promise<void> {
  const list = Array.isArray(events) ? (events as readonly NewOutboxEvent[]) : [events as NewOutboxEvent];
  if (list.length === 0) return;
  const values = list.map(
    (e, i) =>
      sql`(${i}::int, ${e.topic}::varchar, ${e.aggregateType}::varchar, ${e.aggregateId}::varchar, ${JSON.stringify(e.payload)}::jsonb)`,
  );
  await tx.execute(sql`insert into ${outboxEvents} (position, topic, aggregate_type, aggregate_id, payload)
    select ${positionOf(sql`v.aggregate_type`, sql`v.aggregate_id`)}, v.topic, v.aggregate_type, v.aggregate_id, v.payload
    from (values ${sql.join(values, sql`, `)}) as v(ord, topic, aggregate_type, aggregate_id, payload)
    order by v.ord`);
}

/** One event per row of a composed statement (`rows` is usually a CTE's name). */
export interface OutboxEventsOf {
  topic: OutboxTopic;
  aggregateType: string;
  /** the rows written, e.g. sql`placed` */
  rows: SQL;
  /** the aggregate's key in terms of those rows, as text, e.g. sql`placed.id::text` */
  aggregateId: SQL;
  /** the payload as jsonb in terms of those rows, e.g. sql`jsonb_build_object('status', placed.status)` */
  payload: SQL;
}

/**
 * `insert into outbox_events ... select ... from <rows>`: for a write that must stay ONE statement
 * (use it as a CTE: `announced as (${insertOutboxEvents({...})})`). Inside one statement the
 * aggregate's previous event is read from the statement's snapshot, so use it for aggregates the
 * statement creates (a new order) or whose previous writer cannot still be running.
 */
export function insertOutboxEvents(entry: OutboxEventsOf): SQL {
  return sql`insert into ${outboxEvents} (position, topic, aggregate_type, aggregate_id, payload)
    select ${positionOf(sql`${entry.aggregateType}::varchar`, entry.aggregateId)}, ${entry.topic}::varchar,
           ${entry.aggregateType}::varchar, ${entry.aggregateId}, ${entry.payload}
    from ${entry.rows}`;
}
