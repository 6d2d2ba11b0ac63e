import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";
import { encodeCursor, planPage } from "../src/db/keyset.js";
import { InvalidArgumentError } from "../src/errors.js";
import { fromGlobalId, fromGlobalIdOf, toGlobalId } from "../src/graphql/global-id.js";
import { sql } from "drizzle-orm";

describe("global IDs", () => {
  it("round-trips every node type and is opaque", () => {
    const uuid = "b0000000-4331-4000-a000-000000000033";
    for (const [type, key] of [
      ["Product", uuid],
      ["Enterprise", uuid],
      ["Division", "433124103201"],
    ] as const) {
      const id = toGlobalId(type, key);
      expect(id).not.toContain(key);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(fromGlobalId(id)).toEqual({ type, key });
    }
  });

  it.each([
    ["empty", ""],
    ["not base64url", "产品!"],
    ["no type", Buffer.from("b0000000-4331-4000-a000-000000000033").toString("base64url")],
    ["unknown type", Buffer.from("Farmer:b0000000-4331-4000-a000-000000000033").toString("base64url")],
    ["bad key for the type", Buffer.from("Product:1 or 1=1").toString("base64url")],
    ["division code of the wrong length", Buffer.from("Division:4331").toString("base64url")],
    ["too long", "A".repeat(500)],
  ])("refuses a malformed ID (%s)", (_why, id) => {
    expect(() => fromGlobalId(id)).toThrow(InvalidArgumentError);
  });

  it("refuses an ID of another type where one type is expected", () => {
    const divisionId = toGlobalId("Division", "433124");
    expect(() => fromGlobalIdOf("Product", divisionId)).toThrow(/Division ID, not a Product ID/);
  });
});

describe("cursors", () => {
  const key = { name: "NAME", expression: sql`name`, valueOf: () => "", parameter: (v: unknown) => (typeof v === "string" ? sql`${v}` : undefined) };
  const idParameter = (v: unknown) => (typeof v === "string" && v.length === 36 ? sql`${v}` : undefined);
  const uuid = "b0000000-4331-4000-a000-000000000033";

  it("accepts a cursor made for the same order", () => {
    const plan = planPage({ first: 5, after: encodeCursor("NAME", "保靖黄金茶", uuid) }, key, "ASC", sql`id`, idParameter);
    expect(plan.conditions).toHaveLength(1);
    expect(plan.limit).toBe(6);
  });

  it.each([
    ["garbage", "%%%"],
    ["not JSON", Buffer.from("hello").toString("base64url")],
    ["wrong shape", Buffer.from(JSON.stringify({ a: 1 })).toString("base64url")],
    ["another order's cursor", encodeCursor("UNIT_PRICE", "12.00", uuid)],
    ["bad id inside", encodeCursor("NAME", "x", "1")],
  ])("refuses %s", (_why, cursor) => {
    expect(() => planPage({ first: 5, after: cursor }, key, "ASC", sql`id`, idParameter)).toThrow(InvalidArgumentError);
  });

  it.each([
    [{ first: 101 }, /between 0 and 100/],
    [{ last: 101 }, /between 0 and 100/],
    [{ first: -1 }, /between 0 and 100/],
    [{ first: 5, last: 5 }, /not both/],
  ])("refuses page arguments %o", (args, message) => {
    expect(() => planPage(args, key, "ASC", sql`id`, idParameter)).toThrow(message);
  });
});

describe("configuration", () => {
  it("has defaults for a fresh machine", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 4000, HOST: "127.0.0.1", DATA_DIR: "./data", LOG_LEVEL: "info", NODE_ENV: "development" });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("reads the environment", () => {
    const config = parseConfig({
      PORT: "8080",
      DATABASE_URL: "postgres://u@db:5432/fupin",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      JWT_SECRET: "x".repeat(40),
      ADMIN_USERNAME: "root_admin",
      ADMIN_PASSWORD: "a-long-admin-password",
      ID_HASH_KEY: "k".repeat(40),
    });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: "postgres://u@db:5432/fupin", NODE_ENV: "production", LOG_LEVEL: "warn" });
  });

  it.each([
    ["PORT", { PORT: "eighty" }],
    ["PORT", { PORT: "70000" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://root@localhost/x" }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
    ["JWT_SECRET", { NODE_ENV: "production", ADMIN_USERNAME: "root_admin", ADMIN_PASSWORD: "a-long-admin-password", ID_HASH_KEY: "k".repeat(40) }],
    ["ADMIN_PASSWORD", { NODE_ENV: "production", JWT_SECRET: "x".repeat(40), ADMIN_USERNAME: "root_admin", ID_HASH_KEY: "k".repeat(40) }],
    ["ID_HASH_KEY", { NODE_ENV: "production", JWT_SECRET: "x".repeat(40), ADMIN_USERNAME: "root_admin", ADMIN_PASSWORD: "a-long-admin-password" }],
    ["JWT_SECRET", { JWT_SECRET: "short" }],
    [
      "WEBHOOK_ALLOW_PRIVATE",
      { NODE_ENV: "production", JWT_SECRET: "x".repeat(40), ADMIN_USERNAME: "root_admin", ADMIN_PASSWORD: "a-long-admin-password", ID_HASH_KEY: "k".repeat(40), WEBHOOK_ALLOW_PRIVATE: "true" },
    ],
  ])("stops with one line naming %s when it is invalid", (name, env) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("does not echo a database URL or a secret", () => {
    expect(() => parseConfig({ DATABASE_URL: "mysql://root:secret@localhost/x" })).toThrow(/^(?!.*secret).*DATABASE_URL/);
    expect(() => parseConfig({ JWT_SECRET: "hunter2" })).toThrow(/^(?!.*hunter2).*JWT_SECRET/);
  });
});
