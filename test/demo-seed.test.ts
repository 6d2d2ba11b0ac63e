import { describe, expect, it } from "vitest";
import { enterpriseKind, productCategory } from "../src/db/schema.js";
import { isValidUscc, validateUscc } from "../src/modules/enterprises/index.js";
import { buildDemoRows, enterpriseSeeds, productSeeds } from "../seeds/demo.js";
import { countyCodes, divisionSeeds, type DivisionSeed } from "../seeds/xiangxi.js";
import { businessToday } from "../src/clock.js";

const byCode = new Map<string, DivisionSeed>(divisionSeeds.map((d) => [d.code, d]));
const enterpriseById = new Map(enterpriseSeeds.map((e) => [e.id, e]));
const TODAY = new Date("2026-11-30T00:00:00Z");

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

describe("division seeds", () => {
  it("has unique, well-formed codes, parents first, levels matching code lengths", () => {
    const seen = new Set<string>();
    const lengthOf = { PREFECTURE: 6, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12 } as const;
    const parentLevel = { PREFECTURE: null, COUNTY: "PREFECTURE", TOWNSHIP: "COUNTY", VILLAGE: "TOWNSHIP" } as const;
    for (const d of divisionSeeds) {
      expect(seen.has(d.code), d.code).toBe(false);
      expect(d.code).toMatch(/^[0-9]{6}([0-9]{3}){0,2}$/);
      expect(d.code).toHaveLength(lengthOf[d.level]);
      if (d.parentCode === null) {
        expect(d.level).toBe("PREFECTURE");
      } else {
        expect(seen.has(d.parentCode), `${d.code} after its parent`).toBe(true);
        expect(byCode.get(d.parentCode)!.level).toBe(parentLevel[d.level]);
        if (d.level !== "COUNTY") expect(d.code.startsWith(d.parentCode)).toBe(true);
      }
      seen.add(d.code);
    }
  });

  it("has the prefecture and its 8 counties with their official codes", () => {
    expect(byCode.get("433100")).toMatchObject({ name: "湘西土家族苗族自治州", level: "PREFECTURE", parentCode: null });
    const counties = divisionSeeds.filter((d) => d.level === "COUNTY");
    expect(counties.map((c) => [c.code, c.name])).toEqual([
      ["433101", "吉首市"],
      ["433122", "泸溪县"],
      ["433123", "凤凰县"],
      ["433124", "花垣县"],
      ["433125", "保靖县"],
      ["433126", "古丈县"],
      ["433127", "永顺县"],
      ["433130", "龙山县"],
    ]);
    for (const c of counties) {
      const towns = divisionSeeds.filter((d) => d.parentCode === c.code);
      expect(towns.length).toBeGreaterThanOrEqual(3);
      expect(towns.length).toBeLessThanOrEqual(4);
      for (const t of towns) {
        const villages = divisionSeeds.filter((d) => d.parentCode === t.code);
        expect(villages.length).toBeGreaterThanOrEqual(2);
        expect(villages.length).toBeLessThanOrEqual(4);
      }
    }
  });

  it("puts 十八洞村 under 双龙镇 under 花垣县, poor and out in 2017", () => {
    const village = divisionSeeds.find((d) => d.name === "十八洞村");
    expect(village).toBeDefined();
    expect(village).toMatchObject({ level: "VILLAGE", isPoorVillage: true, exitYear: 2017 });
    const town = byCode.get(village!.parentCode!)!;
    expect(town).toMatchObject({ name: "双龙镇", level: "TOWNSHIP" });
    expect(byCode.get(town.parentCode!)).toMatchObject({ code: "433124", name: "花垣县", level: "COUNTY" });
  });

  it("marks roughly 60 % of villages poor, with exit years 2016–2020 only for poor villages", () => {
    const villages = divisionSeeds.filter((d) => d.level === "VILLAGE");
    const poor = villages.filter((v) => v.isPoorVillage);
    expect(poor.length / villages.length).toBeGreaterThan(0.5);
    expect(poor.length / villages.length).toBeLessThan(0.7);
    for (const v of villages) {
      if (v.isPoorVillage) {
        expect(v.exitYear).toBeGreaterThanOrEqual(2016);
        expect(v.exitYear).toBeLessThanOrEqual(2020);
      } else {
        expect(v.exitYear).toBeNull();
      }
    }
    for (const d of divisionSeeds.filter((x) => x.level !== "VILLAGE")) {
      expect(d.isPoorVillage).toBe(false);
      expect(d.exitYear).toBeNull();
    }
  });
});

