import { sql } from "drizzle-orm";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  getNamedType,
  isCompositeType,
  isObjectType,
} from "graphql";
import { describe, expect, it } from "vitest";
import { apiSchema } from "../src/app.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { type CallerName } from "./support/actors.js";
import { parseConfig } from "../src/config.js";
import { type Credentials, type Result, errorCodes, useTestServer } from "./support/api.js";

/**
 * A seeded, bounded fuzz run over HTTP: every root field, every kind of caller, hostile values for every
 * argument (NUL, lone surrogates, huge ints, forged cursors and IDs, impossible dates, overflowing
 * decimals). No answer may be INTERNAL_SERVER_ERROR or HTTP 5xx, and a mutation that failed or was refused
 * changes no table: neither its row count nor the checksum of its rows.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20201231);

// Over HTTP, as clients call it (status codes included). Budgets and the answer cache are off: the
// run is one client sending thousands of requests, and every request must reach the resolvers.
const setup = useTestServer({
  config: parseConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
    RATE_LIMIT_USER_PER_MINUTE: "0",
    RATE_LIMIT_API_KEY_PER_MINUTE: "1000000",
    RESPONSE_CACHE_ENTRIES: "0",
  }),
});

/** HTTP statuses seen, and every answer of 500 or above. */
const statuses: Record<number, number> = {};
const serverErrors: string[] = [];

