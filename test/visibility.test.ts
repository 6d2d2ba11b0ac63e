import type { GraphQLFormattedError } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { apiSchema } from "../src/app.js";
import type { CallerName } from "./support/actors.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { freshIdNumber, freshUscc, freshUsername, productInState } from "./support/fixtures.js";
import { frontDoor } from "./support/front-door.js";
import { pendingDelivery } from "./support/webhooks.js";
import { fromGlobalIdOf } from "../src/graphql/global-id.js";
import { type Relation, childIds, nodeTypes, relationSelection, relationsTo } from "./support/schema-relations.js";
import { businessToday, businessYear } from "../src/clock.js";

/**
 * The visibility matrix (issue 8): every object of a policy-guarded type reached through any relation
 * field, as any caller, is visible through `node(id:)` for that caller — and a relation shows nothing
 * that `node` hides (null where node is null). Relations are found in the schema, so a new one fails
 * here until `reachParents` knows how to reach its parent objects.
 */

const GUARDED = ["Product", "Order", "Quota", "BudgetUnit", "Household", "BenefitLink", "Pairing", "User", "Enterprise", "Division", "DataQualityIssue", "Notification", "SalesReport", "CatalogChange", "WebhookSubscription", "WebhookDelivery"] as const;
const CALLERS: CallerName[] = ["anonymous", "partner", "admin", "prefectureReviewer", "huayuanReviewer", "baojingReviewer", "ownEnterprise", "otherEnterprise", "officer", "otherOfficer"];
/** What a caller who may not reach some parents at all is told (the parents then do not count). */
const REFUSALS = ["FORBIDDEN", "UNAUTHENTICATED"];

