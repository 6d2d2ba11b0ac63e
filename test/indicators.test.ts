import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { divisions, enterpriseStatusHistory, products } from "../src/db/schema.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { actorOf } from "../src/modules/accounts/index.js";
import { certificationEvents } from "../src/modules/certification/index.js";
import type { Command } from "../src/actor.js";
import { useTestApi } from "./support/api.js";
import { freshUscc, gid, householdIn, productInState } from "./support/fixtures.js";
import { businessToday } from "../src/clock.js";

/**
 * A reference prefecture small enough to count by hand: 花垣县 with 12 poor villages (V1–V12) and
 * 保靖县 with 4 (B1–B4) plus a village that is not poor (B5). Every expected value below is worked
 * out in the comments; asOf is 2020-06-30 for pairings and links.
 */
const AS_OF = "2020-06-30";
const V = (n: number) => `433124103${String(200 + n)}`; // 花垣县 双龙镇
const B = (n: number) => `433125101${String(200 + n)}`; // 保靖县 吕洞山镇

const setup = useTestApi({ seed: false, callers: false });
let admin: Command;
const admins = { authorization: "" };

beforeAll(async () => {
  // Places are reference data (no mutation creates them): written directly.
  await setup.database.db.insert(divisions).values([
    { code: "433100", name: "湘西土家族苗族自治州", level: "PREFECTURE", parentCode: null },
    { code: "433124", name: "花垣县", level: "COUNTY", parentCode: "433100" },
    { code: "433125", name: "保靖县", level: "COUNTY", parentCode: "433100" },
    { code: "433124103", name: "双龙镇", level: "TOWNSHIP", parentCode: "433124" },
    { code: "433125101", name: "吕洞山镇", level: "TOWNSHIP", parentCode: "433125" },
    ...Array.from({ length: 12 }, (_, i) => ({ code: V(i + 1), name: i === 0 ? "十八洞村" : `花垣村${i + 1}`, level: "VILLAGE" as const, parentCode: "433124103", isPoorVillage: true, exitYear: 2017 })),
    ...Array.from({ length: 4 }, (_, i) => ({ code: B(i + 1), name: i === 0 ? "夯沙村" : `保靖村${i + 1}`, level: "VILLAGE" as const, parentCode: "433125101", isPoorVillage: true, exitYear: 2018 })),
    { code: B(5), name: "保靖村5", level: "VILLAGE", parentCode: "433125101", isPoorVillage: false },
  ]);
  const user = await setup.api.services.accounts.insertUser(setup.database.db, { username: "ref_admin", password: "reference-admin-2020", role: "ADMIN" });
  admin = { actor: actorOf(user), requestId: "reference" };
  admins.authorization = `Bearer ${(await setup.api.services.accounts.login("ref_admin", "reference-admin-2020", "192.0.2.9", "reference")).token}`;

  const enterprise = async (name: string, kind: "LEADING_NATIONAL" | "LEADING_PROVINCIAL" | "LEADING_PREFECTURE" | "SCALE" | "COOPERATIVE", county: string, username = `u_${kind.toLowerCase()}_${county}`) => {
    const { enterprise } = await setup.api.services.registration.register(admin, { name, uscc: freshUscc(county), kind, countyCode: county, username, password: "enterprise-pass-2020" });
    await setup.api.services.registration.verify(admin, enterprise.id);
    await backdate(enterprise.id, "2018-12-31T10:00:00+08:00"); // verified before any pairing or link below
    return enterprise.id;
  };
  const national = await enterprise("湘西老爹生物有限公司", "LEADING_NATIONAL", "433124");
  const provincial = await enterprise("花垣县苗汉子果业有限公司", "LEADING_PROVINCIAL", "433124");
  const scale = await enterprise("花垣县规模养殖有限公司", "SCALE", "433124");
  const coop = await enterprise("十八洞村蔬菜专业合作社", "COOPERATIVE", "433124");
  const prefectural = await enterprise("保靖黄金茶有限公司", "LEADING_PREFECTURE", "433125");

  const pair = (enterpriseId: string, village: string, startDate: string, endDate: string | null = null) =>
    setup.api.services.pairings.create(admin, { enterpriseId, villageCode: village, mode: "INDUSTRY", startDate, endDate, industrialInvestment: "100000.00", welfareInvestment: "0", jobsProvided: 5, peopleTrained: 10 });
  for (const n of [1, 2, 3, 4, 5]) await pair(national, V(n), "2019-01-01"); //  V1–V5 covered by a national leader
  await pair(scale, V(1), "2019-06-01"); //                                         V1 twice: still one village
  await pair(scale, V(6), "2020-01-01", AS_OF); //                                  V6: ends on asOf, still active
  await pair(provincial, V(7), AS_OF); //                                           V7: starts on asOf, active
  await pair(coop, V(8), "2019-01-01"); //                                          V8: a co-operative does not count
  await pair(national, V(9), "2019-01-01", "2020-06-29"); //                        V9: ended the day before
  await pair(scale, V(10), "2020-07-01"); //                                        V10: starts the day after
  for (const n of [1, 2, 3]) await pair(prefectural, B(n), "2020-01-01"); //        B1–B3 covered
  await pair(prefectural, B(5), "2020-01-01"); //                                   B5 is not poor: counts nowhere

  const link = async (household: { householdNo: string }, headIdNumber: string, startDate: string, endDate: string | null = null, enterpriseId = national) =>
    setup.api.services.benefitLinks.create(admin, { household: { householdNo: household.householdNo, headIdNumber }, enterpriseId, productId: null, pairingId: null, mechanism: "EMPLOYMENT", year: 2020, income: "9000.00", contractRef: null, startDate, endDate });
  const h = async (village: string, able = true, willing = true, status: "OUT_OF_POVERTY" | "IN_POVERTY" | "MONITORED_EDGE" = "OUT_OF_POVERTY") =>
    householdIn(setup.api.services, admin, village, { laborCapacity: able, developmentWillingness: willing, status });
  const h1 = await h(V(1));
  await link(h1.household, h1.headIdNumber, "2020-01-01"); //                        H1 (V1): linked
  const h2 = await h(V(1), true, true, "IN_POVERTY");
  await link(h2.household, h2.headIdNumber, "2020-01-01");
  await link(h2.household, h2.headIdNumber, "2020-03-01", null, scale); //            H2 (V1): two links, counted once
  const h3 = await h(V(4));
  await link(h3.household, h3.headIdNumber, "2019-01-01", "2020-06-29"); //          H3 (V4): ended the day before
  const h4 = await h(V(5), true, true, "MONITORED_EDGE");
  await link(h4.household, h4.headIdNumber, "2020-07-01"); //                        H4 (V5): starts the day after
  const h5 = await h(V(2));
  await link(h5.household, h5.headIdNumber, "2020-01-01", AS_OF); //                 H5 (V2): ends on asOf, active
  const h6 = await h(V(6)); //                                                        H6 (V6): able and willing, no link (but see below)
  const h7 = await h(V(3), false, true);
  await link(h7.household, h7.headIdNumber, "2020-01-01"); //                        H7 (V3): linked but cannot work
  await h(V(3), true, false); //                                                      H8 (V3): not willing, no link
  const h9 = await h(B(1), true, true, "IN_POVERTY");
  await link(h9.household, h9.headIdNumber, "2020-01-01", null, prefectural); //     H9 (B1): linked

  // A suspended enterprise (through GraphQL; then dated back): a provincial
  // leader verified 2018-12-31, suspended 2020-06-15, reinstated 2020-07-10. Its pairing of V11 and
  // its link of H6 (V6) count before 06-15 and from 07-10, not on the days between (asOf 06-30, 07-01).
  const suspended = await enterprise("花垣县暂停果业有限公司", "LEADING_PROVINCIAL", "433124", "u_suspended_433124");
  await pair(suspended, V(11), "2020-01-01"); //                                      V11: by the suspended enterprise
  await link(h6.household, h6.headIdNumber, "2020-01-01", null, suspended); //         H6 (V6): linked by the suspended enterprise
  const office = admins;
  const suspend = await setup.api.run(`mutation ($id: ID!) { suspendEnterprise(input: {enterpriseId: $id, reason: "虚报带贫人数"}) { enterprise { status } userErrors { code } } }`, { id: toGlobalId("Enterprise", suspended) }, office);
  expect(suspend.data.suspendEnterprise).toEqual({ enterprise: { status: "SUSPENDED" }, userErrors: [] });
  const reinstate = await setup.api.run(`mutation ($id: ID!) { reinstateEnterprise(input: {enterpriseId: $id}) { enterprise { status } userErrors { code } } }`, { id: toGlobalId("Enterprise", suspended) }, office);
  expect(reinstate.data.reinstateEnterprise).toEqual({ enterprise: { status: "VERIFIED" }, userErrors: [] });
  await backdate(suspended, "2018-12-31T10:00:00+08:00", "2020-06-15T09:00:00+08:00", "2020-07-10T09:00:00+08:00");

  // A self-declared national leader the office corrects to a co-operative while verifying it: its
  // pairing of V12 never counts (the confirmed kind decides, not the declared one).
  const { enterprise: declared } = await setup.api.services.registration.register(admin, { name: "花垣县自称龙头农业有限公司", uscc: freshUscc("433124"), kind: "LEADING_NATIONAL", countyCode: "433124", username: "u_declared_433124", password: "enterprise-pass-2020" });
  const corrected = await setup.api.run(`mutation ($id: ID!) { verifyEnterprise(input: {enterpriseId: $id, kind: COOPERATIVE}) { enterprise { status kind } userErrors { code } } }`, { id: toGlobalId("Enterprise", declared.id) }, office);
  expect(corrected.data.verifyEnterprise).toEqual({ enterprise: { status: "VERIFIED", kind: "COOPERATIVE" }, userErrors: [] });
  await backdate(declared.id, "2018-12-31T10:00:00+08:00");
  await pair(declared.id, V(12), "2019-06-01"); //                                    V12: a co-operative, as the office confirmed it
}, 120_000);

