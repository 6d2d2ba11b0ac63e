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
    const rendered = preRendered(fragment);
    expect(text(rendered)).toEqual({ sql: `"products"."status" = 'LISTED' and "products"."name" <> ''`, params: [] });
    expect(rendered.queryChunks).toHaveLength(1);
  });

  it("keeps its parameters as parameters (never inlined), and only the $n outside quoted names and strings", () => {
    const fragment = sql`${products.validUntil} >= ${"2020-12-31"}::date and ${products.name} = ${"2020-12-31' or true --"} and ${sql.raw(`'$1'`)} = ${sql.raw(`"e$12"`)} and ${products.availableSupply} > ${5}`;
    expect(text(preRendered(fragment))).toEqual({
      sql: `"products"."valid_until" >= $1::date and "products"."name" = $2 and '$1' = "e$12" and "products"."available_supply" > $3`,
      params: ["2020-12-31", "2020-12-31' or true --", 5],
    });
    expect(text(preRendered(fragment))).toEqual(text(fragment));
  });

  it("places a pre-rendered fragment among a statement's own parameters, numbered in order", () => {
    const condition = preRendered(sql`${products.validUntil} >= ${"2020-12-31"}::date and ${products.batch} = ${"2020年第九批"}`);
    expect(text(sql`select 1 from ${products} where ${products.name} = ${"十八洞村冰糖橙"} and ${condition} limit ${51}`)).toEqual({
      sql: `select 1 from "products" where "products"."name" = $1 and "products"."valid_until" >= $2::date and "products"."batch" = $3 limit $4`,
      params: ["十八洞村冰糖橙", "2020-12-31", "2020年第九批", 51],
    });
  });
});
