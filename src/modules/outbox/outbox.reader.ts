import { type SQL, sql } from "drizzle-orm";
import type { Database, Drizzle } from "../../db/client.js";
import { InvalidArgumentError } from "../../errors.js";
import { outboxEvents } from "./outbox.schema.js";
import type { OutboxTopic } from "./outbox.writer.js";

/** A committed event as readers get it. */
export interface OutboxEvent {
  /** the row's sequence number (unique; NOT the feed's order on its own: see `cursor`) */
  seq: string;
  /** the event's place in the feed: pass it as `after` to read what follows */
  cursor: string;
  /** the writing transaction's id (xid8, as text) */
  xid: string;
  topic: OutboxTopic;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface OutboxPage {
  events: OutboxEvent[];
  /** the cursor to read on from: the last event's, or the `after` given when there was none */
  endCursor: string | null;
  /** true when `limit` events came back (there may be more right away) */
  full: boolean;
}

const CURSOR = /^([0-9]{1,20})-([0-9]{1,20})$/;

/** An outbox cursor `<position>-<seq>` (both decimal), or null when it is not one. */
export function parseOutboxCursor(cursor: string): { position: string; seq: string } | null {
  const match = typeof cursor === "string" ? CURSOR.exec(cursor) : null;
  return match ? { position: match[1]!, seq: match[2]! } : null;
}

/** The cursor of an event at (position, seq). */
export function outboxCursor(position: string, seq: string): string {
  return `${position}-${seq}`;
}

/**
 * The WHERE of a feed read after `cursor` (null: from the start), as SQL over `outbox_events`:
 * `(position, seq) > cursor` and `position < pg_snapshot_xmin(pg_current_snapshot())`.
 * For readers that compose the outbox into a statement of their own (e.g. a join on the aggregate).
 * Throws InvalidArgumentError (BAD_USER_INPUT) for a malformed cursor, naming `argument`.
 */
export function outboxAfter(cursor: string | null | undefined, argument = "after"): SQL {
  const settled = sql`${outboxEvents.position} < pg_snapshot_xmin(pg_current_snapshot())`;
  if (cursor == null) return settled;
  const parsed = parseOutboxCursor(cursor);
  if (!parsed) throw new InvalidArgumentError(`\`${argument}\` is not a valid cursor for this feed`, argument);
  return sql`(${outboxEvents.position}, ${outboxEvents.seq}) > (${parsed.position}::xid8, ${parsed.seq}::bigint) and ${settled}`;
}

/** `order by` of a feed read. */
export const outboxOrder: SQL = sql`${outboxEvents.position}, ${outboxEvents.seq}`;

type Reader = Pick<Database, "rows"> | Drizzle;

async function rowsOf<T extends Record<string, unknown>>(reader: Reader, query: SQL): Promise<T[]> {
  if ("rows" in reader && typeof reader.rows === "function") return reader.rows<T>(query);
  const result = (await (reader as Drizzle).execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

interface RawEvent extends Record<string, unknown> {
  seq: string | number | bigint;
  position: string;
  xid: string;
  topic: OutboxTopic;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown> | string;
  created_at: string | Date;
}

/**
 * Up to `limit` committed events after `cursor` (null: from the beginning), optionally of some
 * topics only, in feed order — ONE statement. Pass `endCursor` back in to read on.
 *
 * The cursor rule: events are ordered by `(position, seq)`, where `position` is the writing
 * transaction's xid8 (see outbox.writer.ts), and only events with `position` below the reading
 * snapshot's xmin (`pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still open)
 * are handed out. Every transaction below xmin has ended, and every transaction still open or yet
 * to start writes positions at or above it; so the events below xmin are final, and a cursor never
 * moves past an event that a still-open (earlier) transaction may yet commit. A reader paging with
 * the cursors therefore sees every committed event exactly once, whichever replica wrote it and in
 * whatever order the transactions committed. The price: while one transaction that wrote anything
 * stays open, events of later transactions wait for it (keep writing transactions short).
 * Works the same on PGlite (one connection: the snapshot's xmin is simply the next xid).
 */
export async function eventsAfter(
  reader: Reader,
  cursor: string | null | undefined,
  limit: number,
  topics?: readonly OutboxTopic[],
): Promise<OutboxPage> {
  const where = [outboxAfter(cursor)];
  if (topics && topics.length > 0) where.push(sql`${outboxEvents.topic} = any(${`{${topics.join(",")}}`}::varchar[])`);
  const rows = await rowsOf<RawEvent>(
    reader,
    sql`select seq::text as seq, position::text as position, xid::text as xid, topic, aggregate_type, aggregate_id, payload, created_at
        from ${outboxEvents} where ${sql.join(where, sql` and `)} order by ${outboxOrder} limit ${Math.max(0, Math.floor(limit))}`,
  );
  const events = rows.map(toEvent);
  return { events, endCursor: events.length > 0 ? events[events.length - 1]!.cursor : (cursor ?? null), full: events.length >= limit };
}

function toEvent(row: RawEvent): OutboxEvent {
  const seq = String(row.seq);
  return {
    seq,
    cursor: outboxCursor(row.position, seq),
    xid: row.xid,
    topic: row.topic,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}