const schema = await apiSchema();
const setup = useTestApi();
const { read, mutate } = frontDoor(setup);
const credentials = (caller: CallerName): Credentials => setup.callers.credentials[caller];
const thisYear = businessYear();
let serial = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${serial++}`;

const relations = relationsTo(schema, GUARDED);

// ---- fixtures: objects of every guarded type, inside and outside each caller's reach ------------

/** IDs (as the admin reads them) of the objects the matrix reaches through `nodes`, per type. */
const idsOf: Record<string, string[]> = {};
const named: Record<string, string> = {};

/** A product in a state, through the services fixture; its ID read back from `products` by name. */
async function productIn(enterpriseId: string, state: Parameters<typeof productInState>[4], fields: Record<string, unknown> = {}) {
  const name = unique("可见性测试产品");
  await productInState(setup.database, setup.api.services, setup.callers.admin, enterpriseId, state, { name, availableSupply: 10_000, ...fields });
  return (await read(`query ($s: String) { products(filter: {search: $s}) { nodes { id } } }`, { s: name })).products.nodes[0];
}

const reserve = async (budgetUnitId: string, productId: string) =>
  (await mutate("reservePurchase", { budgetUnitId, productId, quantity: 2, idempotencyKey: unique("vis") }, "order { id }")).order.id as string;

async function household(villageCode: string) {
  const input = { householdNo: unique(`${villageCode.slice(0, 6)}-VIS`), villageCode, headName: "龙先兰", headIdNumber: freshIdNumber(villageCode.slice(0, 6)), members: 4, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY" };
  return (await mutate("createHousehold", input, "household { id }")).household.id as string;
}

const pairing = async (enterpriseId: string, villageCode: string) =>
  (await mutate("createPairing", { enterpriseId, villageCode, mode: "INDUSTRY", startDate: "2020-03-01" }, "pairing { id }")).pairing.id as string;

const link = async (input: Record<string, unknown>) =>
  (await mutate("createBenefitLink", { mechanism: "EMPLOYMENT", year: thisYear, income: "3000.00", startDate: "2020-02-01", ...input }, "benefitLink { id }")).benefitLink.id as string;

beforeAll(async () => {
  const { ownEnterpriseId, otherEnterpriseId } = setup.callers;
  const BAOJING_ORIGIN = { originCountyCode: "433125", originVillageCode: "433125103201" };
  const enterprises = (await read(`{ enterprises(first: 100) { nodes { id name } } }`)).enterprises.nodes as { id: string; name: string }[];
  named.ownEnterprise = enterprises.find((e) => e.name.includes("苗汉子"))!.id;
  named.otherEnterprise = enterprises.find((e) => e.name === "保靖黄金茶有限公司")!.id;
  const units = (await read(`{ budgetUnits(first: 100) { nodes { id name } } }`)).budgetUnits.nodes as { id: string; name: string }[];
  named.officerUnit = units.find((u) => u.name === "湘西州财政局")!.id;
  named.otherOfficerUnit = units.find((u) => u.name === "花垣县财政局")!.id;

  // Products outside the catalog (DRAFT, SUBMITTED, REVOKED) next to listed ones, in two counties.
  const listedOwn = await productIn(ownEnterpriseId, "LISTED");
  const draftOwn = await productIn(ownEnterpriseId, "DRAFT");
  const revokedLater = await productIn(ownEnterpriseId, "LISTED");
  const resubmittedLater = await productIn(ownEnterpriseId, "LISTED");
  const listedOther = await productIn(otherEnterpriseId, "LISTED", BAOJING_ORIGIN);
  const draftOther = await productIn(otherEnterpriseId, "DRAFT", BAOJING_ORIGIN);
  // A 花垣 enterprise's draft grown in 保靖: 花垣's office sees links of 花垣 households, not this product.
  const draftOwnGrownElsewhere = await productIn(ownEnterpriseId, "DRAFT", BAOJING_ORIGIN);
  await productIn(ownEnterpriseId, "REVOKED");

  // Orders of both officers' units, in every state; two of their products then leave the catalog.
  const reserved = await reserve(named.officerUnit, listedOwn.id);
  const shipped = await reserve(named.officerUnit, revokedLater.id);
  await mutate("markShipped", { orderId: shipped }, "order { id }");
  const delivered = await reserve(named.otherOfficerUnit, listedOther.id);
  await mutate("markShipped", { orderId: delivered }, "order { id }");
  await mutate("confirmDelivery", { orderId: delivered }, "order { id }");
  const cancelled = await reserve(named.otherOfficerUnit, resubmittedLater.id);
  await mutate("cancelReservation", { orderId: cancelled }, "order { id }");
  expect(reserved).toBeTruthy();
  // By the county's reviewer: a certification step whose performer has an office (CertificationActor.office).
  await mutate("revokeCertification", { productId: revokedLater.id, reason: "抽检不合格" }, "product { status }", credentials("huayuanReviewer"));
  const { version } = (await read(`query ($id: ID!) { product(id: $id) { version } }`, { id: resubmittedLater.id })).product;
  await mutate("updateProduct", { productId: resubmittedLater.id, expectedVersion: version, name: unique("改名产品") }, "product { status }");

  // Quota revisions by the officers themselves (their actors are users: a relation to a guarded type).
  await mutate("declareQuota", { budgetUnitId: named.officerUnit, year: 2022, canteenFoodTotal: "100000.00", reservedAmount: "10000.00" }, "quota { id }", credentials("officer"));
  await mutate("declareQuota", { budgetUnitId: named.otherOfficerUnit, year: 2022, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true }, "quota { id }", credentials("otherOfficer"));
  // An enterprise verified, paired and then suspended (status history with an actor; the public
  // sees neither it nor its pairing any more), and one still PENDING.
  const register = async (name: string) =>
    (await mutate("registerEnterprise", { name: unique(name), uscc: freshUscc(), kind: "SCALE", countyCode: "433124", username: freshUsername("vis"), password: "visibility-pass-2020" }, "enterprise { id }")).enterprise.id as string;
  const suspended = await register("花垣县可见性暂停企业");
  await mutate("verifyEnterprise", { enterpriseId: suspended, kind: "COOPERATIVE" }, "enterprise { id }");
  const suspendedPairing = await pairing(suspended, "433124103201");
  await mutate("suspendEnterprise", { enterpriseId: suspended, reason: "虚报带贫人数" }, "enterprise { id }");
  const pending = await register("花垣县可见性待核实企业");

  // Households, pairings and benefit links in 花垣县 (own enterprise) and 保靖县 (other enterprise).
  const huayuanHousehold = await household("433124103201");
  const baojingHousehold = await household("433125103201");
  const ownPairing = await pairing(named.ownEnterprise, "433124103201");
  const otherPairing = await pairing(named.otherEnterprise, "433125103201");
  await link({ householdId: huayuanHousehold, enterpriseId: named.ownEnterprise, productId: draftOwn.id, pairingId: ownPairing });
  await link({ householdId: huayuanHousehold, enterpriseId: named.ownEnterprise, productId: listedOwn.id, mechanism: "ORDER_PURCHASE" });
  await link({ householdId: huayuanHousehold, enterpriseId: named.ownEnterprise, productId: draftOwnGrownElsewhere.id, mechanism: "LAND_RENT" });
  await link({ householdId: baojingHousehold, enterpriseId: named.otherEnterprise, productId: draftOther.id, pairingId: otherPairing });

  const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);
  const productsOf = async (enterpriseId: string) => ids((await read(`query ($e: ID) { products(first: 100, filter: {enterpriseId: $e}) { nodes { id } } }`, { e: enterpriseId })).products.nodes);
  idsOf.Product = [...new Set([...(await productsOf(named.ownEnterprise)), ...(await productsOf(named.otherEnterprise)), ...ids((await read(`{ catalog(first: 10) { nodes { id } } }`)).catalog.nodes)])];
  idsOf.Order = ids((await read(`{ orders(first: 100) { nodes { id } } }`)).orders.nodes);
  idsOf.Quota = ids((await read(`{ quotas { id } }`)).quotas);
  idsOf.BudgetUnit = ids(units);
  idsOf.Household = ids((await read(`{ households(first: 100) { nodes { id } } }`)).households.nodes);
  idsOf.Pairing = ids((await read(`{ pairings(first: 100) { nodes { id } } }`)).pairings.nodes);
  idsOf.BenefitLink = ids((await read(`{ benefitLinks(first: 100) { nodes { id } } }`)).benefitLinks.nodes);
  idsOf.Enterprise = [...ids(enterprises), suspended, pending];
  idsOf.CatalogChange = ids((await read(`{ catalogChanges(first: 100) { nodes { id } } }`)).catalogChanges.nodes);
  expect(idsOf.Pairing).toContain(suspendedPairing);
  idsOf.Division = await Promise.all(["433100", "433124", "433124103", "433124103201", "433125"].map(async (code) => (await read(`query ($c: String!) { division(code: $c) { id } }`, { c: code })).division.id));
  // Sales: a fair 花垣县's office reported, then corrected (corrects / supersededBy), and a fair of 保靖县 by the prefecture office.
  const catalogNoOf = async (id: string) => (await read(`query ($id: ID!) { product(id: $id) { catalogNo } }`, { id })).product.catalogNo as string;
  const fairOf = async (catalogNo: string, caller: CallerName, corrects?: string) =>
    (await mutate("reportSales", { idempotencyKey: unique("vis-sales"), corrects, lines: [{ catalogNo, quantity: 1, amount: "88.00", soldOn: businessToday(), channel: "FAIR" }] }, "salesReport { id }", credentials(caller))).salesReport.id as string;
  const firstFair = await fairOf(await catalogNoOf(listedOwn.id), "huayuanReviewer");
  await fairOf(await catalogNoOf(listedOwn.id), "huayuanReviewer", firstFair);
  await fairOf(await catalogNoOf(listedOther.id), "prefectureReviewer");
  idsOf.SalesReport = ids((await read(`{ salesReports(first: 100) { nodes { id } } }`)).salesReports.nodes);
  // A poor village's collective income below the line.
  await mutate("recordCollectiveIncome", { villageCode: "433124103202", year: thisYear, source: "PHOTOVOLTAIC", amount: "12000.00" }, "collectiveIncome { villageCode }");
  // A partner's webhook subscription (a public address: nothing is sent from this test) with one delivery waiting.
  const subscription = (await mutate("createWebhookSubscription", { url: "https://93.184.215.14/hook", events: ["CATALOG_CHANGED"] }, "subscription { id }", credentials("partner"))).subscription.id as string;
  named.webhookSubscription = subscription;
  await pendingDelivery(setup.database, fromGlobalIdOf("WebhookSubscription", subscription));
  idsOf.WebhookSubscription = ids((await read(`{ webhookSubscriptions { id } }`)).webhookSubscriptions);
  idsOf.WebhookDelivery = ids((await read(`query ($s: ID!) { webhookDeliveries(subscriptionId: $s, first: 100) { nodes { id } } }`, { s: subscription })).webhookDeliveries.nodes);
  expect(idsOf.WebhookDelivery.length).toBeGreaterThan(0);
  idsOf.User = [];
  for (const caller of CALLERS) {
    const user = (await read(`{ viewer { user { id } } }`, undefined, credentials(caller))).viewer?.user;
    if (user) idsOf.User.push(user.id);
  }
});

// ---- how to reach parent objects ----------------------------------------------------------------

interface Reached {
  /** each parent with a key to find the admin's copy of it (no key: only "shown ⇒ visible" is checked) */
  parents: { key?: string; object: Record<string, any> }[];
  errors: readonly GraphQLFormattedError[];
  /** whether refusals (FORBIDDEN/UNAUTHENTICATED) are a legitimate answer for this way of reaching */
  mayRefuse: boolean;
}

type Reach = (caller: CallerName, selection: string) => Promise<Reached>;

async function runAs(caller: CallerName, query: string, variables?: Record<string, unknown>) {
  return setup.api.run(query, variables, credentials(caller));
}

/** The list queries of guarded types: checked against node below, and a second way to reach parents. */
const lists: Record<string, { type: string; query: (selection: string) => string }> = {
  catalog: { type: "Product", query: (s) => `{ catalog(first: 100) { nodes { id ${s} } } }` },
  products: { type: "Product", query: (s) => `{ products(first: 100) { nodes { id ${s} } } }` },
  orders: { type: "Order", query: (s) => `{ orders(first: 100) { nodes { id ${s} } } }` },
  quotas: { type: "Quota", query: (s) => `{ quotas { id ${s} } }` },
  budgetUnits: { type: "BudgetUnit", query: (s) => `{ budgetUnits(first: 100) { nodes { id ${s} } } }` },
  households: { type: "Household", query: (s) => `{ households(first: 100) { nodes { id ${s} } } }` },
  benefitLinks: { type: "BenefitLink", query: (s) => `{ benefitLinks(first: 100) { nodes { id ${s} } } }` },
  pairings: { type: "Pairing", query: (s) => `{ pairings(first: 100) { nodes { id ${s} } } }` },
  enterprises: { type: "Enterprise", query: (s) => `{ enterprises(first: 100) { nodes { id ${s} } } }` },
  dataQualityIssues: { type: "DataQualityIssue", query: (s) => `{ dataQualityIssues(first: 100) { nodes { id ${s} } } }` },
  notifications: { type: "Notification", query: (s) => `{ notifications(first: 100) { nodes { id ${s} } } }` },
  salesReports: { type: "SalesReport", query: (s) => `{ salesReports(first: 100) { nodes { id ${s} } } }` },
  catalogChanges: { type: "CatalogChange", query: (s) => `{ catalogChanges(first: 100) { nodes { id ${s} } } }` },
  webhookSubscriptions: { type: "WebhookSubscription", query: (s) => `{ webhookSubscriptions { id ${s} } }` },
  webhookDeliveries: { type: "WebhookDelivery", query: (s) => `{ webhookDeliveries(subscriptionId: "${named.webhookSubscription}", first: 100) { nodes { id ${s} } } }` },
};

const listed = (value: any): Record<string, any>[] => (Array.isArray(value) ? value : value.nodes);

/**
 * Node types: the caller asks `nodes(ids:)` for the admin's IDs, and reads the type's lists; every
 * object it gets either way is a parent (so a relation is checked even on a type `node` misses).
 */
const byNode =
  (type: string): Reach =>
  async (caller, selection) => {
    const parents: Reached["parents"] = [];
    const errors: GraphQLFormattedError[] = [];
    const all = idsOf[type] ?? [];
    for (let i = 0; i < all.length; i += 100) {
      const result = await runAs(caller, `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on ${type} { id ${selection} } } }`, { ids: all.slice(i, i + 100) });
      errors.push(...(result.errors ?? []));
      for (const node of result.data?.nodes ?? []) if (node) parents.push({ key: node.id, object: node });
    }
    for (const [name, list] of Object.entries(lists).filter(([, l]) => l.type === type)) {
      const result = await runAs(caller, list.query(selection));
      errors.push(...(result.errors ?? []).filter((e) => !REFUSALS.includes(String(e.extensions?.code))));
      for (const object of result.data ? listed(result.data[name]) : []) {
        if (!parents.some((p) => p.key === object.id)) parents.push({ key: object.id, object });
      }
    }
    return { parents, errors, mayRefuse: false };
  };

/** Other parents: the query that shows them, and how to pick them out of its answer. */
const byQuery =
  (query: (selection: string) => string, pick: (data: any) => Reached["parents"], variables = (): Record<string, unknown> => ({ year: thisYear })): Reach =>
  async (caller, selection) => {
    const result = await runAs(caller, query(selection), variables());
    return { parents: result.data ? pick(result.data) : [], errors: result.errors ?? [], mayRefuse: true };
  };

const unkeyed = (objects: (Record<string, any> | null | undefined)[]) => objects.filter((o) => o != null).map((object) => ({ object: object! }));

/** One entry per parent type that has a relation to a guarded type. */
const reachParents: Record<string, Reach> = Object.fromEntries([
  ...GUARDED.map((type) => [type, byNode(type)] as const),
  ["Viewer", byQuery((s) => `{ viewer { ${s} } }`, (d) => unkeyed([d.viewer]))],
  ["AuditEntry", byQuery((s) => `{ auditLog(first: 100) { nodes { id ${s} } } }`, (d) => d.auditLog.nodes.map((n: any) => ({ key: n.id, object: n })))],
  [
    "CertificationEvent",
    byQuery(
      (s) => `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id certificationHistory { ${s} } } } }`,
      (d) => d.nodes.filter(Boolean).flatMap((p: any) => p.certificationHistory.map((event: any, i: number) => ({ key: `${p.id}#${i}`, object: event }))),
      () => ({ ids: idsOf.Product!.slice(0, 100) }),
    ),
  ],
  [
    "QuotaRevision",
    byQuery(
      (s) => `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Quota { id revisions { ${s} } } } }`,
      (d) => d.nodes.filter(Boolean).flatMap((q: any) => q.revisions.map((revision: any, i: number) => ({ key: `${q.id}#${i}`, object: revision }))),
      () => ({ ids: idsOf.Quota!.slice(0, 100) }),
    ),
  ],
  [
    "CertificationActor",
    byQuery(
      (s) => `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id certificationHistory { performedBy { ${s} } } } } }`,
      (d) => d.nodes.filter(Boolean).flatMap((p: any) => p.certificationHistory.map((event: any, i: number) => ({ key: `${p.id}#${i}`, object: event.performedBy }))).filter((r: any) => r.object),
      () => ({ ids: idsOf.Product!.slice(0, 100) }),
    ),
  ],
  [
    "EnterpriseStatusChange",
    byQuery(
      (s) => `{ enterprises(first: 100) { nodes { id statusHistory { ${s} } } } }`,
      (d) => d.enterprises.nodes.flatMap((e: any) => (e.statusHistory ?? []).map((change: any, i: number) => ({ key: `${e.id}#${i}`, object: change }))),
    ),
  ],
  ["DataQualityCount", byQuery((s) => `{ dataQualitySummary { ${s} } }`, (d) => unkeyed(d.dataQualitySummary))],
  ["ExpiringListing", byQuery((s) => `{ certificationPipeline { expiringListings { ${s} } } }`, (d) => unkeyed(d.certificationPipeline.expiringListings))],
  ["StatusCount", byQuery((s) => `{ certificationPipeline { byCountyAndStatus { ${s} } } }`, (d) => unkeyed(d.certificationPipeline.byCountyAndStatus))],
  [
    "CountyIndicator",
    byQuery(
      (s) => `{ pairingCoverage { byCounty { ${s} } } benefitLinkCoverage { households { byCounty { ${s} } } villages { byCounty { ${s} } } } }`,
      (d) => unkeyed([...(d.pairingCoverage?.byCounty ?? []), ...(d.benefitLinkCoverage?.households.byCounty ?? []), ...(d.benefitLinkCoverage?.villages.byCounty ?? [])]),
    ),
  ],
  [
    "ConsumptionSalesRecord",
    byQuery(
      (s) => `query ($year: Int!) { consumptionSalesRecords(filter: {year: $year}, first: 100) { nodes { recordId lineNo ${s} } } }`,
      (d) => d.consumptionSalesRecords.nodes.map((n: any) => ({ key: `${n.recordId}#${n.lineNo}`, object: n })),
    ),
  ],
  ["CountyProgress", byQuery((s) => `query ($year: Int!) { consumptionProgress(year: $year) { byCounty { ${s} } } }`, (d) => unkeyed(d.consumptionProgress.byCounty))],
  ["CountySales", byQuery((s) => `query ($year: Int!) { consumptionSales(year: $year) { byOriginCounty { key ${s} } } }`, (d) => d.consumptionSales.byOriginCounty.map((r: any) => ({ key: r.key, object: r })))],
  ["EnterpriseSales", byQuery((s) => `query ($year: Int!) { consumptionSales(year: $year) { byEnterprise { ${s} } } }`, (d) => unkeyed(d.consumptionSales.byEnterprise))],
  ["VillageCollectiveIncome", byQuery((s) => `query ($year: Int!) { collectiveIncomeCoverage(year: $year) { villagesBelowLine { ${s} } } }`, (d) => unkeyed(d.collectiveIncomeCoverage.villagesBelowLine))],
  [
    "UnitProgress",
    byQuery(
      (s) => `query ($year: Int!) { consumptionProgress(year: $year) { units { ${s} } supervisingUnits { ${s} } totals { ${s} } } }`,
      (d) => unkeyed([...d.consumptionProgress.units, ...d.consumptionProgress.supervisingUnits, d.consumptionProgress.totals]),
    ),
  ],
]);