describe("demo enterprises", () => {
  it("have valid, unique USCCs and unique ids", () => {
    for (const e of enterpriseSeeds) {
      expect(validateUscc(e.uscc), `${e.name} ${e.uscc}`).toEqual({ ok: true });
      expect(e.uscc.slice(2, 8)).toBe(e.countyCode);
    }
    expect(new Set(enterpriseSeeds.map((e) => e.uscc)).size).toBe(enterpriseSeeds.length);
    expect(new Set(enterpriseSeeds.map((e) => e.id)).size).toBe(enterpriseSeeds.length);
  });

  it("cover every kind and every county, in existing counties", () => {
    expect(new Set(enterpriseSeeds.map((e) => e.kind))).toEqual(new Set(enterpriseKind.enumValues));
    expect(new Set(enterpriseSeeds.map((e) => e.countyCode))).toEqual(new Set(Object.values(countyCodes)));
    for (const e of enterpriseSeeds) expect(byCode.get(e.countyCode)?.level).toBe("COUNTY");
  });

  it("are mostly VERIFIED, with one PENDING and one SUSPENDED", () => {
    expect(enterpriseSeeds.filter((e) => e.status === "PENDING")).toHaveLength(1);
    expect(enterpriseSeeds.filter((e) => e.status === "SUSPENDED")).toHaveLength(1);
    expect(enterpriseSeeds.filter((e) => e.status === "VERIFIED").length).toBe(enterpriseSeeds.length - 2);
  });
});

