import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { users } from "../src/db/schema.js";
import { hashPassword } from "../src/modules/accounts/index.js";
import { E } from "./demo.js";

/**
 * One demo account per role, for development only (never in production). The README lists them.
 * The officer arrives with the procurement issue's budget units.
 */
export const demoAccounts = [
  { username: "admin", password: "xiangxi-admin-2020", role: "ADMIN", divisionCode: null, enterpriseId: null },
  { username: "zhou_reviewer", password: "xiangxi-zhou-2020", role: "REVIEWER", divisionCode: "433100", enterpriseId: null },
  { username: "huayuan_reviewer", password: "xiangxi-huayuan-2020", role: "REVIEWER", divisionCode: "433124", enterpriseId: null },
  { username: "shibadong_fruit", password: "xiangxi-shibadong-2020", role: "ENTERPRISE", divisionCode: null, enterpriseId: E.shibadongFruit },
] as const;

export async function seedDemoAccounts(database: Database): Promise<number> {
  const rows = await Promise.all(
    demoAccounts.map(async ({ password, ...account }) => ({ ...account, passwordHash: await hashPassword(password) })),
  );
  const inserted = await database.db.insert(users).values(rows).onConflictDoNothing().returning({ id: users.id });
  return inserted.length;
}

/** Catalog sequences continue after the seeded catalog numbers (`<county>-<year>-<seq>`). */
export async function syncCatalogSequences(database: Database): Promise<void> {
  await database.rows(sql`
    insert into catalog_sequences (county_code, year, last_value)
    select substr(catalog_no, 1, 6), substr(catalog_no, 8, 4)::smallint, max(substr(catalog_no, 13)::int)
    from products where catalog_no ~ '^[0-9]{6}-[0-9]{4}-[0-9]{6}$'
    group by 1, 2
    on conflict (county_code, year) do update set last_value = greatest(catalog_sequences.last_value, excluded.last_value)`);
}