const reachedCache = new Map<string, Promise<Reached>>();

/** The parents of one type as a caller sees them, with every relation of that type selected at once. */
function reached(parent: string, caller: CallerName): Promise<Reached> {
  const key = `${parent}/${caller}`;
  if (!reachedCache.has(key)) {
    const selection = relations.filter((r) => r.parent === parent).map(relationSelection).join(" ");
    reachedCache.set(key, reachParents[parent]!(caller, selection));
  }
  return reachedCache.get(key)!;
}

/** Which of these IDs `nodes(ids:)` shows to the caller. */
async function visibleByNode(caller: CallerName, ids: string[]): Promise<Set<string>> {
  const visible = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const result = await runAs(caller, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ids.slice(i, i + 100) });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    result.data.nodes.forEach((node: { id: string } | null, j: number) => {
      if (node) {
        expect(node.id).toBe(ids[i + j]);
        visible.add(node.id);
      }
    });
  }
  return visible;
}

// ---- the matrix --------------------------------------------------------------------------------

const label = (r: Relation) => `${r.parent}.${r.field} → ${r.child}${r.shape === "one" ? "" : ` (${r.shape})`}`;

describe("the schema's guarded types and relations", () => {
  it("every Node type is in the guarded list", () => {
    expect(nodeTypes(schema).filter((t) => !(GUARDED as readonly string[]).includes(t))).toEqual([]);
  });

  it.each(relations.map((r) => [label(r), r] as const))("%s: the test knows how to reach its parents, and reaches some child", async (_, relation) => {
    expect(reachParents[relation.parent], `no way to reach ${relation.parent} objects: add an entry to reachParents in test/visibility.test.ts`).toBeDefined();
    const { parents, errors } = await reached(relation.parent, "admin");
    expect(errors, JSON.stringify(errors)).toEqual([]);
    expect(parents.some((p) => childIds(relation, p.object).length > 0), `the admin reaches no ${relation.child} through ${label(relation)}: add a fixture`).toBe(true);
  });
});

