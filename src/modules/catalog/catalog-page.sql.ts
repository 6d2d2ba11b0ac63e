import { type SQL, sql } from "drizzle-orm";
import type { EnterpriseRow } from "../enterprises/index.js";
import type { DivisionRow } from "../geography/index.js";
import { type ProductRow, products } from "./product.schema.js";

/**
 * The catalog page's statement, written by hand: only the product columns the operation needs and
 * the whole rows of the to-one relations it selects, one row per product, mapped to plain objects
 * without drizzle's per-column, per-row mapping (a fifth of a page's CPU time in the profile).
 * The FROM names the tables as drizzle does (`"products"`, aliases below), so the filter, cursor and
 * order pieces built with drizzle's `sql` refer to the same names.
 */

export type ProductColumn = keyof ProductRow;

/** A to-one relation read along with the page. */
export type PageRelation = "enterprise" | "enterpriseCounty" | "originCounty" | "originVillage";

const productColumnNames: Record<ProductColumn, string> = Object.fromEntries(
  Object.entries(products).filter(([, column]) => column && typeof column === "object" && "columnType" in column).map(([key, column]) => [key, (column as { name: string }).name]),
) as Record<ProductColumn, string>;

export const ALL_PRODUCT_COLUMNS = Object.keys(productColumnNames) as ProductColumn[];

const enterpriseColumns = {
  id: "id",
  name: "name",
  uscc: "uscc",
  kind: "kind",
  status: "status",
  countyCode: "county_code",
  createdAt: "created_at",
  updatedAt: "updated_at",
  version: "version",
} as const satisfies Record<keyof EnterpriseRow, string>;

const divisionColumns = {
  code: "code",
  name: "name",
  level: "level",
  parentCode: "parent_code",
  isPoorVillage: "is_poor_village",
  exitYear: "exit_year",
} as const satisfies Record<keyof DivisionRow, string>;

/** The joins, in order; a county of the enterprise needs the enterprise. */
const joins: Record<PageRelation, { alias: string; on: string; prefix: string }> = {
  enterprise: { alias: "enterprises", on: `"enterprises"."id" = "products"."enterprise_id"`, prefix: "e$" },
  enterpriseCounty: { alias: "enterprise_county", on: `"enterprise_county"."code" = "enterprises"."county_code"`, prefix: "ec$" },
  originCounty: { alias: "origin_county", on: `"origin_county"."code" = "products"."origin_county_code"`, prefix: "oc$" },
  originVillage: { alias: "origin_village", on: `"origin_village"."code" = "products"."origin_village_code"`, prefix: "ov$" },
};
const relationOrder: PageRelation[] = ["enterprise", "enterpriseCounty", "originCounty", "originVillage"];

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `select … from products left join …`: the statement's head, up to its WHERE. */
export function pageHead(columns: readonly ProductColumn[], relations: ReadonlySet<PageRelation>): SQL {
  const list = columns.map((key) => `"products".${quoted(productColumnNames[key])} as ${quoted(key)}`);
  let from = `"products"`;
  for (const relation of relationOrder) {
    if (!relations.has(relation)) continue;
    const join = joins[relation];
    const names = relation === "enterprise" ? enterpriseColumns : divisionColumns;
    const table = relation === "enterprise" ? `"enterprises"` : `"divisions" ${quoted(join.alias)}`;
    for (const [key, name] of Object.entries(names)) list.push(`${quoted(join.alias)}.${quoted(name)} as ${quoted(join.prefix + key)}`);
    from += ` left join ${table} on ${join.on}`;
  }
  return sql.raw(`select ${list.join(", ")} from ${from}`);
}

type RawRow = Record<string, unknown>;

/** A timestamp as the drivers hand it over (text: drizzle turns their parsers off), or a Date. */
function instant(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

const imageUrls = products.imageUrls;

/**
 * A product row with the selected columns (the rest absent), timestamps as Dates, arrays parsed: what
 * drizzle's select would give for those columns.
 */
export function productOf(raw: RawRow, columns: readonly ProductColumn[]): ProductRow {
  const row: RawRow = {};
  for (const key of columns) {
    const value = raw[key];
    if (key === "createdAt" || key === "updatedAt") row[key] = instant(value);
    else if (key === "imageUrls") row[key] = Array.isArray(value) ? value : imageUrls.mapFromDriverValue(value as string);
    else row[key] = value;
  }
  return row as ProductRow;
}

/** The enterprise read along (null when the join found none). */
export function enterpriseOf(raw: RawRow): EnterpriseRow | null {
  if (raw["e$id"] == null) return null;
  return {
    id: raw["e$id"] as string,
    name: raw["e$name"] as string,
    uscc: raw["e$uscc"] as string,
    kind: raw["e$kind"] as EnterpriseRow["kind"],
    status: raw["e$status"] as EnterpriseRow["status"],
    countyCode: raw["e$countyCode"] as string,
    createdAt: instant(raw["e$createdAt"]),
    updatedAt: instant(raw["e$updatedAt"]),
    version: raw["e$version"] as number,
  };
}

const codeColumn: Record<Exclude<PageRelation, "enterprise">, string> = {
  enterpriseCounty: `${joins.enterpriseCounty.prefix}code`,
  originCounty: `${joins.originCounty.prefix}code`,
  originVillage: `${joins.originVillage.prefix}code`,
};

/** The code of the division read along under `relation`'s prefix (null or undefined when none). */
export function divisionCodeOf(raw: RawRow, relation: Exclude<PageRelation, "enterprise">): unknown {
  return raw[codeColumn[relation]];
}

/** A division read along under `relation`'s prefix (null when the join found none). */
export function divisionOf(raw: RawRow, relation: Exclude<PageRelation, "enterprise">): DivisionRow | null {
  const prefix = joins[relation].prefix;
  const code = raw[codeColumn[relation]];
  if (code == null) return null;
  return {
    code: code as string,
    name: raw[`${prefix}name`] as string,
    level: raw[`${prefix}level`] as DivisionRow["level"],
    parentCode: raw[`${prefix}parentCode`] as string | null,
    isPoorVillage: raw[`${prefix}isPoorVillage`] as boolean,
    exitYear: raw[`${prefix}exitYear`] as number | null,
  };
}

/** The alias a to-one relation's table has in the page statement. */
export function relationAlias(relation: PageRelation): string {
  return joins[relation].alias;
}

/**
 * `select … from products left join …` of a compiled read (catalog-json.sql.ts): the id and the sort
 * column (for cursors, named as in `pageHead`), then the columns the node selections read (`columns`,
 * each `<expression> as "<alias>"`).
 */
export function jsonPageHead(sortColumn: ProductColumn, columns: readonly SQL[], relations: ReadonlySet<PageRelation>): SQL {
  const keys = [...new Set<ProductColumn>(["id", sortColumn])];
  const list = [...keys.map((key) => sql.raw(`"products".${quoted(productColumnNames[key])} as ${quoted(key)}`)), ...columns];
  let from = `"products"`;
  for (const relation of relationOrder) {
    if (!relations.has(relation)) continue;
    const join = joins[relation];
    from += ` left join ${relation === "enterprise" ? `"enterprises"` : `"divisions" ${quoted(join.alias)}`} on ${join.on}`;
  }
  return sql`select ${sql.join(list, sql`, `)} from ${sql.raw(from)}`;
}
