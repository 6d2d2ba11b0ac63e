import { sql } from "drizzle-orm";
import { PgDialect, date, integer, pgTable, text as textColumn } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { preRendered } from "../src/db/pre-rendered.js";

// A table of its own: the fragments' rendering is what is tested, not the catalog's.
const products = pgTable("products", {
  name: textColumn("name"),
  status: textColumn("status"),
  batch: textColumn("batch"),
  validFrom: date("valid_from"),
  validUntil: date("valid_until"),
  availableSupply: integer("available_supply"),
});

const text = (fragment: ReturnType<typeof sql>) => {
  const { sql: statement, params } = new PgDialect().sqlToQuery(fragment);
  return { sql: statement, params };
};

describe("preRendered", () => {
  it("turns a fragment without parameters into the same text, one raw chunk", () => {
    const fragment = sql`${products.status} = 'LISTED' and ${products.name} <> ''`;
    const rendered = preRendered(fragment)!;
    expect(text(rendered)).toEqual({ sql: `"products"."status" = 'LISTED' and "products"."name" <> ''`, params: [] });
    expect(rendered.queryChunks).toHaveLength(1);
  });

  it("inlines calendar days as literals, and only the $n outside quoted names and strings", () => {
    const fragment = sql`${products.validUntil} >= ${"2020-12-31"}::date and ${products.validFrom} <= ${"2020-01-01"} and ${sql.raw(`'$1'`)} = ${sql.raw(`"e$12"`)}`;
    expect(text(preRendered(fragment)!).sql).toBe(
      `"products"."valid_until" >= '2020-12-31'::date and "products"."valid_from" <= '2020-01-01' and '$1' = "e$12"`,
    );
  });

  it("keeps a fragment whose parameters are not calendar days (text from a request is never inlined)", () => {
    expect(preRendered(sql`${products.name} = ${"保靖黄金茶"}`)).toBeUndefined();
    expect(preRendered(sql`${products.name} = ${"2020-12-31' or true --"}`)).toBeUndefined();
    expect(preRendered(sql`${products.batch} = ${"2020年第九批"}`)).toBeUndefined();
    expect(preRendered(sql`${products.availableSupply} > ${5}`)).toBeUndefined();
  });

  it("places a pre-rendered fragment inside a statement with parameters of its own, numbered after it", () => {
    const condition = preRendered(sql`${products.validUntil} >= ${"2020-12-31"}::date`)!;
    expect(text(sql`select 1 from ${products} where ${condition} and ${products.name} = ${"十八洞村冰糖橙"}`)).toEqual({
      sql: `select 1 from "products" where "products"."valid_until" >= '2020-12-31'::date and "products"."name" = $1`,
      params: ["十八洞村冰糖橙"],
    });
  });
});
