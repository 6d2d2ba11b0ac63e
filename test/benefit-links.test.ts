import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type NodeTypeName, toGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { errorCodes, useTestApi } from "./support/api.js";
import { freshIdNumber } from "./support/fixtures.js";

/**
 * Households, pairings and benefit links through the front door: references given with the IDs the
 * API returns, IDs of nothing, and who sees a link and what it points to (each relation agrees with
 * `node(id:)` for the same caller).
 */
const setup = useTestApi();
const as = (caller: CallerName) => setup.callers.credentials[caller];
const nothing = (type: NodeTypeName) => toGlobalId(type, randomUUID());
let serial = 0;

const LINK = `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } userErrors { code message field } } }`;
const END_LINK = `mutation ($input: EndBenefitLinkInput!) { endBenefitLink(input: $input) { benefitLink { endDate } userErrors { code field } } }`;

/** IDs as the API hands them out. */
const ids = { household: "", headIdNumber: "", householdNo: "", enterprise: "", draftProduct: "", pairing: "" };

async function ok(query: string, variables: Record<string, unknown>, caller: CallerName) {
  const result = await setup.api.run(query, variables, as(caller));
  expect(result.errors).toBeUndefined();
  const payload = Object.values(result.data as object)[0] as { userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
  return payload as any;
}

async function newHousehold(caller: CallerName = "huayuanReviewer") {
  const headIdNumber = freshIdNumber("433124");
  const householdNo = `433124-BL-${Date.now().toString(36)}-${serial++}`;
  const created = await ok(
    `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id monitoringReason exitYear } userErrors { code message field } } }`,
    { input: { householdNo, villageCode: "433124103201", headName: "龙先兰", headIdNumber, members: 4, laborCapacity: true, developmentWillingness: true, status: "MONITORED_EDGE", monitoringReason: "因病", exitYear: null } },
    caller,
  );
  return { id: created.household.id as string, headIdNumber, householdNo, household: created.household };
}

beforeAll(async () => {
  const household = await newHousehold();
  Object.assign(ids, { household: household.id, headIdNumber: household.headIdNumber, householdNo: household.householdNo });
  const me = await setup.api.run(`{ viewer { user { enterprise { id } } } }`, {}, as("ownEnterprise"));
  ids.enterprise = me.data.viewer.user.enterprise.id;
  const product = await ok(
    `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id status } userErrors { code message field } } }`,
    { input: { name: "十八洞野生蕨菜", category: "VEGETABLE", spec: "250克/袋", unit: "袋", unitPrice: "26.00", originCountyCode: "433124" } },
    "ownEnterprise",
  );
  expect(product.product.status).toBe("DRAFT");
  ids.draftProduct = product.product.id;
  const pairing = await ok(
    `mutation ($input: CreatePairingInput!) { createPairing(input: $input) { pairing { id enterprise { id } } userErrors { code message field } } }`,
    { input: { villageCode: "433124103201", mode: "INDUSTRY", startDate: "2020-03-01", endDate: null, industrialInvestment: "500000.00" } },
    "ownEnterprise",
  );
  expect(pairing.pairing.enterprise.id).toBe(ids.enterprise);
  ids.pairing = pairing.pairing.id;
});

const linkInput = (patch: Record<string, unknown> = {}) => ({
  householdId: ids.household,
  enterpriseId: ids.enterprise,
  productId: ids.draftProduct,
  pairingId: ids.pairing,
  mechanism: "ORDER_PURCHASE",
  year: 2020,
  income: "3600.00",
  startDate: "2020-01-01",
  ...patch,
});

describe("createBenefitLink with the IDs the API returns", () => {
  it("links a household to an enterprise, its product and its pairing", async () => {
    const created = await ok(LINK, { input: linkInput() }, "huayuanReviewer");
    expect(created.benefitLink.id).toEqual(expect.any(String));
  });

  it.each([
    ["enterpriseId", "Enterprise"],
    ["productId", "Product"],
    ["pairingId", "Pairing"],
    ["householdId", "Household"],
  ] as const)("answers a well-formed %s of nothing with a NOT_FOUND userError naming the field", async (field, type) => {
    const result = await setup.api.run(LINK, { input: linkInput({ [field]: nothing(type) }) }, as("huayuanReviewer"));
    expect(result.errors).toBeUndefined();
    expect(result.data.createBenefitLink.benefitLink).toBeNull();
    expect(result.data.createBenefitLink.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", field] })]);
  });

  it.each(["enterpriseId", "productId", "pairingId", "householdId"])("refuses a malformed, empty or other-type %s with BAD_USER_INPUT", async (field) => {
    for (const bad of ["nope", "", toGlobalId("Division", "433124103201")]) {
      const result = await setup.api.run(LINK, { input: linkInput({ [field]: bad }) }, as("huayuanReviewer"));
      expect(errorCodes(result), `${field} = ${JSON.stringify(bad)}`).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors![0]!.message).toContain(`input.${field}`);
    }
  });

  it("answers a household of another county (not visible to the office) like one that does not exist", async () => {
    const result = await setup.api.run(LINK, { input: linkInput({ productId: null, pairingId: null }) }, as("baojingReviewer"));
    expect(result.data.createBenefitLink.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", "householdId"] })]);
  });

  it("still refuses an enterprise that names a household by ID (FORBIDDEN), and links it by number plus ID number", async () => {
    const byId = await setup.api.run(LINK, { input: linkInput() }, as("ownEnterprise"));
    expect(errorCodes(byId)).toEqual(["FORBIDDEN"]);
    // Another mechanism: the same household, enterprise and mechanism cannot have two links active on one day (DOMAIN.md).
    const byNumber = await ok(LINK, { input: linkInput({ householdId: null, householdNo: ids.householdNo, headIdNumber: ids.headIdNumber, enterpriseId: null, mechanism: "LAND_RENT" }) }, "ownEnterprise");
    expect(byNumber.benefitLink.id).toEqual(expect.any(String));
  });
});

describe("who sees a benefit link, and what it points to", () => {
  const RELATIONS = `id household { id } enterprise { id } product { id } pairing { id }`;
  let linkId: string;
  let related: Record<string, { id: string } | null>;

  beforeAll(async () => {
    const created = await ok(LINK, { input: linkInput({ mechanism: "EMPLOYMENT" }) }, "huayuanReviewer");
    linkId = created.benefitLink.id;
    const asAdmin = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on BenefitLink { ${RELATIONS} } } }`, { id: linkId }, as("admin"));
    related = asAdmin.data.node;
    for (const relation of ["household", "enterprise", "product", "pairing"]) expect(related[relation], relation).not.toBeNull();
  });

  const sees: [CallerName, boolean][] = [
    ["admin", true],
    ["huayuanReviewer", true],
    ["prefectureReviewer", true],
    ["baojingReviewer", false],
    ["ownEnterprise", true],
    ["otherEnterprise", false],
    ["officer", false],
    ["partner", false],
    ["anonymous", false],
  ];

  it.each(sees)("%s: node(id:) and benefitLinks agree (sees it: %s), and every relation agrees with node(id:)", async (caller, visible) => {
    const node = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on BenefitLink { ${RELATIONS} } } }`, { id: linkId }, as(caller));
    expect(node.errors).toBeUndefined();
    if (!visible) {
      expect(node.data.node).toBeNull();
      return;
    }
    const list = await setup.api.run(`{ benefitLinks(first: 100) { nodes { ${RELATIONS} } } }`, {}, as(caller));
    expect(list.data.benefitLinks.nodes.find((n: { id: string }) => n.id === linkId)).toEqual(node.data.node);
    for (const relation of ["household", "enterprise", "product", "pairing"]) {
      const direct = await setup.api.run(`query ($id: ID!) { node(id: $id) { id } }`, { id: related[relation]!.id }, as(caller));
      expect(node.data.node[relation], `${caller} ${relation}`).toEqual(direct.data.node);
    }
  });

  it("is not listed for callers who may not see links", async () => {
    for (const caller of ["baojingReviewer", "otherEnterprise"] as const) {
      const list = await setup.api.run(`{ benefitLinks(first: 100) { nodes { id } } }`, {}, as(caller));
      expect(list.data.benefitLinks.nodes.map((n: { id: string }) => n.id)).not.toContain(linkId);
    }
    for (const caller of ["officer", "partner", "anonymous"] as const) {
      const list = await setup.api.run(`{ benefitLinks(first: 1) { nodes { id } } }`, {}, as(caller));
      expect(["FORBIDDEN", "UNAUTHENTICATED"]).toContain(errorCodes(list)[0]);
    }
  });

  it("answers ending a link the caller may not see with NOT_FOUND, and lets its enterprise end it", async () => {
    for (const caller of ["otherEnterprise", "baojingReviewer"] as const) {
      const hidden = await setup.api.run(END_LINK, { input: { benefitLinkId: linkId, endDate: "2020-12-31" } }, as(caller));
      expect(hidden.data.endBenefitLink).toEqual({ benefitLink: null, userErrors: [{ code: "NOT_FOUND", field: ["input", "benefitLinkId"] }] });
    }
    const missing = await setup.api.run(END_LINK, { input: { benefitLinkId: nothing("BenefitLink"), endDate: "2020-12-31" } }, as("admin"));
    expect(missing.data.endBenefitLink.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "benefitLinkId"] }]);
    const ended = await ok(END_LINK, { input: { benefitLinkId: linkId, endDate: "2020-12-31", reason: null } }, "ownEnterprise");
    expect(ended.benefitLink.endDate).toBe("2020-12-31");
  });
});

