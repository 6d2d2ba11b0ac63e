import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { products } from "../src/db/schema.js";
import { ConfigError, parseConfig } from "../src/config.js";
import { businessTimeZoneName, businessToday, businessYear, isTimeZone, setBusinessTimeZone } from "../src/clock.js";
import { orders } from "../src/modules/procurement/index.js";
import { useTestApi } from "./support/api.js";
import { gid, productInState } from "./support/fixtures.js";

/**
 * Business days are China time's (DOMAIN.md "Time"), or BUSINESS_TIME_ZONE's: "today", listing
 * expiry and the month of a delivery, whatever the server's or the database session's zone (UTC).
 */
describe("the business day", () => {
  it("turns at midnight in Beijing, not in UTC", () => {
    expect(businessToday(new Date("2020-06-30T15:59:59Z"), "Asia/Shanghai")).toBe("2020-06-30");
    expect(businessToday(new Date("2020-06-30T16:00:00Z"), "Asia/Shanghai")).toBe("2020-07-01");
    expect(businessYear(new Date("2020-12-31T16:30:00Z"), "Asia/Shanghai")).toBe(2021);
  });

  it("remembers the last minute's day without ever answering another day than the zone's", () => {
    const zone = businessTimeZoneName();
    // The configured zone's midnight within a day of 2020-06-30 (the minute its day turns).
    const start = Date.parse("2020-06-30T00:00:00Z");
    let midnight = start;
    for (let m = 1; m <= 1440; m++) {
      if (businessToday(new Date(start + m * 60_000), zone) !== businessToday(new Date(start), zone)) {
        midnight = start + m * 60_000;
        break;
      }
    }
    expect(midnight).toBeGreaterThan(start);
    for (const t of [midnight - 60_001, midnight - 30_000, midnight - 1, midnight, midnight + 1, midnight - 1, midnight + 59_999, midnight - 60_000]) {
      expect(businessToday(new Date(t)), new Date(t).toISOString()).toBe(businessToday(new Date(t), zone));
    }
    // A new zone forgets the old zone's day at once.
    const instant = new Date("2020-06-30T16:00:30Z");
    try {
      setBusinessTimeZone("Asia/Shanghai");
      expect(businessToday(instant)).toBe("2020-07-01");
      setBusinessTimeZone("UTC");
      expect(businessToday(instant)).toBe("2020-06-30");
    } finally {
      setBusinessTimeZone(zone);
    }
  });

  it("is China time unless configured otherwise", () => {
    expect(parseConfig({}).BUSINESS_TIME_ZONE).toBe("Asia/Shanghai");
  });

  it("accepts IANA zones only, with a clear configuration error otherwise", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("UTC'; drop table products; --")).toBe(false);
    expect(() => parseConfig({ BUSINESS_TIME_ZONE: "Beijing" })).toThrow(ConfigError);
    expect(() => parseConfig({ BUSINESS_TIME_ZONE: "Beijing" })).toThrow(/BUSINESS_TIME_ZONE/);
  });
});

// A zone whose date differs from UTC's right now, so the checks below fail under the UTC rule:
// +14 h is a day ahead from 10:00 UTC on, -11 h a day behind until 11:00 UTC.
const ahead = new Date().getUTCHours() >= 10;
const zone = ahead ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
const setup = useTestApi({ config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", BUSINESS_TIME_ZONE: zone }) });

describe(`with BUSINESS_TIME_ZONE=${zone}`, () => {
  it("ends a listing at the end of its last business day", async () => {
    const utcToday = new Date().toISOString().slice(0, 10);
    const zoneToday = businessToday();
    expect(zoneToday).not.toBe(utcToday);
    const { services } = setup.api;
    const product = await productInState(setup.database, services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED");
    // Its last day: UTC's today when the zone is ahead (over there, already yesterday: expired),
    // the zone's today when it is behind (UTC has moved on, but it is still valid over there).
    const lastDay = ahead ? utcToday : zoneToday;
    // Time travel: listed back in 2020 (a listing made today, the zone's today, would start after UTC's today).
    await setup.database.db.update(products).set({ validFrom: "2020-01-01", validUntil: lastDay }).where(sql`${products.id} = ${product.id}`);
    const result = await setup.api.run(`query ($id: ID!) { product(id: $id) { id } }`, { id: gid.product(product.id) });
    expect(result.errors).toBeUndefined();
    expect(result.data.product !== null).toBe(!ahead);
  });

  it("groups deliveries by the business month", async () => {
    const { services } = setup.api;
    const product = await productInState(setup.database, services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { unitPrice: "10.00", availableSupply: 100 });
    const unit = (await setup.api.run(`{ viewer { user { budgetUnit { id } } } }`, {}, setup.callers.credentials.officer)).data.viewer.user.budgetUnit.id;
    const year = businessYear();
    const declared = await setup.api.run(
      `mutation ($input: DeclareQuotaInput!) { declareQuota(input: $input) { userErrors { message } } }`,
      { input: { budgetUnitId: unit, year, canteenFoodTotal: "100000.00", reservedAmount: "50000.00" } },
      setup.callers.credentials.officer,
    );
    expect(declared.data.declareQuota.userErrors).toEqual([]);
    const reserved = await setup.api.run(
      `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id } userErrors { message } } }`,
      { input: { budgetUnitId: unit, productId: gid.product(product.id), quantity: 7, idempotencyKey: `month-${Date.now()}` } },
      setup.callers.credentials.officer,
    );
    expect(reserved.data.reservePurchase.userErrors).toEqual([]);
    const orderId = reserved.data.reservePurchase.order.id;
    for (const step of ["markShipped", "confirmDelivery"]) {
      const done = await setup.api.run(`mutation ($id: ID!) { ${step}(input: {orderId: $id}) { userErrors { message } } }`, { id: orderId }, setup.callers.credentials.admin);
      expect(done.data[step].userErrors).toEqual([]);
    }
    // An instant whose month differs between UTC and the zone.
    const instant = ahead ? "2020-06-30T12:00:00Z" : "2020-07-01T05:00:00Z";
    const expected = ahead ? "2020-07" : "2020-06";
    await setup.database.db.update(orders).set({ deliveredAt: new Date(instant) }).where(sql`${orders.productId} = ${product.id}`); // time travel
    const progress = await setup.api.run(`query ($y: Int!) { consumptionProgress(year: $y) { deliveredByMonth { key amount } } }`, { y: year }, setup.callers.credentials.admin);
    expect(progress.errors).toBeUndefined();
    expect(progress.data.consumptionProgress.deliveredByMonth).toContainEqual({ key: expected, amount: "70.00" });
  });
});
