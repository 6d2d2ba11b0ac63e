import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { freshIdNumber, freshUscc, freshUsername, gid, productInState } from "./support/fixtures.js";

/**
 * Issue 10 item 1 (DOMAIN.md "Enterprises → Lifecycle"): verifying confirms or corrects the kind,
 * suspending needs a reason, reinstating restores; each change is in the status history and the
 * audit log; only a VERIFIED enterprise creates products, pairings and benefit links; a suspended
 * one's products leave the catalog and cannot be ordered; the public sees VERIFIED enterprises only.
 * Everything through GraphQL, as each kind of caller.
 */
const setup = useTestApi();
const as = (caller: CallerName): Credentials => setup.callers.credentials[caller];
let serial = 0;

const ENTERPRISE = "id name kind status";
const VERIFY = `mutation ($input: VerifyEnterpriseInput!) { verifyEnterprise(input: $input) { enterprise { ${ENTERPRISE} } userErrors { code field message } } }`;
const SUSPEND = `mutation ($input: SuspendEnterpriseInput!) { suspendEnterprise(input: $input) { enterprise { ${ENTERPRISE} } userErrors { code field message } } }`;
const REINSTATE = `mutation ($input: ReinstateEnterpriseInput!) { reinstateEnterprise(input: $input) { enterprise { ${ENTERPRISE} } userErrors { code field message } } }`;
const HISTORY = `query ($id: ID!) { enterprise(id: $id) { status statusHistory { status kind reason at actor { username } } } }`;

/** Registers an enterprise through the front door (PENDING) and logs its first user in. */
async function register(kind = "COOPERATIVE", countyCode = "433124") {
  const username = freshUsername("life");
  const password = "lifecycle-pass-2020";
  const name = `花垣县生命周期${kind}${serial++}合作社`;
  const result = await setup.api.run(
    `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id status kind } userErrors { code } } }`,
    { input: { name, uscc: freshUscc(countyCode), kind, countyCode, username, password } },
  );
  expect(result.data.registerEnterprise.userErrors).toEqual([]);
  expect(result.data.registerEnterprise.enterprise).toMatchObject({ status: "PENDING", kind });
  const login = await setup.api.run(`mutation ($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }`, { u: username, p: password });
  return { id: result.data.registerEnterprise.enterprise.id as string, name, user: { authorization: `Bearer ${login.data.login.token}` } as Credentials };
}

async function change(query: string, input: Record<string, unknown>, caller: CallerName = "huayuanReviewer") {
  const result = await setup.api.run(query, { input }, as(caller));
  expect(result.errors).toBeUndefined();
  return Object.values(result.data)[0] as { enterprise: any; userErrors: { code: string; field: string[]; message: string }[] };
}

async function verified(kind = "COOPERATIVE") {
  const e = await register(kind);
  expect((await change(VERIFY, { enterpriseId: e.id })).userErrors).toEqual([]);
  return e;
}