describe("households and pairings at the edge", () => {
  const UPDATE = `mutation ($input: UpdateHouseholdInput!) { updateHousehold(input: $input) { household { status monitoringReason exitYear } userErrors { code field } } }`;

  it("updates a household by the ID the API returned; null clears the monitoring reason, absent keeps it", async () => {
    const { id } = await newHousehold();
    const kept = await ok(UPDATE, { input: { householdId: id, members: 5, headName: null } }, "huayuanReviewer");
    expect(kept.household).toEqual({ status: "MONITORED_EDGE", monitoringReason: "因病", exitYear: null });
    const cleared = await ok(UPDATE, { input: { householdId: id, status: "OUT_OF_POVERTY", monitoringReason: null, exitYear: 2020 } }, "huayuanReviewer");
    expect(cleared.household).toEqual({ status: "OUT_OF_POVERTY", monitoringReason: null, exitYear: 2020 });
  });

  it("answers a household of nothing, or of another county, with NOT_FOUND", async () => {
    const missing = await setup.api.run(UPDATE, { input: { householdId: nothing("Household"), members: 2 } }, as("admin"));
    expect(missing.data.updateHousehold.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "householdId"] }]);
    const hidden = await setup.api.run(UPDATE, { input: { householdId: ids.household, members: 2 } }, as("baojingReviewer"));
    expect(hidden.data.updateHousehold.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "householdId"] }]);
  });

  it("answers createPairing for an enterprise of nothing and endPairing for a pairing of nothing with NOT_FOUND", async () => {
    const created = await setup.api.run(
      `mutation ($input: CreatePairingInput!) { createPairing(input: $input) { pairing { id } userErrors { code field } } }`,
      { input: { enterpriseId: nothing("Enterprise"), villageCode: "433124103201", mode: "INDUSTRY", startDate: "2020-03-01" } },
      as("admin"),
    );
    expect(created.data.createPairing.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "enterpriseId"] }]);
    const ended = await setup.api.run(
      `mutation ($input: EndPairingInput!) { endPairing(input: $input) { pairing { id } userErrors { code field } } }`,
      { input: { pairingId: nothing("Pairing"), endDate: "2020-12-31" } },
      as("admin"),
    );
    expect(ended.data.endPairing.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "pairingId"] }]);
  });

  it("accepts explicit nulls in every list filter, and filters by the IDs the API returns", async () => {
    const households = await setup.api.run(`{ households(first: 5, filter: {countyCode: null, villageCode: null, status: null, laborCapacityAndWillingness: null}) { totalCount } }`, {}, as("admin"));
    expect(households.errors).toBeUndefined();
    const pairings = await setup.api.run(
      `query ($e: ID) { pairings(first: 5, filter: {countyCode: null, villageCode: null, enterpriseId: $e, mode: null, active: null, asOf: null}) { nodes { enterprise { id } } } }`,
      { e: ids.enterprise },
      as("anonymous"),
    );
    expect(pairings.errors).toBeUndefined();
    expect(pairings.data.pairings.nodes.length).toBeGreaterThan(0);
    for (const p of pairings.data.pairings.nodes) expect(p.enterprise.id).toBe(ids.enterprise);
    const links = await setup.api.run(
      `query ($h: ID) { benefitLinks(first: 5, filter: {countyCode: null, villageCode: null, enterpriseId: null, householdId: $h, productId: null, mechanism: null, active: null, asOf: null}) { nodes { household { id } } } }`,
      { h: ids.household },
      as("admin"),
    );
    expect(links.errors).toBeUndefined();
    expect(links.data.benefitLinks.nodes.length).toBeGreaterThan(0);
    for (const l of links.data.benefitLinks.nodes) expect(l.household.id).toBe(ids.household);
  });

  it("refuses a foreign or malformed ID in a list filter with BAD_USER_INPUT naming it", async () => {
    const foreign = await setup.api.run(`query ($h: ID) { benefitLinks(filter: {householdId: $h}) { totalCount } }`, { h: ids.enterprise }, as("admin"));
    expect(errorCodes(foreign)).toEqual(["BAD_USER_INPUT"]);
    expect(foreign.errors![0]!.message).toContain("filter.householdId");
    const malformed = await setup.api.run(`{ pairings(filter: {enterpriseId: ""}) { totalCount } }`, {}, as("admin"));
    expect(errorCodes(malformed)).toEqual(["BAD_USER_INPUT"]);
  });
});
