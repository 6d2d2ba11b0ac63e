import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { certificationEvents, divisions, enterpriseStatusHistory, enterprises, products } from "../src/db/schema.js";
import { syncCatalogSequences } from "./accounts.js";
import { buildDemoRows } from "./demo.js";
import { divisionSeeds } from "./xiangxi.js";

export interface SeedCounts {
  divisions: number;
  enterprises: number;
  products: number;
  certificationEvents: number;
}

/**
 * Inserts the reference divisions and the demo enterprises, products and their certification events,
 * in one transaction.
 * Idempotent: rows whose primary key exists are left alone; returns the rows actually inserted.
 */
export async function seedDemoData(database: Database, today = new Date()): Promise<SeedCounts> {
  const rows = buildDemoRows(today);
  const counts = await database.db.transaction(async (tx) => {
    // divisionSeeds are ordered parents first, so the self-reference holds row by row.
    const insertedDivisions = await tx
      .insert(divisions)
      .values(divisionSeeds.map((d) => ({ ...d })))
      .onConflictDoNothing()
      .returning({ code: divisions.code });
    const insertedEnterprises = await tx
      .insert(enterprises)
      .values(rows.enterprises)
      .onConflictDoNothing()
      .returning({ id: enterprises.id });
    await tx.insert(enterpriseStatusHistory).values(rows.enterpriseStatusHistory).onConflictDoNothing();
    const insertedProducts = await tx
      .insert(products)
      .values(rows.products)
      .onConflictDoNothing()
      .returning({ id: products.id });
    const insertedEvents = await tx
      .insert(certificationEvents)
      .values(rows.certificationEvents)
      .onConflictDoNothing()
      .returning({ id: certificationEvents.id });
    return {
      divisions: insertedDivisions.length,
      enterprises: insertedEnterprises.length,
      products: insertedProducts.length,
      certificationEvents: insertedEvents.length,
    };
  });
  await syncCatalogSequences(database);
  return counts;
}

/** True when no division exists yet (a fresh database). */
export async function isDatabaseEmpty(database: Database): Promise<boolean> {
  const found = await database.rows<{ one: number }>(sql`select 1 as one from ${divisions} limit 1`);
  return found.length === 0;
}