describe("verifyEnterprise: the county office confirms or corrects the kind", () => {
  it("is refused to everyone but the county's office, the prefecture's and admins, changing nothing", async () => {
    const e = await register("LEADING_NATIONAL");
    const refused: [CallerName, string][] = [
      ["anonymous", "UNAUTHENTICATED"],
      ["partner", "UNAUTHENTICATED"],
      ["baojingReviewer", "FORBIDDEN"],
      ["ownEnterprise", "FORBIDDEN"],
      ["otherEnterprise", "FORBIDDEN"],
      ["officer", "FORBIDDEN"],
    ];
    for (const [caller, code] of refused) {
      const result = await setup.api.run(VERIFY, { input: { enterpriseId: e.id, kind: "SCALE" } }, as(caller));
      expect(errorCodes(result), caller).toEqual([code]);
    }
    // The enterprise's own user may not verify itself either.
    expect(errorCodes(await setup.api.run(VERIFY, { input: { enterpriseId: e.id } }, e.user))).toEqual(["FORBIDDEN"]);
    const still = await setup.api.run(HISTORY, { id: e.id }, as("admin"));
    expect(still.data.enterprise).toEqual({ status: "PENDING", statusHistory: [] });
  });

  it.each(["huayuanReviewer", "prefectureReviewer", "admin"] as const)("%s corrects a self-declared LEADING_NATIONAL to COOPERATIVE; the history keeps the confirmed kind", async (caller) => {
    const e = await register("LEADING_NATIONAL");
    const done = await change(VERIFY, { enterpriseId: e.id, kind: "COOPERATIVE" }, caller);
    expect(done.userErrors).toEqual([]);
    expect(done.enterprise).toMatchObject({ id: e.id, status: "VERIFIED", kind: "COOPERATIVE" });
    const history = (await setup.api.run(HISTORY, { id: e.id }, as(caller))).data.enterprise.statusHistory;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: "VERIFIED", kind: "COOPERATIVE", reason: null });
    expect(history[0].actor).not.toBeUndefined();
    expect(Date.parse(history[0].at)).toBeGreaterThan(Date.now() - 60_000);
    const audit = await setup.api.services.audit.entriesFor("Enterprise", fromGlobalId(e.id).key);
    expect(audit.map((a) => a.operation)).toContain("verifyEnterprise");
  });

  it("confirms the declared kind when none is given, and a second verification is a userError", async () => {
    const e = await register("SCALE");
    expect((await change(VERIFY, { enterpriseId: e.id, kind: null })).enterprise).toMatchObject({ status: "VERIFIED", kind: "SCALE" });
    const again = await change(VERIFY, { enterpriseId: e.id, kind: "OTHER" });
    expect(again.enterprise).toBeNull();
    expect(again.userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION", field: ["input", "enterpriseId"] });
    const history = (await setup.api.run(HISTORY, { id: e.id }, as("admin"))).data.enterprise;
    expect(history.statusHistory.map((h: any) => `${h.status} ${h.kind}`)).toEqual(["VERIFIED SCALE"]);
    expect(history.statusHistory[0].actor).toEqual({ username: "huayuan_reviewer" });
  });

  it("shows the status history to offices and admins only", async () => {
    const e = await verified();
    for (const caller of ["admin", "prefectureReviewer", "huayuanReviewer", "baojingReviewer"] as const) {
      expect((await setup.api.run(HISTORY, { id: e.id }, as(caller))).data.enterprise.statusHistory, caller).toHaveLength(1);
    }
    for (const caller of ["anonymous", "partner", "ownEnterprise", "otherEnterprise", "officer"] as const) {
      const seen = await setup.api.run(HISTORY, { id: e.id }, as(caller));
      expect(seen.errors, caller).toBeUndefined();
      expect(seen.data.enterprise, caller).toEqual({ status: "VERIFIED", statusHistory: null });
    }
    expect((await setup.api.run(HISTORY, { id: e.id }, e.user)).data.enterprise.statusHistory).toBeNull();
  });
});