/** Time travel: dates an enterprise's status changes (oldest first) back to the given instants. */
async function backdate(enterpriseId: string, ...instants: string[]) {
  const rows = await setup.database.db.select().from(enterpriseStatusHistory).where(eq(enterpriseStatusHistory.enterpriseId, enterpriseId)).orderBy(enterpriseStatusHistory.seq);
  expect(rows).toHaveLength(instants.length);
  for (const [i, row] of rows.entries()) await setup.database.db.update(enterpriseStatusHistory).set({ at: new Date(instants[i]!) }).where(eq(enterpriseStatusHistory.id, row.id));
}

const INDICATOR = "key numerator denominator rate target met byCounty { county { code } numerator denominator rate met }";
const county = (i: any, code: string) => i.byCounty.find((c: any) => c.county.code === code);

describe("indicators on the reference prefecture (values worked out by hand)", () => {
  it("pairingCoverage: 花垣 7 of 12 = 0.5833…, not met; 保靖 3 of 4 = 0.75, met; prefecture 10 of 16 = 0.625, met", async () => {
    // 花垣: V1–V5 (national), V6 (scale, ends on asOf), V7 (provincial, starts on asOf) = 7 of 12.
    const result = await setup.api.run(`query ($asOf: Date) { pairingCoverage(asOf: $asOf) { ${INDICATOR} } }`, { asOf: AS_OF }, admins);
    expect(result.errors).toBeUndefined();
    const p = result.data.pairingCoverage;
    expect(p).toMatchObject({ key: "pairingCoverage", numerator: 10, denominator: 16, rate: 10 / 16, target: 0.6, met: true });
    expect(county(p, "433124")).toEqual({ county: { code: "433124" }, numerator: 7, denominator: 12, rate: 7 / 12, met: false });
    expect(county(p, "433125")).toEqual({ county: { code: "433125" }, numerator: 3, denominator: 4, rate: 0.75, met: true });
    const one = (await setup.api.run(`query ($asOf: Date) { pairingCoverage(countyCode: "433124", asOf: $asOf) { ${INDICATOR} } }`, { asOf: AS_OF }, admins)).data.pairingCoverage;
    expect(one).toMatchObject({ numerator: 7, denominator: 12, met: false });
    expect(one.byCounty).toHaveLength(1);
  });

  it("pairingCoverage follows asOf: on 2020-07-01 V6 and V9 are out, V10 is in", async () => {
    // 花垣 on 2020-07-01: V1–V5, V7, V10 = 7 of 12 (V6 ended 06-30, V9 ended 06-29).
    const p = (await setup.api.run(`{ pairingCoverage(countyCode: "433124", asOf: "2020-07-01") { numerator denominator } }`, {}, admins)).data.pairingCoverage;
    expect(p).toEqual({ numerator: 7, denominator: 12 });
    // On 2019-12-31: V1–V5 (national), V8 is a co-operative, V9 active (ended later) = 6 of 12.
    const q = (await setup.api.run(`{ pairingCoverage(countyCode: "433124", asOf: "2019-12-31") { numerator } }`, {}, admins)).data.pairingCoverage;
    expect(q.numerator).toBe(6);
  });

  it("benefitLinkCoverage: households 花垣 3 of 6 (H1, H2, H5), 保靖 1 of 1; villages 花垣 3 of 12, 保靖 1 of 4", async () => {
    const result = await setup.api.run(`query ($asOf: Date) { benefitLinkCoverage(asOf: $asOf) { households { ${INDICATOR} } villages { ${INDICATOR} } } }`, { asOf: AS_OF }, admins);
    expect(result.errors).toBeUndefined();
    const { households, villages } = result.data.benefitLinkCoverage;
    // Able and willing: H1–H6 in 花垣 (H7 cannot work, H8 is not willing), H9 in 保靖 = 7; linked: H1, H2, H5, H9 = 4.
    expect(households).toMatchObject({ numerator: 4, denominator: 7, rate: 4 / 7, target: 1, met: false });
    expect(county(households, "433124")).toMatchObject({ numerator: 3, denominator: 6, rate: 0.5, met: false });
    expect(county(households, "433125")).toMatchObject({ numerator: 1, denominator: 1, rate: 1, met: true });
    // Poor villages with a linked household (any household): V1 (H1, H2), V2 (H5), V3 (H7), B1 (H9) = 4 of 16.
    expect(villages).toMatchObject({ numerator: 4, denominator: 16, rate: 0.25, met: false });
    expect(county(villages, "433124")).toMatchObject({ numerator: 3, denominator: 12 });
    expect(county(villages, "433125")).toMatchObject({ numerator: 1, denominator: 4, rate: 0.25 });
  });

  it("a suspended enterprise's pairing and link count before its suspension and after its reinstatement, not in between", async () => {
    const on = async (asOf: string) =>
      (await setup.api.run(`query ($asOf: Date) { pairingCoverage(countyCode: "433124", asOf: $asOf) { numerator } benefitLinkCoverage(countyCode: "433124", asOf: $asOf) { households { numerator denominator } villages { numerator } } }`, { asOf }, admins)).data;
    // 2020-06-01, before the suspension: pairings V1–V5 (national), V6 (scale), V9 (national, ends 06-29),
    // V11 (the suspended enterprise, still verified) = 8; households H1, H2, H3 (ends 06-29), H5, H6 = 5 of 6;
    // villages V1 (H1, H2), V2 (H5), V3 (H7), V4 (H3), V6 (H6) = 5.
    expect(await on("2020-06-01")).toEqual({ pairingCoverage: { numerator: 8 }, benefitLinkCoverage: { households: { numerator: 5, denominator: 6 }, villages: { numerator: 5 } } });
    // 2020-06-15, the day of the suspension (it stands at the end of the day): V11 and H6/V6 are out:
    // pairings V1–V6, V9 = 7; households H1, H2, H3, H5 = 4; villages V1, V2, V3, V4 = 4.
    expect(await on("2020-06-15")).toEqual({ pairingCoverage: { numerator: 7 }, benefitLinkCoverage: { households: { numerator: 4, denominator: 6 }, villages: { numerator: 4 } } });
    // 2020-07-15, after the reinstatement (07-10): V1–V5, V7 (from 06-30), V10 (from 07-01), V11 = 8;
    // households H1, H2, H4 (from 07-01), H6 = 4 (H5 ended 06-30); villages V1, V3, V5 (H4), V6 = 4.
    expect(await on("2020-07-15")).toEqual({ pairingCoverage: { numerator: 8 }, benefitLinkCoverage: { households: { numerator: 4, denominator: 6 }, villages: { numerator: 4 } } });
  });

  it("before any verification nothing counts, and the kind is the one the office confirmed", async () => {
    // 2018-12-30: no enterprise verified yet (all were on 2018-12-31), and no pairing started anyway.
    const early = (await setup.api.run(`{ pairingCoverage(countyCode: "433124", asOf: "2018-12-30") { numerator } }`, {}, admins)).data.pairingCoverage;
    expect(early.numerator).toBe(0);
    // V12 is paired since 2019-06-01 by an enterprise that declared LEADING_NATIONAL; the office
    // confirmed COOPERATIVE: on 2020-06-30 花垣 still has 7 (V1–V7), V12 not among them (see the first test).
    const p = (await setup.api.run(`{ pairings(filter: {villageCode: "${V(12)}"}) { nodes { enterprise { kind } } } }`, {}, admins)).data.pairings;
    expect(p.nodes).toEqual([{ enterprise: { kind: "COOPERATIVE" } }]);
  });

  it("certificationPipeline: per status per county, listed per category, expiring within 60 days", async () => {
    const own = (await setup.api.services.enterprises.enterprisesPage({ kind: "LEADING_NATIONAL" }, { field: "NAME", direction: "ASC" }, { first: 1 })).rows[0]!.id;
    const tea = (await setup.api.services.enterprises.enterprisesPage({ kind: "LEADING_PREFECTURE" }, { field: "NAME", direction: "ASC" }, { first: 1 })).rows[0]!.id;
    await productInState(setup.database, setup.api.services, admin, own, "DRAFT");
    await productInState(setup.database, setup.api.services, admin, own, "SUBMITTED");
    await productInState(setup.database, setup.api.services, admin, own, "LISTED", { category: "FRUIT" });
    await productInState(setup.database, setup.api.services, admin, own, "LISTED", { category: "TEA" });
    await productInState(setup.database, setup.api.services, admin, own, "EXPIRED");
    await productInState(setup.database, setup.api.services, admin, tea, "CERTIFIED", { originCountyCode: "433125", originVillageCode: null });
    const soon = await productInState(setup.database, setup.api.services, admin, tea, "LISTED", { category: "TEA", originCountyCode: "433125", originVillageCode: null });
    const today = businessToday();
    const in30 = businessToday(new Date(Date.now() + 30 * 86_400_000));
    await setup.database.db.update(products).set({ validUntil: in30 }).where(sql`${products.id} = ${soon.id}`); // time travel: expiring in 30 days

    const sooner = await productInState(setup.database, setup.api.services, admin, own, "LISTED", { category: "FRUIT", name: "十八洞猕猴桃（即将到期）" });
    const in10 = businessToday(new Date(Date.now() + 10 * 86_400_000));
    await setup.database.db.update(products).set({ validUntil: in10 }).where(sql`${products.id} = ${sooner.id}`);

    const result = await setup.api.run(
      `query ($asOf: Date) { certificationPipeline(asOf: $asOf) { byCountyAndStatus { county { code } status count } listedByCategory { category count } expiringWithin60Days
        expiringListings { product { name catalogNo enterprise { name } } county { code name } validUntil } } }`,
      { asOf: today },
      admins,
    );
    expect(result.errors).toBeUndefined();
    const p = result.data.certificationPipeline;
    expect(p.byCountyAndStatus.map((r: any) => `${r.county.code} ${r.status} ${r.count}`)).toEqual([
      "433124 DRAFT 1",
      "433124 EXPIRED 1",
      "433124 LISTED 3",
      "433124 SUBMITTED 1",
      "433125 CERTIFIED 1",
      "433125 LISTED 1",
    ]);
    expect(p.listedByCategory).toEqual([
      { category: "FRUIT", count: 2 },
      { category: "TEA", count: 2 },
    ]);
    expect(p.expiringWithin60Days).toBe(2);
    // The list behind the count (issue 14): product, enterprise, county, last day — soonest first.
    const enterpriseName = async (id: string) => (await setup.api.services.enterprises.enterprisesByIds([id]))[0]!.name;
    expect(p.expiringListings).toEqual([
      { product: { name: "十八洞猕猴桃（即将到期）", catalogNo: sooner.catalogNo, enterprise: { name: await enterpriseName(own) } }, county: { code: "433124", name: "花垣县" }, validUntil: in10 },
      { product: { name: soon.name, catalogNo: soon.catalogNo, enterprise: { name: await enterpriseName(tea) } }, county: { code: "433125", name: "保靖县" }, validUntil: in30 },
    ]);
    expect(sooner.catalogNo).toMatch(/^433124-/);
    // Any logged-in user reads the pipeline; listed products are public, so an enterprise user sees them too.
    const asEnterprise = await setup.api.run(`query ($asOf: Date) { certificationPipeline(asOf: $asOf) { expiringListings { product { name } validUntil } } }`, { asOf: today }, {
      authorization: `Bearer ${(await setup.api.services.accounts.login("u_leading_national_433124", "enterprise-pass-2020", "192.0.2.9", "reference")).token}`,
    });
    expect(asEnterprise.errors).toBeUndefined();
    expect(asEnterprise.data.certificationPipeline.expiringListings.map((r: any) => r.validUntil)).toEqual([in10, in30]);
  });
});

