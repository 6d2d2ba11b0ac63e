import { type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "../accounts/index.js";

/** Partner API keys: only a hash of the secret is stored; the secret is shown once. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 100 }).notNull(),
    partnerName: varchar("partner_name", { length: 200 }).notNull(),
    scopes: text("scopes").array().notNull(),
    /** sha256 of the secret (the secret is 256 random bits, so a fast hash is enough) */
    secretHash: varchar("secret_hash", { length: 64 }).notNull(),
    /** first characters of the key, to recognise it in lists */
    prefix: varchar("prefix", { length: 16 }).notNull(),
    requestsPerMinute: integer("requests_per_minute").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { precision: 3, withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_key").on(t.secretHash)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Fixed one-minute request windows per bucket (an API key, or an anonymous client address). */
export const rateLimitWindows = pgTable(
  "rate_limit_windows",
  {
    bucket: varchar("bucket", { length: 200 }).notNull(),
    windowStart: timestamp("window_start", { precision: 0, withTimezone: true, mode: "date" }).notNull(),
    requests: integer("requests").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index("rate_limit_windows_start_idx").on(t.windowStart)],
);

/** SQL piece for other modules: the key of this id exists and is not revoked. */
export function isActiveApiKey(apiKeyId: SQL | AnyPgColumn): SQL {
  return sql`exists (select 1 from ${apiKeys} where ${apiKeys.id} = ${apiKeyId} and ${apiKeys.revokedAt} is null)`;
}