describe("suspendEnterprise and reinstateEnterprise", () => {
  it("needs a reason that is not blank, and only a VERIFIED enterprise is suspended", async () => {
    const pending = await register();
    expect((await change(SUSPEND, { enterpriseId: pending.id, reason: "虚报" })).userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    const e = await verified();
    for (const reason of ["", "   "]) {
      const blank = await change(SUSPEND, { enterpriseId: e.id, reason });
      expect(blank.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "reason"] });
    }
    expect(errorCodes(await setup.api.run(SUSPEND, { input: { enterpriseId: e.id } }, as("huayuanReviewer")))).toEqual(["BAD_USER_INPUT"]);
    expect((await setup.api.run(HISTORY, { id: e.id }, as("admin"))).data.enterprise.status).toBe("VERIFIED");
  });

  it("suspends with the reason and reinstates with the confirmed kind, each change in the history and the audit log", async () => {
    const e = await register("LEADING_PROVINCIAL");
    await change(VERIFY, { enterpriseId: e.id, kind: "SCALE" });
    expect((await change(REINSTATE, { enterpriseId: e.id })).userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    const suspended = await change(SUSPEND, { enterpriseId: e.id, reason: "  带贫机制未落实  " }, "prefectureReviewer");
    expect(suspended.userErrors).toEqual([]);
    expect(suspended.enterprise).toMatchObject({ status: "SUSPENDED", kind: "SCALE" });
    expect((await change(SUSPEND, { enterpriseId: e.id, reason: "再次" })).userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    expect((await change(VERIFY, { enterpriseId: e.id, kind: "LEADING_NATIONAL" })).userErrors[0]).toMatchObject({ code: "INVALID_TRANSITION" });
    const reinstated = await change(REINSTATE, { enterpriseId: e.id }, "admin");
    expect(reinstated.enterprise).toMatchObject({ status: "VERIFIED", kind: "SCALE" });
    // As an admin, who sees every user (a reviewer sees the actors it may see: userPolicy).
    const history = (await setup.api.run(HISTORY, { id: e.id }, as("admin"))).data.enterprise.statusHistory;
    expect(history.map((h: any) => [h.status, h.kind, h.reason, h.actor?.username ?? null])).toEqual([
      ["VERIFIED", "SCALE", null, "huayuan_reviewer"],
      ["SUSPENDED", "SCALE", "带贫机制未落实", "zhou_reviewer"],
      ["VERIFIED", "SCALE", null, "admin"],
    ]);
    const audit = await setup.api.services.audit.entriesFor("Enterprise", fromGlobalId(e.id).key);
    expect(audit.map((a) => a.operation).sort()).toEqual(["registerEnterprise", "reinstateEnterprise", "suspendEnterprise", "verifyEnterprise"]);
  });

  it.each([
    ["baojingReviewer", "FORBIDDEN"],
    ["ownEnterprise", "FORBIDDEN"],
    ["officer", "FORBIDDEN"],
    ["partner", "UNAUTHENTICATED"],
    ["anonymous", "UNAUTHENTICATED"],
  ] as const)("are refused to %s", async (caller, code) => {
    const e = await verified();
    expect(errorCodes(await setup.api.run(SUSPEND, { input: { enterpriseId: e.id, reason: "虚报" } }, as(caller)))).toEqual([code]);
    await change(SUSPEND, { enterpriseId: e.id, reason: "虚报" });
    expect(errorCodes(await setup.api.run(REINSTATE, { input: { enterpriseId: e.id } }, as(caller)))).toEqual([code]);
    expect((await setup.api.run(HISTORY, { id: e.id }, as("admin"))).data.enterprise.status).toBe("SUSPENDED");
  });
});

describe("ENTERPRISE_NOT_VERIFIED: only a VERIFIED enterprise creates products, pairings and benefit links", () => {
  const PRODUCT = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code field } } }`;
  const PAIRING = `mutation ($input: CreatePairingInput!) { createPairing(input: $input) { pairing { id } userErrors { code field } } }`;
  const LINK = `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } userErrors { code field } } }`;
  const productInput = (enterpriseId?: string) => ({ ...(enterpriseId ? { enterpriseId } : {}), name: "十八洞野生蕨菜", category: "VEGETABLE", spec: "250克/袋", unit: "袋", unitPrice: "26.00", originCountyCode: "433124" });
  const pairingInput = (enterpriseId?: string) => ({ ...(enterpriseId ? { enterpriseId } : {}), villageCode: "433124103201", mode: "INDUSTRY", startDate: "2020-03-01" });
  let households = 0;
  async function linkInput(enterpriseId: string) {
    const headIdNumber = freshIdNumber("433124");
    const household = await setup.api.run(
      `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id } userErrors { code } } }`,
      { input: { householdNo: `433124-LC-${Date.now().toString(36)}-${households++}`, villageCode: "433124103201", headName: "龙先兰", headIdNumber, members: 3, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY" } },
      as("huayuanReviewer"),
    );
    return { householdId: household.data.createHousehold.household.id, enterpriseId, mechanism: "EMPLOYMENT", year: 2020, income: "1200.00", startDate: "2020-02-01" };
  }
  const codeOf = (result: any) => {
    expect(result.errors).toBeUndefined();
    const payload = Object.values(result.data)[0] as any;
    return payload.userErrors.map((e: { code: string }) => e.code);
  };

  it("refuses a PENDING enterprise's own user and an office acting for it", async () => {
    const e = await register();
    expect(codeOf(await setup.api.run(PRODUCT, { input: productInput() }, e.user))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(PAIRING, { input: pairingInput() }, e.user))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(PRODUCT, { input: productInput(e.id) }, as("admin")))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(PAIRING, { input: pairingInput(e.id) }, as("huayuanReviewer")))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(LINK, { input: await linkInput(e.id) }, as("huayuanReviewer")))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(LINK, { input: await linkInput(e.id) }, as("admin")))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    const none = await setup.api.run(`query ($id: ID!) { pairings(filter: {enterpriseId: $id}) { totalCount } products(filter: {enterpriseId: $id}) { totalCount } benefitLinks(filter: {enterpriseId: $id}) { totalCount } }`, { id: e.id }, as("admin"));
    expect(none.data).toEqual({ pairings: { totalCount: 0 }, products: { totalCount: 0 }, benefitLinks: { totalCount: 0 } });
  });

  it("lets it create once verified, refuses again while suspended, and lets it again once reinstated", async () => {
    const e = await register();
    await change(VERIFY, { enterpriseId: e.id });
    expect(codeOf(await setup.api.run(PRODUCT, { input: productInput() }, e.user))).toEqual([]);
    expect(codeOf(await setup.api.run(PAIRING, { input: pairingInput() }, e.user))).toEqual([]);
    expect(codeOf(await setup.api.run(LINK, { input: await linkInput(e.id) }, as("huayuanReviewer")))).toEqual([]);
    await change(SUSPEND, { enterpriseId: e.id, reason: "带贫机制未落实" });
    expect(codeOf(await setup.api.run(PRODUCT, { input: productInput() }, e.user))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(PAIRING, { input: pairingInput() }, e.user))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(PAIRING, { input: pairingInput(e.id) }, as("prefectureReviewer")))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    expect(codeOf(await setup.api.run(LINK, { input: await linkInput(e.id) }, as("huayuanReviewer")))).toEqual(["ENTERPRISE_NOT_VERIFIED"]);
    await change(REINSTATE, { enterpriseId: e.id });
    expect(codeOf(await setup.api.run(PAIRING, { input: pairingInput() }, e.user))).toEqual([]);
  });
});

describe("while an enterprise is suspended its products are out of the catalog and cannot be ordered", () => {
  const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id status } userErrors { code field } } }`;
  const reserve = (productId: string, caller: CallerName = "officer") =>
    setup.api.run(RESERVE, { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId, quantity: 1, idempotencyKey: `life-${serial++}-${Date.now()}`, channel: "CANTEEN" } }, as(caller));
  const VIEWS = `query ($id: ID!, $no: String!, $search: String) {
    catalog(filter: {search: $search}) { totalCount nodes { id } }
    productByCatalogNo(catalogNo: $no) { id }
    product(id: $id) { id }
    node(id: $id) { id }
  }`;

  it("leaves the catalog for the public, partners, other officers and enterprises, and comes back on reinstatement", async () => {
    const e = await verified();
    const row = await productInState(setup.database, setup.api.services, setup.callers.admin, fromGlobalId(e.id).key, "LISTED", { name: `暂停测试百合粉${serial++}`, availableSupply: 100 });
    const id = gid.product(row.id);
    const views = (caller: CallerName | Credentials) => setup.api.run(VIEWS, { id, no: row.catalogNo, search: row.name }, typeof caller === "string" ? as(caller) : caller);
    const inCatalog = { catalog: { totalCount: 1, nodes: [{ id }] }, productByCatalogNo: { id }, product: { id }, node: { id } };
    const outOfCatalog = { catalog: { totalCount: 0, nodes: [] }, productByCatalogNo: null, product: null, node: null };
    const publicCallers = ["anonymous", "partner", "otherOfficer", "otherEnterprise", "baojingReviewer"] as const;
    expect((await views("officer")).data).toEqual(inCatalog);
    for (const caller of publicCallers) expect((await views(caller)).data, caller).toEqual(inCatalog);
    const placed = await reserve(id);
    expect(placed.data.reservePurchase.userErrors).toEqual([]);

    await change(SUSPEND, { enterpriseId: e.id, reason: "食品安全抽检不合格" });
    for (const caller of publicCallers) {
      const seen = await views(caller);
      expect(seen.errors, caller).toBeUndefined();
      expect(seen.data, caller).toEqual(outOfCatalog);
    }
    // Its own users, its county's office, admins and the officer whose unit ordered it still see the
    // product (out of the catalog).
    for (const who of [e.user, as("huayuanReviewer"), as("admin"), as("officer")]) {
      const seen = (await views(who)).data;
      expect(seen.product).toEqual({ id });
      expect(seen.catalog.totalCount).toBe(0);
    }
    const refused = await reserve(id);
    expect(refused.data.reservePurchase).toEqual({ order: null, userErrors: [{ code: "ENTERPRISE_NOT_VERIFIED", field: ["input", "productId"] }] });
    // The order placed before the suspension stays, and its officer still sees its product.
    const order = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on Order { status product { id enterprise { status } } } } }`, { id: placed.data.reservePurchase.order.id }, as("officer"));
    expect(order.data.node).toEqual({ status: "RESERVED", product: { id, enterprise: { status: "SUSPENDED" } } });
    const supply = await setup.api.run(`query ($id: ID!) { product(id: $id) { availableSupply } }`, { id }, as("admin"));
    expect(supply.data.product.availableSupply).toBe(99);

    await change(REINSTATE, { enterpriseId: e.id });
    for (const caller of publicCallers) expect((await views(caller)).data, caller).toEqual(inCatalog);
    expect((await reserve(id)).data.reservePurchase.userErrors).toEqual([]);
  });
});

describe("the public and partners see VERIFIED enterprises only", () => {
  const LIST = `query ($search: String, $status: EnterpriseStatus) { enterprises(filter: {search: $search, status: $status}) { totalCount nodes { id status } } }`;
  const ONE = `query ($id: ID!) { enterprise(id: $id) { id status } node(id: $id) { id } }`;

  it("hides PENDING and SUSPENDED enterprises (list, enterprise, node) from anonymous callers and partners, not from logged-in users", async () => {
    const pending = await register();
    const suspended = await verified();
    await change(SUSPEND, { enterpriseId: suspended.id, reason: "虚报带贫人数" });
    const shown = await verified();
    const search = "花垣县生命周期";
    for (const caller of ["anonymous", "partner"] as const) {
      const list = await setup.api.run(LIST, { search }, as(caller));
      expect(list.errors, caller).toBeUndefined();
      const ids = list.data.enterprises.nodes.map((n: { id: string }) => n.id);
      expect(ids, caller).toContain(shown.id);
      expect(ids, caller).not.toContain(pending.id);
      expect(ids, caller).not.toContain(suspended.id);
      expect(list.data.enterprises.nodes.every((n: { status: string }) => n.status === "VERIFIED"), caller).toBe(true);
      expect(list.data.enterprises.totalCount, caller).toBe(ids.length);
      expect((await setup.api.run(LIST, { search, status: "PENDING" }, as(caller))).data.enterprises.totalCount, caller).toBe(0);
      for (const hidden of [pending.id, suspended.id]) expect((await setup.api.run(ONE, { id: hidden }, as(caller))).data, caller).toEqual({ enterprise: null, node: null });
      expect((await setup.api.run(ONE, { id: shown.id }, as(caller))).data, caller).toEqual({ enterprise: { id: shown.id, status: "VERIFIED" }, node: { id: shown.id } });
    }
    for (const caller of ["admin", "huayuanReviewer", "baojingReviewer", "ownEnterprise", "officer"] as const) {
      const ids = (await setup.api.run(LIST, { search }, as(caller))).data.enterprises.nodes.map((n: { id: string }) => n.id);
      expect(ids, caller).toEqual(expect.arrayContaining([pending.id, suspended.id, shown.id]));
      expect((await setup.api.run(ONE, { id: pending.id }, as(caller))).data.enterprise, caller).toEqual({ id: pending.id, status: "PENDING" });
    }
    // A PENDING enterprise's own user sees it (viewer.user.enterprise).
    expect((await setup.api.run(`{ viewer { user { enterprise { id status } } } }`, {}, pending.user)).data.viewer.user.enterprise).toEqual({ id: pending.id, status: "PENDING" });
  });

  it("shows the public a suspended enterprise's pairings no more (its Enterprise would be hidden)", async () => {
    const e = await verified();
    const created = await setup.api.run(`mutation { createPairing(input: {villageCode: "433124103202", mode: COMMERCE, startDate: "2020-04-01"}) { pairing { id } userErrors { code } } }`, {}, e.user);
    expect(created.errors).toBeUndefined();
    const pairingId = created.data.createPairing.pairing.id;
    const PAIRINGS = `query ($id: ID!, $p: ID!) { pairings(filter: {enterpriseId: $id}) { totalCount nodes { id enterprise { id } } } node(id: $p) { id } }`;
    expect((await setup.api.run(PAIRINGS, { id: e.id, p: pairingId }, as("anonymous"))).data).toEqual({ pairings: { totalCount: 1, nodes: [{ id: pairingId, enterprise: { id: e.id } }] }, node: { id: pairingId } });
    await change(SUSPEND, { enterpriseId: e.id, reason: "虚报带贫人数" });
    for (const caller of ["anonymous", "partner"] as const) {
      const seen = await setup.api.run(PAIRINGS, { id: e.id, p: pairingId }, as(caller));
      expect(seen.errors, caller).toBeUndefined();
      expect(seen.data, caller).toEqual({ pairings: { totalCount: 0, nodes: [] }, node: null });
    }
    expect((await setup.api.run(PAIRINGS, { id: e.id, p: pairingId }, as("officer"))).data.pairings.totalCount).toBe(1);
  });
});