describe("demo products", () => {
  it("have unique ids and existing enterprises", () => {
    expect(new Set(productSeeds.map((p) => p.id)).size).toBe(productSeeds.length);
    for (const p of productSeeds) expect(enterpriseById.has(p.enterpriseId), p.name).toBe(true);
  });

  it("come from existing counties and, when given, a village under a town of that county", () => {
    for (const p of productSeeds) {
      expect(byCode.get(p.originCountyCode)?.level, p.name).toBe("COUNTY");
      if (p.originVillageCode !== null) {
        const village = byCode.get(p.originVillageCode);
        expect(village?.level, p.name).toBe("VILLAGE");
        const town = byCode.get(village!.parentCode!);
        expect(town?.level).toBe("TOWNSHIP");
        expect(town?.parentCode, p.name).toBe(p.originCountyCode);
      }
    }
    const withVillage = productSeeds.filter((p) => p.originVillageCode !== null).length;
    expect(withVillage / productSeeds.length).toBeGreaterThan(0.25);
    expect(withVillage / productSeeds.length).toBeLessThan(0.5);
  });

  it("mostly come from their enterprise's county", () => {
    const same = productSeeds.filter((p) => enterpriseById.get(p.enterpriseId)!.countyCode === p.originCountyCode).length;
    expect(same / productSeeds.length).toBeGreaterThan(0.8);
  });

  it("cover all 8 counties and every category", () => {
    expect(new Set(productSeeds.map((p) => p.originCountyCode))).toEqual(new Set(Object.values(countyCodes)));
    expect(new Set(productSeeds.map((p) => p.category))).toEqual(new Set(productCategory.enumValues));
  });

  it("have two-decimal prices with ties, and same-name products with different specs", () => {
    for (const p of productSeeds) expect(p.unitPrice).toMatch(/^[0-9]+\.[0-9]{2}$/);
    const prices = productSeeds.map((p) => p.unitPrice);
    expect(new Set(prices).size).toBeLessThan(prices.length - 5);
    const byName = new Map<string, Set<string>>();
    for (const p of productSeeds) byName.set(p.name, (byName.get(p.name) ?? new Set()).add(p.spec));
    expect([...byName.values()].filter((specs) => specs.size > 1).length).toBeGreaterThanOrEqual(2);
    for (const p of productSeeds) {
      expect(Number.isInteger(p.annualSupplyCapacity) && p.annualSupplyCapacity >= 0).toBe(true);
      expect(Number.isInteger(p.availableSupply) && p.availableSupply >= 0).toBe(true);
      expect(p.imageUrls.length).toBeGreaterThanOrEqual(1);
      for (const url of p.imageUrls) expect(url).toMatch(/^https:\/\//);
    }
  });

  it("let a search for 百合 find several products, through the name, the brand only, or the enterprise only", () => {
    const enterpriseName = (id: string) => enterpriseById.get(id)!.name;
    const listed = productSeeds.filter((p) => p.listing.status === "LISTED");
    const hits = listed.filter((p) => p.name.includes("百合") || p.brand?.includes("百合") || enterpriseName(p.enterpriseId).includes("百合"));
    expect(hits.length).toBeGreaterThanOrEqual(4);
    expect(hits.some((p) => !p.name.includes("百合") && p.brand?.includes("百合") && !enterpriseName(p.enterpriseId).includes("百合"))).toBe(true);
    expect(hits.some((p) => !p.name.includes("百合") && !p.brand?.includes("百合") && enterpriseName(p.enterpriseId).includes("百合"))).toBe(true);
  });

  it("have catalog sequences unique per county for listed and revoked products", () => {
    const seen = new Set<string>();
    for (const p of productSeeds) {
      const l = p.listing;
      if (l.status !== "LISTED" && l.status !== "REVOKED") continue;
      const key = `${p.originCountyCode}/${l.catalogSeq}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(l.updatedDaysAgo).toBeLessThanOrEqual(l.listedDaysAgo);
    }
  });

  it("spread statuses: mostly LISTED, every other status present", () => {
    const count = (s: string) => productSeeds.filter((p) => p.listing.status === s).length;
    expect(count("LISTED")).toBeGreaterThanOrEqual(45);
    for (const s of ["DRAFT", "SUBMITTED", "CERTIFIED", "REJECTED", "REVOKED"]) expect(count(s), s).toBeGreaterThan(0);
  });
});

describe("buildDemoRows", () => {
  const rows = buildDemoRows(TODAY);

  it("builds one row per seed", () => {
    expect(rows.enterprises).toHaveLength(enterpriseSeeds.length);
    expect(rows.products).toHaveLength(productSeeds.length);
    for (const e of rows.enterprises) expect(isValidUscc(e.uscc)).toBe(true);
  });

  it("gives listed products a catalog entry (the CHECK constraint) with unique catalog numbers", () => {
    const numbers: string[] = [];
    for (const p of rows.products) {
      if (p.status === "LISTED" || p.status === "REVOKED") {
        expect(p.catalogNo).toMatch(/^[0-9]{6}-[0-9]{4}-[0-9]{6}$/);
        expect(p.catalogNo!.startsWith(`${p.originCountyCode}-${p.validFrom!.slice(0, 4)}-`)).toBe(true);
        expect(p.batch).toMatch(/^[0-9]{4}年第[一二三四]批$/);
        expect(p.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(p.validUntil! >= p.validFrom!).toBe(true);
        numbers.push(p.catalogNo!);
      } else {
        expect(p.catalogNo).toBeNull();
        expect(p.validFrom).toBeNull();
        expect(p.validUntil).toBeNull();
      }
    }
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it("has exactly one expired LISTED product on 2026-11-30 and on other dates", () => {
    for (const today of [TODAY, new Date("2028-02-29T12:00:00Z"), new Date("2030-01-01T23:59:59Z"), new Date()]) {
      const day = isoDay(today);
      const listed = buildDemoRows(today).products.filter((p) => p.status === "LISTED");
      const expired = listed.filter((p) => p.validUntil! < day);
      expect(expired.map((p) => p.name), day).toEqual(["苗家酸菜"]);
      // every listed product is already valid
      for (const p of listed) expect(p.validFrom! <= day).toBe(true);
      // some certifications expire within 60 days
      const soon = isoDay(new Date(Date.parse(day) + 60 * 86_400_000));
      expect(listed.filter((p) => p.validUntil! >= day && p.validUntil! <= soon).length).toBeGreaterThanOrEqual(2);
    }
  });

  it("makes validity two years minus one day", () => {
    const p = rows.products.find((r) => r.name === "苗家酸菜")!;
    const from = new Date(`${p.validFrom}T00:00:00Z`);
    const until = new Date(Date.UTC(from.getUTCFullYear() + 2, from.getUTCMonth(), from.getUTCDate()) - 86_400_000);
    expect(p.validUntil).toBe(isoDay(until));
  });

  it("dates everything in the past, with at least two LISTED products sharing updatedAt", () => {
    for (const r of [...rows.enterprises, ...rows.products]) {
      expect(r.createdAt!.getTime()).toBeLessThanOrEqual(r.updatedAt!.getTime());
      expect(r.updatedAt!.getTime()).toBeLessThan(TODAY.getTime());
    }
    const listedTimes = rows.products.filter((p) => p.status === "LISTED").map((p) => p.updatedAt!.getTime());
    expect(new Set(listedTimes).size).toBeLessThan(listedTimes.length);
  });
});

describe("buildDemoRows: certification events", () => {
  // The steps of the workflow (DOMAIN.md), as the events record them.
  const steps = new Set(["DRAFT>SUBMITTED", "SUBMITTED>CERTIFIED", "SUBMITTED>REJECTED", "CERTIFIED>LISTED", "LISTED>REVOKED"]);

  it("give every product a chain of steps from DRAFT to its status, in order, between its creation and its last update", () => {
    for (const today of [TODAY, new Date("2028-02-29T12:00:00Z"), new Date()]) {
      const rows = buildDemoRows(today);
      const ids = new Set(rows.certificationEvents.map((e) => e.id));
      expect(ids.size).toBe(rows.certificationEvents.length);
      for (const p of rows.products) {
        const events = rows.certificationEvents.filter((e) => e.productId === p.id);
        const label = `${p.name} ${p.status} (${isoDay(today)})`;
        expect(events.length > 0, label).toBe(p.status !== "DRAFT");
        let status = "DRAFT";
        let last = p.createdAt!.getTime();
        for (const e of events) {
          expect(e.fromStatus, label).toBe(status);
          expect(steps.has(`${e.fromStatus}>${e.toStatus}`), label).toBe(true);
          expect(e.at!.getTime(), label).toBeGreaterThan(last);
          status = e.toStatus;
          last = e.at!.getTime();
          // 入录 happens on the listing's first day, in China time
          if (e.toStatus === "LISTED") expect(businessToday(e.at!), label).toBe(p.validFrom);
        }
        expect(status, label).toBe(p.status);
        expect(last, label).toBeLessThanOrEqual(p.updatedAt!.getTime());
        expect(last, label).toBeLessThan(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
      }
    }
  });
});

describe("buildDemoRows on a 29 February validFrom", () => {
  it("ends the validity on 28 February two years later", () => {
    // pick a seed date so that some listed product starts on 2028-02-29
    const seed = productSeeds.find((p) => p.listing.status === "LISTED")!;
    const listedDaysAgo = (seed.listing as { listedDaysAgo: number }).listedDaysAgo;
    const today = new Date(Date.UTC(2028, 1, 29) + listedDaysAgo * 86_400_000);
    const row = buildDemoRows(today).products.find((p) => p.id === seed.id)!;
    expect(row.validFrom).toBe("2028-02-29");
    expect(row.validUntil).toBe("2030-02-28");
  });
});
