import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { pgConstraint, pgErrorCode } from "../src/db/errors.js";
import { fromGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { useTestApi } from "./support/api.js";
import { freshIdNumber } from "./support/fixtures.js";
import { businessToday } from "../src/clock.js";

/**
 * Issue 10 item 5 (DOMAIN.md "Households and benefit links"): one person heads one household, one
 * household has at most one active link per enterprise and mechanism on any day, and a link's year
 * lies within its dates. Through GraphQL with the IDs the API returns; the last block shows the
 * database itself refuses each case (constraints, not only checks in JavaScript).
 */
const setup = useTestApi();
const as = (caller: CallerName) => setup.callers.credentials[caller];
let serial = 0;

const HUAYUAN_VILLAGE = "433124103201";
const BAOJING_VILLAGE = "433125103201";

const CREATE_HOUSEHOLD = `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id householdNo headIdNumber } userErrors { code message field } } }`;
const UPDATE_HOUSEHOLD = `mutation ($input: UpdateHouseholdInput!) { updateHousehold(input: $input) { household { id headIdNumber } userErrors { code message field } } }`;
const LINK = `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id year startDate endDate } userErrors { code message field } } }`;
const END_LINK = `mutation ($input: EndBenefitLinkInput!) { endBenefitLink(input: $input) { benefitLink { endDate } userErrors { code message field } } }`;

async function run(query: string, variables: Record<string, unknown>, caller: CallerName) {
  const result = await setup.api.run(query, variables, as(caller));
  expect(result.errors).toBeUndefined();
  return Object.values(result.data as object)[0] as { userErrors: { code: string; message: string; field: string[] }[] } & Record<string, any>;
}

async function ok(query: string, variables: Record<string, unknown>, caller: CallerName) {
  const payload = await run(query, variables, caller);
  expect(payload.userErrors).toEqual([]);
  return payload;
}

const householdInput = (headIdNumber: string, villageCode = HUAYUAN_VILLAGE) => ({
  householdNo: `${villageCode.slice(0, 6)}-ND-${Date.now().toString(36)}-${serial++}`,
  villageCode,
  headName: "龙先兰",
  headIdNumber,
  members: 4,
  laborCapacity: true,
  developmentWillingness: true,
  status: "OUT_OF_POVERTY",
});

async function newHousehold(headIdNumber = freshIdNumber("433124"), caller: CallerName = "huayuanReviewer", villageCode = HUAYUAN_VILLAGE) {
  const input = householdInput(headIdNumber, villageCode);
  const { household } = await ok(CREATE_HOUSEHOLD, { input }, caller);
  return { id: household.id as string, householdNo: input.householdNo, headIdNumber };
}

const countHouseholds = async () => (await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from households`))[0]!.n;

describe("a head's ID number heads one household", () => {
  it("refuses a second household with the same head, naming the field and (to its office) the household", async () => {
    const first = await newHousehold();
    const before = await countHouseholds();
    const again = await run(CREATE_HOUSEHOLD, { input: householdInput(first.headIdNumber) }, "huayuanReviewer");
    expect(again.household).toBeNull();
    expect(again.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"], message: expect.stringContaining(first.householdNo) }]);
    // Spaces and a lower-case check character are the same number (normalized before hashing).
    const spaced = await run(CREATE_HOUSEHOLD, { input: householdInput(`  ${first.headIdNumber.toLowerCase()} `) }, "admin");
    expect(spaced.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"], message: expect.stringContaining(first.householdNo) }]);
    expect(await countHouseholds()).toBe(before);
  });

  it("names the existing household only to callers who may see it", async () => {
    const first = await newHousehold();
    // 保靖县's office registering a 保靖 household whose head already heads a 花垣 household it may not see.
    const hidden = await run(CREATE_HOUSEHOLD, { input: householdInput(first.headIdNumber, BAOJING_VILLAGE) }, "baojingReviewer");
    expect(hidden.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"], message: expect.any(String) }]);
    expect(hidden.userErrors[0]!.message).not.toContain(first.householdNo);
    expect(hidden.userErrors[0]!.message).toMatch(/another household/);
    for (const caller of ["prefectureReviewer", "admin"] as const) {
      const named = await run(CREATE_HOUSEHOLD, { input: householdInput(first.headIdNumber, BAOJING_VILLAGE) }, caller);
      expect(named.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"], message: expect.stringContaining(first.householdNo) }]);
    }
  });

  it("still reports a taken household number on householdNo", async () => {
    const first = await newHousehold();
    const input = { ...householdInput(freshIdNumber("433124")), householdNo: first.householdNo };
    const again = await run(CREATE_HOUSEHOLD, { input }, "huayuanReviewer");
    expect(again.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "householdNo"], message: expect.stringContaining(first.householdNo) }]);
  });

  it("refuses correcting a head's ID number to one that heads another household, and accepts a free one", async () => {
    const taken = await newHousehold();
    const other = await newHousehold();
    const refused = await run(UPDATE_HOUSEHOLD, { input: { householdId: other.id, headIdNumber: taken.headIdNumber } }, "huayuanReviewer");
    expect(refused.household).toBeNull();
    expect(refused.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"], message: expect.stringContaining(taken.householdNo) }]);
    const asAdmin = await run(UPDATE_HOUSEHOLD, { input: { householdId: other.id, headIdNumber: taken.headIdNumber } }, "admin");
    expect(asAdmin.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "headIdNumber"], message: expect.stringContaining(taken.householdNo) }]);

    const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(14)}`;
    const node = async () => (await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on Household { headIdNumber } } }`, { id: other.id }, as("admin"))).data.node;
    expect(await node()).toEqual({ headIdNumber: masked(other.headIdNumber) });

    const same = await ok(UPDATE_HOUSEHOLD, { input: { householdId: other.id, headIdNumber: other.headIdNumber } }, "huayuanReviewer");
    expect(same.household.headIdNumber).toBe(masked(other.headIdNumber));
    const corrected = freshIdNumber("433124");
    const moved = await ok(UPDATE_HOUSEHOLD, { input: { householdId: other.id, headIdNumber: corrected } }, "huayuanReviewer");
    expect(moved.household.headIdNumber).toBe(masked(corrected));
    // The old number is free again: a household may now be registered with it.
    await newHousehold(other.headIdNumber);

    const invalid = await run(UPDATE_HOUSEHOLD, { input: { householdId: other.id, headIdNumber: `${corrected.slice(0, 17)}${corrected[17] === "1" ? "2" : "1"}` } }, "huayuanReviewer");
    expect(invalid.userErrors).toEqual([{ code: "INVALID", field: ["input", "headIdNumber"], message: expect.stringMatching(/check character/) }]);
  });
});

describe("one active link per household, enterprise and mechanism on any day", () => {
  const enterprises = { own: "", other: "" };
  let household: Awaited<ReturnType<typeof newHousehold>>;

  beforeAll(async () => {
    for (const [key, caller] of [["own", "ownEnterprise"], ["other", "otherEnterprise"]] as const) {
      const me = await setup.api.run(`{ viewer { user { enterprise { id } } } }`, {}, as(caller));
      enterprises[key] = me.data.viewer.user.enterprise.id;
    }
    household = await newHousehold();
  });

  const linkInput = (patch: Record<string, unknown>) => ({
    householdId: household.id,
    enterpriseId: enterprises.own,
    mechanism: "EMPLOYMENT",
    year: 2020,
    income: "3600.00",
    startDate: "2020-01-01",
    endDate: "2020-12-31",
    ...patch,
  });
  const linksOf = async (mechanism: string) =>
    (await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from benefit_links where household_id = ${fromGlobalId(household.id).key} and mechanism = ${mechanism}`))[0]!.n;

  it("refuses a link sharing even one day with an active one, naming the dates it overlaps", async () => {
    await ok(LINK, { input: linkInput({}) }, "huayuanReviewer");
    // The end day is a day of the link: starting on it overlaps.
    const sharing = await run(LINK, { input: linkInput({ startDate: "2020-12-31", endDate: null }) }, "huayuanReviewer");
    expect(sharing.benefitLink).toBeNull();
    expect(sharing.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "startDate"], message: expect.stringContaining("2020-01-01 – 2020-12-31") }]);
    const inside = await run(LINK, { input: linkInput({ startDate: "2020-03-01", endDate: "2020-04-01" }) }, "admin");
    expect(inside.userErrors[0]).toMatchObject({ code: "DUPLICATE", field: ["input", "startDate"] });
    const around = await run(LINK, { input: linkInput({ startDate: "2019-06-01", endDate: null, year: 2019 }) }, "huayuanReviewer");
    expect(around.userErrors[0]).toMatchObject({ code: "DUPLICATE", field: ["input", "startDate"] });
    expect(await linksOf("EMPLOYMENT")).toBe(1);
  });

  it("refuses the same link made by the enterprise itself, by household number and ID number", async () => {
    const byNumber = await run(LINK, { input: linkInput({ householdId: null, householdNo: household.householdNo, headIdNumber: household.headIdNumber, enterpriseId: null, startDate: "2020-06-01" }) }, "ownEnterprise");
    expect(byNumber.userErrors).toEqual([{ code: "DUPLICATE", field: ["input", "startDate"], message: expect.stringContaining("EMPLOYMENT") }]);
  });

  it("accepts the next day, another mechanism and another enterprise", async () => {
    const next = await ok(LINK, { input: linkInput({ startDate: "2021-01-01", endDate: null, year: 2021 }) }, "huayuanReviewer");
    expect(next.benefitLink).toMatchObject({ startDate: "2021-01-01", endDate: null, year: 2021 });
    await ok(LINK, { input: linkInput({ mechanism: "LAND_RENT" }) }, "huayuanReviewer");
    await ok(LINK, { input: linkInput({ enterpriseId: enterprises.other }) }, "huayuanReviewer");
    expect(await linksOf("EMPLOYMENT")).toBe(3);
  });

  it("lets a new link start the day after an open one is ended", async () => {
    const open = await ok(LINK, { input: linkInput({ mechanism: "TRUSTEESHIP", startDate: "2020-01-01", endDate: null }) }, "huayuanReviewer");
    const blocked = await run(LINK, { input: linkInput({ mechanism: "TRUSTEESHIP", startDate: "2022-07-01", endDate: null, year: 2022 }) }, "huayuanReviewer");
    expect(blocked.userErrors[0]).toMatchObject({ code: "DUPLICATE", message: expect.stringContaining("2020-01-01 – open") });
    await ok(END_LINK, { input: { benefitLinkId: open.benefitLink.id, endDate: "2022-06-30" } }, "huayuanReviewer");
    const sameDay = await run(LINK, { input: linkInput({ mechanism: "TRUSTEESHIP", startDate: "2022-06-30", endDate: null, year: 2022 }) }, "huayuanReviewer");
    expect(sameDay.userErrors[0]).toMatchObject({ code: "DUPLICATE", field: ["input", "startDate"] });
    await ok(LINK, { input: linkInput({ mechanism: "TRUSTEESHIP", startDate: "2022-07-01", endDate: null, year: 2022 }) }, "huayuanReviewer");
  });
});

