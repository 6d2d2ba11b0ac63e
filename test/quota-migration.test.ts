import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pgConstraint } from "../src/db/errors.js";
import { migrationsFolder } from "../src/db/migrate.js";
import { fromGlobalId } from "../src/graphql/global-id.js";
import { useTestApi } from "./support/api.js";
import { frontDoor } from "./support/front-door.js";

/**
 * The quota migrations (quota_revisions_rules: backfill and correction; quota_checks: the CHECKs) over
 * declarations made before them: the database is put back in the state before them (no quota CHECKs, no revisions), legacy rows
 * are written as the first round allowed them, and the two migrations' SQL is run as the migrator
 * runs it (statement by statement, one transaction). The result is read through GraphQL.
 */
const setup = useTestApi();
const { read, mutate } = frontDoor(setup);

/** The statements of the migration whose file name ends in `_<name>.sql` (whatever its number). */
const statements = (name: string) =>
  readFileSync(join(migrationsFolder, readdirSync(migrationsFolder).find((f) => f.endsWith(`_${name}.sql`))!), "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter(Boolean);

const QUOTAS = `query ($unit: ID) { quotas(filter: {budgetUnitId: $unit, year: 2019}) {
  status noCanteen canteenFoodTotal reservedAmount revisions { canteenFoodTotal reservedAmount noCanteen at actor { username } } } }`;

describe("the quota migrations over first-round declarations", () => {
  it("keeps each declaration as a revision (with its audited actor), corrects what the new rules refuse, then enforces them", async () => {
    const units: string[] = [];
    for (const n of [1, 2, 3]) {
      const { budgetUnit } = await mutate("createBudgetUnit", { code: `MIG-${Date.now().toString(36)}-${n}`, name: `湘西州迁移测试单位${n}`, level: "PREFECTURE_DIRECT" }, "budgetUnit { id }");
      units.push(budgetUnit.id);
    }
    const [valid, noCanteen, above] = units.map((id) => fromGlobalId(id).key);
    const [{ id: adminId }] = await setup.database.rows<{ id: string }>(sql`select id from users where username = 'admin'`);
    const seededQuotas = Number((await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from quotas`))[0]!.n);

    await setup.database.transaction(async (tx) => {
      // Back to the state before them: no quota CHECKs, an empty revisions table.
      await tx.execute(sql`alter table quotas drop constraint quotas_reserved_within_total, drop constraint quotas_no_canteen_is_zero`);
      await tx.execute(sql`delete from quota_revisions`);
      await tx.execute(sql`
        insert into quotas (id, budget_unit_id, year, canteen_food_total, reserved_amount, no_canteen, declared_at) values
          ('c0000000-0000-4000-a000-000000000001', ${valid}::uuid, 2019, 1000.00, 100.00, false, '2019-03-01T08:00:00Z'),
          ('c0000000-0000-4000-a000-000000000002', ${noCanteen}::uuid, 2019, 0.00, 500.00, true, '2019-03-02T08:00:00Z'),
          ('c0000000-0000-4000-a000-000000000003', ${above}::uuid, 2019, 1000.00, 2000.00, false, '2019-03-03T08:00:00Z')`);
      await tx.execute(sql`
        insert into audit_log (actor_user_id, operation, entity_type, entity_id, changes, request_id)
        values (${adminId}::uuid, 'declareQuota', 'Quota', 'c0000000-0000-4000-a000-000000000001', '{}'::jsonb, 'legacy')`);
    });
    await setup.database.transaction(async (tx) => {
      for (const statement of [...statements("quota_revisions_rules"), ...statements("quota_checks")]) await tx.execute(sql.raw(statement));
    });

    const quotaOf = async (unit: string) => (await read(QUOTAS, { unit })).quotas[0];
    expect(await quotaOf(units[0]!)).toEqual({
      status: "DECLARED", noCanteen: false, canteenFoodTotal: "1000.00", reservedAmount: "100.00",
      revisions: [{ canteenFoodTotal: "1000.00", reservedAmount: "100.00", noCanteen: false, at: "2019-03-01T08:00:00.000Z", actor: { username: "admin" } }],
    });
    const corrected = await quotaOf(units[1]!);
    expect(corrected).toMatchObject({ status: "NO_CANTEEN", canteenFoodTotal: "0.00", reservedAmount: "0.00" });
    expect(corrected.revisions.map((r: any) => [r.canteenFoodTotal, r.reservedAmount, r.noCanteen, r.actor])).toEqual([
      ["0.00", "500.00", true, null],
      ["0.00", "0.00", true, null],
    ]);
    const raised = await quotaOf(units[2]!);
    expect(raised).toMatchObject({ status: "DECLARED", canteenFoodTotal: "2000.00", reservedAmount: "2000.00" });
    expect(raised.revisions.map((r: any) => [r.canteenFoodTotal, r.reservedAmount])).toEqual([
      ["1000.00", "2000.00"],
      ["2000.00", "2000.00"],
    ]);
    // Every quota has its revisions: the seed's one each, the corrected ones two.
    const [{ n }] = await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from quota_revisions`);
    expect(Number(n)).toBe(seededQuotas + 3 + 2);

    const invalid = await setup.database
      .rows(sql`update quotas set reserved_amount = 5000.00 where id = 'c0000000-0000-4000-a000-000000000001'`)
      .then(() => null, (e: unknown) => e);
    expect(pgConstraint(invalid)).toBe("quotas_reserved_within_total");
  });
});