describe.each(relations.map((r) => [label(r), r] as const))("%s", (_, relation) => {
  it.each(CALLERS)("as %s: visible through the relation ⇔ visible through node", async (caller) => {
    if (!reachParents[relation.parent]) throw new Error(`no way to reach ${relation.parent} objects: add an entry to reachParents`);
    const mine = await reached(relation.parent, caller);
    const refused = mine.errors.filter((e) => REFUSALS.includes(String(e.extensions?.code)));
    expect(mine.errors.filter((e) => !mine.mayRefuse || !refused.includes(e)), `errors reaching ${relation.parent} as ${caller}: ${JSON.stringify(mine.errors)}`).toEqual([]);

    const truth = await reached(relation.parent, "admin");
    const truthByKey = new Map(truth.parents.filter((p) => p.key).map((p) => [p.key!, p.object]));
    const rows = mine.parents.map((p) => {
      const shown = childIds(relation, p.object);
      const adminCopy = p.key ? truthByKey.get(p.key) : undefined;
      return { parent: p.key ?? JSON.stringify(p.object).slice(0, 80), shown, candidates: [...new Set([...shown, ...(adminCopy ? childIds(relation, adminCopy) : [])])] };
    });
    const visible = await visibleByNode(caller, [...new Set(rows.flatMap((r) => r.candidates))]);
    const disagreements = rows
      .map((r) => ({ parent: r.parent, viaRelation: [...r.shown].sort(), viaNode: r.candidates.filter((id) => visible.has(id)).sort() }))
      .filter((r) => JSON.stringify(r.viaRelation) !== JSON.stringify(r.viaNode));
    expect(disagreements, `${label(relation)} as ${caller} disagrees with node(id:)`).toEqual([]);
  });
});

