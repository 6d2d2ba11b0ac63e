import { describe, expect, it } from "vitest";
import { buildScaleRows } from "../seeds/scale.js";
import { businessToday } from "../src/clock.js";

/**
 * The scale seed's certification events agree with each product's status and dates (the rebuilt
 * `certificationPipeline(asOf:)` is only as true as the events). Pure: rows are built, not inserted.
 */
describe("seed:scale certification events", () => {
  const today = new Date("2026-11-30T00:00:00Z");
  const rows = buildScaleRows({ households: 4000, seed: 2020, today, idHashKey: "test-only-id-hash-key-xxxxxxxxxxxxxxxxxxxxxx" });
  const steps = new Set(["DRAFT>SUBMITTED", "SUBMITTED>CERTIFIED", "SUBMITTED>REJECTED", "CERTIFIED>LISTED", "LISTED>REVOKED"]);
  const byProduct = new Map<string, Record<string, any>[]>();
  for (const e of rows.certificationEvents) byProduct.set(e.product_id as string, [...(byProduct.get(e.product_id as string) ?? []), e]);

  it("give every product a chain of steps from DRAFT to its status, between its creation and its last update, before the seed day; a certified price once certified", () => {
    expect(rows.products.length).toBeGreaterThan(50);
    for (const p of rows.products) {
      const events = byProduct.get(p.id as string) ?? [];
      const label = `${p.id} ${p.status}`;
      expect(events.length > 0, label).toBe(p.status !== "DRAFT");
      let status = "DRAFT";
      let last = Date.parse(p.created_at as string);
      for (const e of events) {
        expect(e.from_status, label).toBe(status);
        expect(steps.has(`${e.from_status}>${e.to_status}`), label).toBe(true);
        const at = Date.parse(e.at);
        expect(at, label).toBeGreaterThan(last);
        if (e.to_status === "LISTED") expect(businessToday(new Date(at)), label).toBe(p.valid_from); // 入录 on validFrom, China time
        status = e.to_status;
        last = at;
      }
      expect(status, label).toBe(p.status);
      // a certified price exactly when 认定 happened (the price band's reference)
      expect(p.certified_unit_price != null, label).toBe(events.some((e) => e.to_status === "CERTIFIED"));
      expect(last, label).toBeLessThanOrEqual(Date.parse(p.updated_at as string));
      expect(last, label).toBeLessThan(today.getTime());
    }
  });

  it("leaves no product listed before the data's first validFrom (a past asOf sees none listed)", () => {
    const firstListing = rows.certificationEvents.filter((e) => e.to_status === "LISTED").map((e) => e.at as string).sort()[0]!;
    const firstValidFrom = rows.products.map((p) => p.valid_from as string | null).filter(Boolean).sort()[0]!;
    expect(businessToday(new Date(firstListing))).toBe(firstValidFrom);
  });
});