/** POSTs an operation as the caller; the GraphQL answer, with the HTTP status noted. */
async function run(query: string, variables: Record<string, unknown>, credentials: Credentials): Promise<Result> {
  const response = await fetch(`${setup.base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(credentials.authorization ? { authorization: credentials.authorization } : {}),
      ...(credentials.apiKey ? { "x-api-key": credentials.apiKey } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  const text = await response.text();
  if (response.status >= 500) serverErrors.push(`HTTP ${response.status}: ${query.slice(0, 200)} ${text.slice(0, 200)}`);
  try {
    return { ...(JSON.parse(text) as Result), statements: 0 };
  } catch {
    return { errors: [{ message: `not JSON (HTTP ${response.status})`, extensions: { code: `HTTP_${response.status}` } }], statements: 0 };
  }
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UUID = "b0000000-4331-4000-a000-000000000033";
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
const hostileStrings = [
  "a\u0000b",
  "\uD800",
  "x\uDFFF",
  "",
  "   ",
  "x".repeat(5_000),
  "' or 1=1 --",
  "433124",
  "433124103201",
  "湘西",
  "2020-02-30",
  "9999999999.99",
  cursor(["NAME", "a\u0000", UUID]),
  cursor(["START_DATE", "2020-02-30", UUID]),
  cursor(["CREATED_AT", "0000-01-01T00:00:00.000Z", UUID]),
  cursor(["UPDATED_AT", "2020-02-30T00:00:00.000Z", UUID]),
  cursor(["HOUSEHOLD_NO", { x: 1 }, UUID]),
  cursor(["CODE", "433124", "\u0000"]),
];
const hostileIds = [
  toGlobalId("Product", UUID),
  toGlobalId("Enterprise", UUID),
  toGlobalId("Division", "433124"),
  toGlobalId("Order", UUID),
  Buffer.from("Product:\u0000").toString("base64url"),
  Buffer.from(`Farmer:${UUID}`).toString("base64url"),
  "%%%",
  "a\u0000",
  "\uD800",
];
const hostileInts = [0, 1, -1, 100, 101, 2015, 2020, 2100, 32767, 32768, -32769, 2147483647, -2147483648];
const hostileDecimals = ["0", "0.01", "-1", "12.5", "9999999999.99", "99999999999", "1e10", "0.001", "NaN", "１２", "9999999999.99\u0000"];
const hostileDates = ["2020-02-29", "2020-02-30", "0000-01-01", "9999-12-31", "2021-13-01", "2020-1-1"];
const hostileInstants = ["2020-06-01T08:00:00Z", "2020-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2020-06-01T24:00:00Z", "yesterday"];

/** Plausible values, so that requests also get past the edge into the services. */
const plausible = {
  strings: ["433124", "433124103201", "433100", "测试公司", "fuzz-user-2020", "a-long-password-2020", "91433124MA4L0000X1", "茶"],
  ids: [] as string[],
  /** IDs by node type, for arguments named after it (`productId`, `enterpriseIds`) */
  idsByType: {} as Record<string, string[]>,
  ints: [1, 3, 10, 2020, 2021],
  decimals: ["12.50", "100", "0.50"],
  dates: ["2020-06-01", "2020-12-31"],
  instants: ["2020-06-01T08:00:00Z"],
};

function idFor(name: string, pick: <T>(items: readonly T[]) => T): string {
  const stem = name.replace(/Ids?$/, "");
  const typed = plausible.idsByType[stem.charAt(0).toUpperCase() + stem.slice(1)];
  return typed?.length ? pick(typed) : pick(plausible.ids);
}

function valueFor(type: GraphQLInputType, random: () => number, depth: number, hostility: number, name = ""): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  if (type instanceof GraphQLNonNull) return valueFor(type.ofType, random, depth, hostility, name);
  if (type instanceof GraphQLList) {
    const length = pick([0, 1, 2, 3]);
    return Array.from({ length }, () => valueFor(type.ofType, random, depth + 1, hostility, name));
  }
  if (type instanceof GraphQLEnumType) return random() < 0.98 ? pick(type.getValues()).name : "NOT_A_VALUE";
  if (type instanceof GraphQLInputObjectType) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.type instanceof GraphQLNonNull || (depth < 3 && random() < 0.5)) out[field.name] = valueFor(field.type, random, depth + 1, hostility, field.name);
    }
    return out;
  }
  if (type instanceof GraphQLScalarType && random() >= hostility) {
    switch (type.name) {
      case "Int":
        return pick(plausible.ints);
      case "Boolean":
        return random() < 0.5;
      case "ID":
        return idFor(name, pick);
      case "Decimal":
        return pick(plausible.decimals);
      case "Date":
        return pick(plausible.dates);
      case "DateTime":
        return pick(plausible.instants);
      default:
        return pick(plausible.strings);
    }
  }
  if (type instanceof GraphQLScalarType) {
    switch (type.name) {
      case "Int":
        return pick(hostileInts);
      case "Float":
        return pick([0, -1, 1e308]);
      case "Boolean":
        return random() < 0.5;
      case "ID":
        return random() < 0.3 ? `${idFor(name, pick)}${pick(["\u0000", "\uD800"])}` : pick(hostileIds);
      case "Decimal":
        return pick(hostileDecimals);
      case "Date":
        return pick(hostileDates);
      case "DateTime":
        return pick(hostileInstants);
      default:
        // half of them text the database cannot hold, somewhere in an otherwise plausible value
        return random() < 0.5 ? `${pick(plausible.strings)}${pick(["\u0000", "\uD800", "\uDC00"])}` : pick(hostileStrings);
    }
  }
  return null;
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (!isCompositeType(named)) return "";
  if (isObjectType(named)) {
    const fields = named.getFields();
    if (fields.totalCount && fields.nodes) return "{ totalCount nodes { __typename } }";
    if (fields.userErrors) return "{ __typename userErrors { code } }";
  }
  return "{ __typename }";
}

function operationFor(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>, random: () => number, hostility: number) {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const args: string[] = [];
  field.args.forEach((arg: GraphQLArgument, i) => {
    if (!(arg.type instanceof GraphQLNonNull) && random() < 0.3) return;
    if ((arg.name === "after" || arg.name === "before") && random() >= hostility) return;
    definitions.push(`$a${i}: ${String(arg.type)}`);
    args.push(`${arg.name}: $a${i}`);
    variables[`a${i}`] = valueFor(arg.type, random, 0, hostility, arg.name);
  });
  const query = `${kind} Fuzz${definitions.length ? `(${definitions.join(", ")})` : ""} { ${field.name}${args.length ? `(${args.join(", ")})` : ""} ${selectionFor(field)} }`;
  return { query, variables };
}

/** Every table's row count and a checksum of its rows: a failed mutation must change neither. */
async function tableStates(): Promise<Record<string, string>> {
  const tables = await setup.database.rows<{ name: string }>(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  // Written by design on failures (throttling, budgets) or outside the request (migrations; the
  // webhook worker's fan-out cursor, which it moves on its own schedule — outbox_events, what a
  // failed mutation must not write, is still checked).
  const skip = new Set(["login_failures", "rate_limit_windows", "__drizzle_migrations", "webhook_fanout_cursor"]);
  const names = tables.map((t) => t.name).filter((n) => !skip.has(n));
  const union = names
    .map((n) => `select '${n}' as name, count(*)::int || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as state from "${n}" t`)
    .join(" union all ");
  const rows = await setup.database.rows<{ name: string; state: string }>(sql.raw(union));
  return Object.fromEntries(rows.map((r) => [r.name, r.state]));
}

describe("fuzz: hostile values for every root field, as every caller", () => {
  it(`${REQUESTS} requests (seed ${SEED}): no INTERNAL_SERVER_ERROR, failed mutations change no table's rows`, async () => {
    const schema: GraphQLSchema = await apiSchema();
    const random = mulberry32(SEED);
    const ids = await run(
      "{ catalog(first: 3) { nodes { id enterprise { id } } } budgetUnits(first: 3) { nodes { id } } divisions(first: 3) { nodes { id } } }",
      {},
      setup.callers.credentials.admin,
    );
    plausible.ids = [
      ...ids.data.catalog.nodes.flatMap((n: { id: string; enterprise: { id: string } }) => [n.id, n.enterprise.id]),
      ...ids.data.budgetUnits.nodes.map((n: { id: string }) => n.id),
      ...ids.data.divisions.nodes.map((n: { id: string }) => n.id),
    ];
    plausible.idsByType = {
      Product: ids.data.catalog.nodes.map((n: { id: string }) => n.id),
      Enterprise: ids.data.catalog.nodes.map((n: { enterprise: { id: string } }) => n.enterprise.id),
      BudgetUnit: ids.data.budgetUnits.nodes.map((n: { id: string }) => n.id),
      Division: ids.data.divisions.nodes.map((n: { id: string }) => n.id),
    };
    expect(plausible.ids.length).toBeGreaterThan(5);
    const fields = [
      ...Object.values(schema.getQueryType()!.getFields()).map((f) => ["query", f] as const),
      ...Object.values(schema.getMutationType()!.getFields()).map((f) => ["mutation", f] as const),
    ];
    const callers: CallerName[] = ["anonymous", "partner", "admin", "huayuanReviewer", "ownEnterprise", "officer"];
    const internal: string[] = [];
    const changed: string[] = [];
    let mutationsChecked = 0;
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < REQUESTS; i += 1) {
      const [kind, field] = fields[i % fields.length]!;
      const caller = callers[Math.floor(random() * callers.length)]!;
      // Some requests hostile through and through, most with one or two bad values among plausible ones.
      const hostility = random() < 0.2 ? 1 : 0.2;
      const { query, variables } = operationFor(kind, field, random, hostility);
      const before = kind === "mutation" ? await tableStates() : undefined;
      const result = await run(query, variables, setup.callers.credentials[caller]);
      const outcome = result.errors ? String(errorCodes(result)[0]) : (result.data as any)?.[field.name]?.userErrors?.length ? "userError" : "ok";
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (errorCodes(result).includes("INTERNAL_SERVER_ERROR")) {
        internal.push(`${caller}: ${query} ${JSON.stringify(variables).slice(0, 300)}`);
      }
      if (before) {
        const payload = (result.data as Record<string, { userErrors?: unknown[] } | null> | null | undefined)?.[field.name];
        const failed = result.errors !== undefined || !payload || (payload.userErrors?.length ?? 0) > 0;
        if (failed) {
          mutationsChecked += 1;
          const after = await tableStates();
          const diff = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
          if (diff.length) changed.push(`${caller}: ${field.name} changed ${diff.join(", ")}: ${JSON.stringify(variables).slice(0, 200)}`);
        }
      }
    }
    console.log(`fuzz outcomes: ${JSON.stringify(outcomes)}; HTTP statuses: ${JSON.stringify(statuses)}`);
    expect(serverErrors.slice(0, 5), `${serverErrors.length} answers with HTTP 5xx`).toEqual([]);
    expect(internal.slice(0, 5), `${internal.length} INTERNAL_SERVER_ERROR answers`).toEqual([]);
    expect(changed.slice(0, 5), `${changed.length} failed mutations that wrote`).toEqual([]);
    expect(mutationsChecked).toBeGreaterThan(REQUESTS / 5);
  }, 600_000);
});