describe("a link's year lies within its dates", () => {
  let householdId: string;
  let enterpriseId: string;
  beforeAll(async () => {
    householdId = (await newHousehold()).id;
    enterpriseId = (await setup.api.run(`{ viewer { user { enterprise { id } } } }`, {}, as("ownEnterprise"))).data.viewer.user.enterprise.id;
  });
  const linkInput = (patch: Record<string, unknown>) => ({ householdId, enterpriseId, mechanism: "ASSET_INCOME", income: "500.00", ...patch });

  it.each([
    // The case was year 2031 on a link open since 2020-05-01: a year after this one.
    ["after this year on an open link", { year: Number(businessToday().slice(0, 4)) + 5, startDate: "2020-05-01" }],
    ["before the start year", { year: 2019, startDate: "2020-05-01" }],
    ["after the end year", { year: 2022, startDate: "2020-01-01", endDate: "2021-12-31" }],
  ])("refuses a year %s with INVALID naming input.year", async (_, patch) => {
    const result = await run(LINK, { input: linkInput(patch) }, "huayuanReviewer");
    expect(result.benefitLink).toBeNull();
    expect(result.userErrors).toEqual([{ code: "INVALID", field: ["input", "year"], message: expect.stringContaining(`${patch.year}`) }]);
  });

  it("accepts the start year, the end year and a year between, and this year or the start year on an open link", async () => {
    await ok(LINK, { input: linkInput({ year: 2020, startDate: "2020-12-31", endDate: "2021-01-01", mechanism: "OTHER" }) }, "huayuanReviewer");
    await ok(LINK, { input: linkInput({ year: 2021, startDate: "2021-12-31", endDate: "2022-01-01", mechanism: "OTHER" }) }, "huayuanReviewer");
    await ok(LINK, { input: linkInput({ year: 2024, startDate: "2023-01-01", endDate: "2025-01-01", mechanism: "OTHER" }) }, "huayuanReviewer");
    const thisYear = Number(businessToday().slice(0, 4));
    await ok(LINK, { input: linkInput({ year: thisYear, startDate: "2025-06-01", mechanism: "TRUSTEESHIP" }) }, "huayuanReviewer");
    await ok(LINK, { input: linkInput({ year: thisYear + 2, startDate: `${thisYear + 2}-03-01`, mechanism: "LAND_RENT" }) }, "huayuanReviewer");
  });

  it("refuses ending a link before its year, naming input.endDate", async () => {
    const link = await ok(LINK, { input: linkInput({ year: 2022, startDate: "2020-01-01" }) }, "huayuanReviewer");
    const early = await run(END_LINK, { input: { benefitLinkId: link.benefitLink.id, endDate: "2021-06-30" } }, "huayuanReviewer");
    expect(early).toEqual({ benefitLink: null, userErrors: [{ code: "INVALID", field: ["input", "endDate"], message: expect.stringContaining("2022") }] });
    await ok(END_LINK, { input: { benefitLinkId: link.benefitLink.id, endDate: "2022-01-01" } }, "huayuanReviewer");
  });
});

