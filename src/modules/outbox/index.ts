/**
 * 事件发件箱 (transactional outbox): what outsiders must learn of — catalog changes, order changes,
 * review decisions — written in the same transaction as the change, read in a durable order by the
 * catalog change feed and by webhook delivery. The module's face.
 *
 * Write: `recordEvent(tx, { topic, aggregateType, aggregateId, payload })` inside the change's
 * transaction (or `insertOutboxEvents(...)` as a CTE of a one-statement write). Every committed write
 * is announced on the NOTIFY channel `OUTBOX_CHANNEL` (a hint to look now; readers still poll).
 * Read: `eventsAfter(database | tx, cursor, limit, topics?)` → `{ events, endCursor, full }`; start
 * with cursor null, keep `endCursor`. The cursor rule (see eventsAfter): events come in
 * `(position, seq)` order and only once every transaction that could still write before them has
 * ended (`position < pg_snapshot_xmin(pg_current_snapshot())`), so no cursor ever passes a
 * still-open earlier transaction and a reader sees every committed event exactly once.
 *
 * Topics and payloads:
 * - `catalog.changed` (aggregate `Product`): `{ kind: ADDED|UPDATED|REMOVED, reason: REVOKED|EXPIRED|SUSPENDED|SENT_BACK_TO_REVIEW|null,
 *   catalogNo, fields: string[] }` (fields: the public fields an UPDATED changed).
 * - `order.changed` (aggregate `Order`): `{ status, previousStatus, productId, budgetUnitId }`.
 * - `product.reviewed` (aggregate `Product`): `{ decision, status, enterpriseId }`.
 */
export { OUTBOX_CHANNEL, OUTBOX_TOPICS, type OutboxTopic, type NewOutboxEvent, type OutboxEventsOf, recordEvent, insertOutboxEvents } from "./outbox.writer.js";
export {
  type OutboxEvent,
  type OutboxPage,
  eventsAfter,
  outboxAfter,
  outboxOrder,
  outboxCursor,
  parseOutboxCursor,
} from "./outbox.reader.js";
export { outboxEvents, type OutboxEventRow } from "./outbox.schema.js";
