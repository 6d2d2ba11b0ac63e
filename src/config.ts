import { z } from "zod";
import { isIP } from "node:net";
import { isTimeZone } from "./clock.js";

/** "10.0.0.0/8", "2001:db8::/32" or a bare address. */
function isCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Environment, parsed once. The only module that reads process.env. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** GraphiQL at GET /graphql for browsers in production too (it is always on outside production) */
  GRAPHIQL: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
  /** queries run compiled by graphql-jit (src/graphql/jit-executor.ts); off until the whole suite has run green with it */
  GRAPHQL_JIT: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
  /** the hottest read shapes (catalog pages) answered by one statement that writes their JSON (src/graphql/compiled-reads.ts); `false`: everything through Apollo */
  COMPILED_READS: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(10),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(10_000),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).default(5_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(100_000),
  /** the body limit of a request that carries credentials (X-Api-Key or Authorization): a sales report of 10,000 lines is ~1.5 MB */
  MAX_CREDENTIALED_BODY_BYTES: z.coerce.number().int().min(1024).default(4_000_000),
  /** a body over MAX_BODY_BYTES is read and discarded up to this many bytes (so the client gets the 413), then the socket closed */
  MAX_DISCARDED_BODY_BYTES: z.coerce.number().int().min(0).default(10_000_000),
  /** the largest household file POST /imports/households accepts (190,000 rows of CSV are about 20 MB) */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** statement_timeout inside an import's or comparison's transaction (STATEMENT_TIMEOUT_MS is for requests) */
  IMPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(300_000),
  /** errors an import lists at most (by line; a last entry counts the rest) */
  IMPORT_MAX_REPORTED_ERRORS: z.coerce.number().int().min(1).max(100_000).default(1000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** bearer token that GET /metrics requires; without it /metrics is open (keep it off the public network) */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** HS256 secret for bearer tokens; required in production (a random one is made otherwise) */
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(8 * 3600),
  ADMIN_USERNAME: z.string().min(3).max(64).optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** 入录 validity in years */
  LISTING_VALIDITY_YEARS: z.coerce.number().int().min(1).max(10).default(2),
  /** 疑似问题数据: a benefit link's yearly income above this (yuan) is suspicious (LINK_INCOME_OUT_OF_RANGE) */
  DATA_QUALITY_MAX_LINK_INCOME: z.string().regex(/^[0-9]{1,10}(\.[0-9]{1,2})?$/, "must be an amount in yuan such as 200000").default("200000"),
  RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** per client address; 0 turns the anonymous limit off */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(10).default(900),
  /** the first lockout of a (username, address) or an address; each next one lasts twice as long */
  LOGIN_LOCKOUT_BASE_SECONDS: z.coerce.number().int().min(1).default(60),
  LOGIN_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).default(3600),
  /** per logged-in user (bearer token); 0 turns the limit off */
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** proxies whose X-Forwarded-For is believed: comma-separated CIDRs or addresses; empty: none */
  TRUSTED_PROXIES: z
    .string()
    .refine((v) => v.split(",").every((entry) => isCidr(entry.trim())), 'must be comma-separated CIDRs such as "10.0.0.0/8,::1/128"')
    .default(""),
  /** statement_timeout of the API's database connections; 0 turns it off */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /** minimum reserved share per year as "year:ratio" pairs, e.g. "2020:0.05,2021:0.10"; other years 0.10 */
  QUOTA_MIN_RATIOS: z
    .string()
    .regex(/^(\d{4}:(0(\.\d{1,4})?|1(\.0{1,4})?))(,\d{4}:(0(\.\d{1,4})?|1(\.0{1,4})?))*$/, 'must look like "2020:0.05,2021:0.10"')
    .optional(),
  QUOTA_DEFAULT_MIN_RATIO: z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, "must be a ratio such as 0.10").default("0.10"),
  /** key of the keyed hash that matches households' ID numbers; required in production */
  ID_HASH_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** 价格浮动区间: a listed product's price may move this ratio either way of its certified price (edge included) */
  PRICE_REVIEW_BAND: z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, "must be a ratio such as 0.20").default("0.20"),
  /** 销售价格合理区间: a reported sale's amount may differ this ratio either way from quantity × the product's unit price (edge included) */
  SALES_PRICE_BAND: z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, "must be a ratio such as 0.30").default("0.30"),
  /** the largest quantity one order may reserve */
  /** The zone of business days and months (DOMAIN.md "Time"); IANA name. */
  BUSINESS_TIME_ZONE: z.string().refine(isTimeZone, "must be an IANA time zone such as Asia/Shanghai").default("Asia/Shanghai"),
  ORDER_MAX_QUANTITY: z.coerce.number().int().min(1).default(100_000),
  /** answers to public reads (anonymous, partner keys) kept per process; 0 turns the cache off */
  RESPONSE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(2000),
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
  /** a cached answer is dropped after this long even if no change was announced (safety net) */
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  /** webhooks may reach http URLs and loopback/private addresses (tests, development); refused with NODE_ENV=production */
  WEBHOOK_ALLOW_PRIVATE: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
  /** run the webhook delivery worker in this process (every replica runs one by default) */
  WEBHOOK_WORKER: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
  /** one delivery attempt's limit (connect, send, answer) */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** the first retry comes after about this long, each next one twice as late (with jitter) */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000),
  /** the longest wait between two attempts (24 h at most) */
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(86_400_000),
  /** a delivery is FAILED after this many attempts */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
  /** a subscription is disabled after this many failed attempts in a row */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(20),
  /**
   * delivery attempts under way at once per replica (64: bench/webhooks.bench.ts delivered 5,000 local
   * POSTs about three times faster than at 16; a receiver far away makes each attempt longer still)
   */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(64),
  /** how often an idle worker looks for due deliveries and new events */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(1000),
}).superRefine((c, ctx) => {
  if (c.NODE_ENV !== "production") return;
  for (const name of ["JWT_SECRET", "ADMIN_USERNAME", "ADMIN_PASSWORD", "ID_HASH_KEY"] as const) {
    if (!c[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when NODE_ENV=production" });
  }
  // The SSRF guard holds in production: webhooks reach https URLs on public addresses only (issue 12).
  if (c.WEBHOOK_ALLOW_PRIVATE) {
    ctx.addIssue({ code: "custom", path: ["WEBHOOK_ALLOW_PRIVATE"], message: "must not be true when NODE_ENV=production (webhooks reach public https addresses only)" });
  }
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses an environment; an invalid value throws one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const secret = ["DATABASE_URL", "JWT_SECRET", "ADMIN_PASSWORD", "ID_HASH_KEY", "METRICS_TOKEN"].includes(name) || cleaned[name] === undefined;
    const shown = secret ? "" : ` (got ${JSON.stringify(cleaned[name])})`;
    throw new ConfigError(`Invalid configuration: ${name}${shown}: ${issue.message}`);
  }
  return result.data;
}

let loaded: Config | undefined;

export function loadConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