describe("the database itself refuses each duplicate (constraints, not only JavaScript)", () => {
  /** The PostgreSQL error code and constraint of a statement that must fail. */
  async function refusal(statement: ReturnType<typeof sql>) {
    const error = await setup.database.rows(statement).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, "the statement should have been refused").toBeDefined();
    return { code: pgErrorCode(error), constraint: pgConstraint(error) };
  }

  it("a second household with the same head hash (unique index)", async () => {
    const { id } = await newHousehold();
    const key = fromGlobalId(id).key;
    expect(
      await refusal(sql`insert into households (household_no, village_code, county_code, head_name, head_id_hash, head_id_masked, members, labor_capacity, development_willingness, status)
        select household_no || '-copy', village_code, county_code, head_name, head_id_hash, head_id_masked, members, labor_capacity, development_willingness, status from households where id = ${key}`),
    ).toEqual({ code: "23505", constraint: "households_head_id_hash_key" });
  });

  it("an overlapping link (exclusion constraint) and a year outside the dates (check constraint)", async () => {
    const { id } = await newHousehold();
    const enterpriseId = (await setup.api.run(`{ viewer { user { enterprise { id } } } }`, {}, as("ownEnterprise"))).data.viewer.user.enterprise.id;
    const created = await ok(LINK, { input: { householdId: id, enterpriseId, mechanism: "EQUITY_DIVIDEND", year: 2020, income: "100.00", startDate: "2020-01-01" } }, "admin");
    const key = fromGlobalId(created.benefitLink.id).key;
    const copy = (start: string, end: string | null, year: number) =>
      sql`insert into benefit_links (household_id, enterprise_id, village_code, county_code, mechanism, year, income, start_date, end_date)
        select household_id, enterprise_id, village_code, county_code, mechanism, ${year}, income, ${start}::date, ${end}::date from benefit_links where id = ${key}`;
    expect(await refusal(copy("2030-01-01", "2030-12-31", 2030))).toEqual({ code: "23P01", constraint: "benefit_links_no_overlap" });
    expect(await refusal(copy("2019-01-01", "2019-12-31", 2031))).toEqual({ code: "23514", constraint: "benefit_links_year_within_dates" });
    // The same statement without either problem is accepted: the constraints refuse exactly those rows.
    await setup.database.rows(copy("2019-01-01", "2019-12-31", 2019));
  });
});
