import { buildDemoRows } from "../../seeds/demo.js";
import { SEED_DATE } from "./database.js";

/** What the demo seed puts in the catalog, worked out in JavaScript from the seed arrays. */
export const demoRows = buildDemoRows(SEED_DATE);
export const today = new Date().toISOString().slice(0, 10);
export const enterpriseNames = new Map(demoRows.enterprises.map((e) => [e.id!, e.name]));

export type DemoProduct = (typeof demoRows.products)[number];

export const catalogRows: DemoProduct[] = demoRows.products.filter((p) => p.status === "LISTED" && p.validUntil! >= today);

export function idsOf(rows: DemoProduct[]): string[] {
  return rows.map((p) => p.id!).sort();
}

/** The database's order: keys compared in code-point order ("C" collation), ties by id. */
export function sortedLike(rows: DemoProduct[], field: "NAME" | "UNIT_PRICE" | "UPDATED_AT" | "CATALOG_NO", direction: "ASC" | "DESC"): string[] {
  const key = (p: DemoProduct): number | string =>
    field === "NAME" ? p.name : field === "UNIT_PRICE" ? Number(p.unitPrice) : field === "UPDATED_AT" ? p.updatedAt!.getTime() : p.catalogNo!;
  const sign = direction === "ASC" ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.id! < b.id! ? -1 : 1) * sign;
    })
    .map((p) => p.id!);
}