// ---- lists and the consumption progress ---------------------------------------------------------

describe.each(Object.keys(lists))("the %s list", (list) => {
  it.each(CALLERS)("as %s shows only objects node(id:) shows", async (caller) => {
    const result = await runAs(caller, lists[list]!.query(""));
    const codes = errorCodes(result);
    expect(codes.filter((c) => !REFUSALS.includes(String(c))), JSON.stringify(result.errors)).toEqual([]);
    if (codes.length) return;
    const ids: string[] = listed(result.data[list]).map((n) => n.id);
    const visible = await visibleByNode(caller, ids);
    expect(ids.filter((id) => !visible.has(id))).toEqual([]);
  });
});

describe("consumptionProgress", () => {
  const PROGRESS = `query ($year: Int!) { consumptionProgress(year: $year) { units { budgetUnit { id } reservedAmount } supervisingUnits { budgetUnit { id } reservedAmount } totals { reservedAmount } } }`;

  it("is FORBIDDEN to enterprise users (quotas' audience: admins, reviewers, officers)", async () => {
    for (const caller of ["ownEnterprise", "otherEnterprise"] as const) {
      const result = await runAs(caller, PROGRESS, { year: thisYear });
      expect(errorCodes(result), `${caller}: ${JSON.stringify(result.data)}`).toEqual(["FORBIDDEN"]);
    }
  });

  it.each(CALLERS)("as %s: refused exactly when quotas is refused", async (caller) => {
    const progress = await runAs(caller, PROGRESS, { year: thisYear });
    const quotas = await runAs(caller, `query ($year: Int) { quotas(filter: {year: $year}) { id } }`, { year: thisYear });
    expect(errorCodes(progress)).toEqual(errorCodes(quotas));
  });

  it.each([
    ["officer", "officerUnit"],
    ["otherOfficer", "otherOfficerUnit"],
  ] as const)("as %s: only the units of its unit's subtree", async (caller, unit) => {
    const tree = (await read(`{ budgetUnits(first: 100) { nodes { id parent { id } } } }`)).budgetUnits.nodes as { id: string; parent: { id: string } | null }[];
    const subtree = new Set([named[unit]!]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const u of tree) if (u.parent && subtree.has(u.parent.id) && !subtree.has(u.id)) grew = subtree.add(u.id) !== undefined;
    }
    const result = await runAs(caller, PROGRESS, { year: thisYear });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const { units, supervisingUnits } = result.data.consumptionProgress;
    const shown = [...units, ...supervisingUnits].map((u: { budgetUnit: { id: string } | null }) => u.budgetUnit?.id);
    expect(shown.filter((id) => !id || !subtree.has(id))).toEqual([]);
    expect(units.map((u: { budgetUnit: { id: string } }) => u.budgetUnit.id)).toContain(named[unit]);
  });
});