/**
 * History: products of 古丈县 whose workflow happened on known days (the services act "now"; the
 * events and dates are then moved back in time, as a product that went through it in 2020 would
 * have them). Days are China days: an event at 2020-06-30T17:00Z is on 2020-07-01 in Beijing.
 */
describe("certificationPipeline asOf a past day rebuilds the statuses from the events", () => {
  const GUZHANG = "433126";
  const PIPELINE = "byCountyAndStatus { county { code } status count } listedByCategory { category count } expiringWithin60Days";
  const pipelineOn = async (asOf: string, countyCode: string | null = GUZHANG) => {
    const result = await setup.api.run(`query ($asOf: Date, $c: String) { certificationPipeline(countyCode: $c, asOf: $asOf) { ${PIPELINE} } }`, { asOf, c: countyCode }, admins);
    expect(result.errors).toBeUndefined();
    return result.data.certificationPipeline;
  };
  const rows = (p: any) => p.byCountyAndStatus.map((r: any) => `${r.county.code} ${r.status} ${r.count}`);
  let k: { id: string } | undefined;
  let l: { id: string } | undefined;

  /** Moves a product's creation and its events (oldest first) to the given instants, and its catalog entry. */
  const backdate = async (productId: string, createdAt: string, eventTimes: string[], validity?: { validFrom: string; validUntil: string }) => {
    const events = (await setup.api.services.certification.historyOf([productId])).get(productId)!;
    expect(events).toHaveLength(eventTimes.length);
    for (const [i, event] of events.entries()) {
      await setup.database.db.update(certificationEvents).set({ at: new Date(eventTimes[i]!) }).where(eq(certificationEvents.id, event.id));
    }
    await setup.database.db.update(products).set({ createdAt: new Date(createdAt), ...validity }).where(eq(products.id, productId));
  };

  beforeAll(async () => {
    await setup.database.db.insert(divisions).values({ code: GUZHANG, name: "古丈县", level: "COUNTY", parentCode: "433100" });
    const { enterprise } = await setup.api.services.registration.register(admin, { name: "古丈毛尖茶业有限公司", uscc: freshUscc(GUZHANG), kind: "SCALE", countyCode: GUZHANG, username: "u_guzhang_tea", password: "enterprise-pass-2020" });
    await setup.api.services.registration.verify(admin, enterprise.id);
    const inGuzhang = { originCountyCode: GUZHANG, originVillageCode: null };

    // R: 2020-05-10 created, 05-20 submitted, 06-10 certified, 07-01 (China) listed, 09-15 revoked.
    const r = await productInState(setup.database, setup.api.services, admin, enterprise.id, "REVOKED", { ...inGuzhang, category: "TEA" });
    await backdate(r.id, "2020-05-10T02:00:00Z", ["2020-05-20T03:00:00Z", "2020-06-10T03:00:00Z", "2020-06-30T17:00:00Z", "2020-09-15T03:00:00Z"], {
      validFrom: "2020-07-01",
      validUntil: "2022-06-30",
    });
    // K: the same days to its listing, never revoked: its listing ends 2022-06-30.
    k = await productInState(setup.database, setup.api.services, admin, enterprise.id, "LISTED", { ...inGuzhang, category: "TEA" });
    await backdate(k.id, "2020-05-10T02:00:00Z", ["2020-05-20T03:00:00Z", "2020-06-10T03:00:00Z", "2020-06-30T17:00:00Z"], { validFrom: "2020-07-01", validUntil: "2022-06-30" });
    // L: listed 2020-07-01 (to 2022-06-30), expired, submitted again 2022-08-01, certified 08-15,
    // listed again 2022-09-01 (to 2024-08-31): its first listing's end is no longer on the product.
    l = await productInState(setup.database, setup.api.services, admin, enterprise.id, "EXPIRED", { ...inGuzhang, category: "HERBAL" });
    l = await setup.api.services.certification.submit(admin, l.id);
    l = await setup.api.services.certification.review(admin, l.id, "APPROVE", null);
    await setup.api.services.certification.list(admin, [l.id], "再次入录");
    await backdate(
      l.id,
      "2020-05-10T02:00:00Z",
      ["2020-05-20T03:00:00Z", "2020-06-10T03:00:00Z", "2020-06-30T17:00:00Z", "2022-08-01T03:00:00Z", "2022-08-15T03:00:00Z", "2022-09-01T03:00:00Z"],
      { validFrom: "2022-09-01", validUntil: "2024-08-31" },
    );
  }, 120_000);

  it("a product created on 2020-05-10 is absent the day before, DRAFT from that day until it is submitted", async () => {
    expect(rows(await pipelineOn("2020-05-09"))).toEqual([]);
    expect(await pipelineOn("2020-05-09", null)).toEqual({ byCountyAndStatus: [], listedByCategory: [], expiringWithin60Days: 0 });
    expect(rows(await pipelineOn("2020-05-10"))).toEqual(["433126 DRAFT 3"]);
    expect(rows(await pipelineOn("2020-05-19"))).toEqual(["433126 DRAFT 3"]);
  });

  it("follows each step on its day: SUBMITTED from 05-20, CERTIFIED from 06-10", async () => {
    expect(rows(await pipelineOn("2020-05-20"))).toEqual(["433126 SUBMITTED 3"]);
    expect(rows(await pipelineOn("2020-06-09"))).toEqual(["433126 SUBMITTED 3"]);
    expect(rows(await pipelineOn("2020-06-10"))).toEqual(["433126 CERTIFIED 3"]);
  });

  it("a listing at 2020-06-30T17:00Z is on 2020-07-01 in China: still CERTIFIED on 06-30, LISTED on 07-01", async () => {
    // The whole prefecture on 2020-06-30: every other product of this file was created today.
    const before = await pipelineOn("2020-06-30", null);
    expect(rows(before)).toEqual(["433126 CERTIFIED 3"]);
    expect(before.listedByCategory).toEqual([]);
    const after = await pipelineOn("2020-07-01", null);
    expect(rows(after)).toEqual(["433126 LISTED 3"]);
    expect(after.listedByCategory).toEqual([
      { category: "HERBAL", count: 1 },
      { category: "TEA", count: 2 },
    ]);
    expect(after.expiringWithin60Days).toBe(0);
  });

  it("revoked on 2020-09-15: LISTED the day before, REVOKED from that day on, and today", async () => {
    expect(rows(await pipelineOn("2020-09-14"))).toEqual(["433126 LISTED 3"]);
    expect(rows(await pipelineOn("2020-09-15"))).toEqual(["433126 LISTED 2", "433126 REVOKED 1"]);
    // Today, as the products stand: R revoked, K's listing ended 2022-06-30, L's second 2024-08-31.
    expect(rows(await pipelineOn(businessToday()))).toEqual(["433126 EXPIRED 2", "433126 REVOKED 1"]);
  });

  it("listings end on their own day: expiring within 60 days of 2022-05-15, EXPIRED after 2022-06-30, a listing superseded by a re-listing too", async () => {
    const may = await pipelineOn("2022-05-15");
    expect(rows(may)).toEqual(["433126 LISTED 2", "433126 REVOKED 1"]);
    expect(may.expiringWithin60Days).toBe(2); // K and L's first listing end 2022-06-30
    // Listed with the listings' ends as they stood that day: L's first listing's 2022-06-30, not its current 2024-08-31.
    const mayList = await setup.api.run(`{ certificationPipeline(countyCode: "${GUZHANG}", asOf: "2022-05-15") { expiringListings { product { id } county { code } validUntil } } }`, {}, admins);
    expect(mayList.errors).toBeUndefined();
    expect(mayList.data.certificationPipeline.expiringListings).toEqual(
      // the same last day: in the products' id order (uuid order, as the statement sorts them; their global IDs' base64 sorts otherwise)
      [k, l]
        .sort((a, b) => (a!.id < b!.id ? -1 : 1))
        .map((p) => ({ product: { id: gid.product(p!.id) }, county: { code: GUZHANG }, validUntil: "2022-06-30" })),
    );
    expect(may.listedByCategory).toEqual([
      { category: "HERBAL", count: 1 },
      { category: "TEA", count: 1 },
    ]);
    const lastDay = await pipelineOn("2022-06-30");
    expect(rows(lastDay)).toEqual(["433126 LISTED 2", "433126 REVOKED 1"]);
    const july = await pipelineOn("2022-07-15");
    expect(rows(july)).toEqual(["433126 EXPIRED 2", "433126 REVOKED 1"]);
    expect(july.listedByCategory).toEqual([]);
    expect(july.expiringWithin60Days).toBe(0);
    expect(rows(await pipelineOn("2022-08-01"))).toEqual(["433126 EXPIRED 1", "433126 REVOKED 1", "433126 SUBMITTED 1"]);
    expect(rows(await pipelineOn("2022-08-15"))).toEqual(["433126 CERTIFIED 1", "433126 EXPIRED 1", "433126 REVOKED 1"]);
    const relisted = await pipelineOn("2022-09-01");
    expect(rows(relisted)).toEqual(["433126 EXPIRED 1", "433126 LISTED 1", "433126 REVOKED 1"]);
    expect(relisted.listedByCategory).toEqual([{ category: "HERBAL", count: 1 }]);
  });
});
