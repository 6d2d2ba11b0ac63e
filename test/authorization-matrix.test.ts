import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCodes, useTestApi } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { businessToday, businessYear } from "../src/clock.js";
import { freshIdNumber, freshUscc, freshUsername, gid, householdIn, productInState } from "./support/fixtures.js";
import { partnerCommand, partnerSubscription, pendingDelivery } from "./support/webhooks.js";


let listedProductId: string;
let keys = 0;

const setup = useTestApi();

beforeAll(async () => {
  listedProductId = (await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: 10_000 })).id;
});

/** NOT_FOUND: the target is not visible to the caller, so it is answered as if it did not exist (a userError). */
type Outcome = "ok" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND";

interface MutationSpec {
  /** builds fresh state for one cell; returns the variables */
  prepare(): Promise<Record<string, unknown>>;
  query: string;
  allowed: CallerName[];
  /** logged-in callers the target is not visible to (its policy): NOT_FOUND rather than FORBIDDEN */
  hidden?: CallerName[];
  /** false: a success changes only the caller's own state (a read mark), which is not audited */
  audited?: false;
  /** callers refused otherwise than by the default rule (e.g. a partner key without the scope: FORBIDDEN) */
  refused?: Partial<Record<CallerName, Outcome>>;
}

const everyone: CallerName[] = ["anonymous", "partner", "admin", "prefectureReviewer", "huayuanReviewer", "baojingReviewer", "ownEnterprise", "otherEnterprise", "officer", "otherOfficer"];
const loggedIn: CallerName[] = everyone.filter((c) => c !== "anonymous" && c !== "partner");

const payload = "userErrors { code message field }";
const admin = () => setup.callers.admin;
const own = () => setup.callers.ownEnterpriseId;
/** An order of the officer's unit (州财政局) for the own enterprise's product, in a given state. */
const orderAt = async (state: "RESERVED" | "SHIPPED") => {
  const { order } = await setup.api.services.orders.reserve(admin(), {
    budgetUnitId: BUDGET_UNIT.caizheng,
    productId: listedProductId,
    quantity: 2,
    idempotencyKey: `matrix-${keys++}-${Date.now()}`,
    channel: "CANTEEN",
  });
  if (state === "SHIPPED") await setup.api.services.orders.ship(admin(), order.id);
  return toGlobalId("Order", order.id);
};
const productAt = async (state: Parameters<typeof productInState>[4]) => gid.product((await productInState(setup.database, setup.api.services, admin(), own(), state)).id);

/**
 * Every mutation × every kind of caller. Targets are in 花垣县 and belong to the "own" enterprise;
 * procurement targets belong to the officer's unit (州财政局), not to the other officer's (花垣县财政局).
 */
const matrix: Record<string, MutationSpec> = {
  login: {
    prepare: async () => ({ input: { username: "zhou_reviewer", password: "xiangxi-zhou-2020" } }),
    query: `mutation ($input: LoginInput!) { login(input: $input) { token ${payload} } }`,
    allowed: everyone,
  },
  registerEnterprise: {
    prepare: async () => ({ input: { name: "花垣县测试专业合作社", uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username: freshUsername("coop"), password: "coop-password-2020" } }),
    query: `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id } ${payload} } }`,
    allowed: everyone,
  },
  createUser: {
    prepare: async () => ({ input: { username: freshUsername("rev"), password: "reviewer-pass-2020", role: "REVIEWER", divisionCode: "433124" } }),
    query: `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } ${payload} } }`,
    allowed: ["admin"],
  },
  disableUser: {
    prepare: async () => {
      const user = await setup.api.services.accounts.createUser(admin(), { username: freshUsername("victim"), password: "victim-pass-2020", role: "REVIEWER", divisionCode: "433124" });
      return { input: { userId: gid.user(user.id) } };
    },
    query: `mutation ($input: DisableUserInput!) { disableUser(input: $input) { user { disabled } ${payload} } }`,
    allowed: ["admin"],
  },
  createApiKey: {
    prepare: async () => ({ input: { name: "sync", partnerName: "湘西电商", scopes: ["CATALOG_READ"] } }),
    query: `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret ${payload} } }`,
    allowed: ["admin"],
  },
  revokeApiKey: {
    prepare: async () => {
      const { apiKey } = await setup.api.services.apiKeys.createApiKey(admin(), { name: "old", partnerName: "湘西电商", scopes: ["CATALOG_READ"] });
      return { input: { apiKeyId: gid.apiKey(apiKey.id) } };
    },
    query: `mutation ($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { revokedAt } ${payload} } }`,
    allowed: ["admin"],
  },
  // Webhooks: the partner's own key's subscriptions, and admins; no other role (webhook.policy.ts).
  createWebhookSubscription: {
    prepare: async () => {
      const { actor } = await partnerCommand(setup.api.services, setup.callers);
      const apiKeyId = toGlobalId("ApiKey", (actor as { apiKeyId: string }).apiKeyId);
      return { input: { url: "https://93.184.215.14/hook", events: ["CATALOG_CHANGED"], apiKeyId } };
    },
    query: `mutation ($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { signingSecret ${payload} } }`,
    allowed: ["admin", "partner"],
  },
  deleteWebhookSubscription: {
    prepare: async () => ({ input: { subscriptionId: toGlobalId("WebhookSubscription", await partnerSubscription(setup.api.services, setup.callers)) } }),
    query: `mutation ($input: DeleteWebhookSubscriptionInput!) { deleteWebhookSubscription(input: $input) { subscription { id } ${payload} } }`,
    allowed: ["admin", "partner"],
  },
  enableWebhookSubscription: {
    prepare: async () => {
      const id = await partnerSubscription(setup.api.services, setup.callers);
      await setup.database.rows(sql`update webhook_subscriptions set enabled = false, disabled_at = now() where id = ${id}::uuid`);
      return { input: { subscriptionId: toGlobalId("WebhookSubscription", id) } };
    },
    query: `mutation ($input: EnableWebhookSubscriptionInput!) { enableWebhookSubscription(input: $input) { subscription { enabled } ${payload} } }`,
    allowed: ["admin", "partner"],
  },
  redeliverWebhook: {
    prepare: async () => {
      const subscriptionId = await partnerSubscription(setup.api.services, setup.callers);
      return { input: { deliveryId: toGlobalId("WebhookDelivery", await pendingDelivery(setup.database, subscriptionId)) } };
    },
    query: `mutation ($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { status } ${payload} } }`,
    allowed: ["admin", "partner"],
  },
  verifyEnterprise: {
    prepare: async () => {
      const { enterprise } = await setup.api.services.registration.register(admin(), { name: "花垣县待核实合作社", uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username: freshUsername("p"), password: "pending-pass-2020" });
      return { input: { enterpriseId: gid.enterprise(enterprise.id) } };
    },
    query: `mutation ($input: VerifyEnterpriseInput!) { verifyEnterprise(input: $input) { enterprise { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
  suspendEnterprise: {
    prepare: async () => {
      const { enterprise } = await setup.api.services.registration.register(admin(), { name: "花垣县待暂停合作社", uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username: freshUsername("s"), password: "suspend-pass-2020" });
      await setup.api.services.registration.verify(admin(), enterprise.id);
      return { input: { enterpriseId: gid.enterprise(enterprise.id), reason: "虚报带贫人数" } };
    },
    query: `mutation ($input: SuspendEnterpriseInput!) { suspendEnterprise(input: $input) { enterprise { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
  reinstateEnterprise: {
    prepare: async () => {
      const { enterprise } = await setup.api.services.registration.register(admin(), { name: "花垣县待恢复合作社", uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username: freshUsername("r"), password: "reinstate-pass-2020" });
      await setup.api.services.registration.verify(admin(), enterprise.id);
      await setup.api.services.registration.suspend(admin(), enterprise.id, "虚报带贫人数");
      return { input: { enterpriseId: gid.enterprise(enterprise.id) } };
    },
    query: `mutation ($input: ReinstateEnterpriseInput!) { reinstateEnterprise(input: $input) { enterprise { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
  createProduct: {
    prepare: async () => ({
      input: { enterpriseId: gid.enterprise(own()), name: "十八洞野生蕨菜", category: "VEGETABLE", spec: "250克/袋", unit: "袋", unitPrice: "26.00", originCountyCode: "433124" },
    }),
    query: `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } ${payload} } }`,
    allowed: ["admin", "ownEnterprise"],
  },
  updateProduct: {
    prepare: async () => ({ input: { productId: await productAt("DRAFT"), expectedVersion: 1, unitPrice: "90.00" } }),
    query: `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { unitPrice } ${payload} } }`,
    allowed: ["admin", "ownEnterprise"],
  },
  updateProductSupply: {
    prepare: async () => ({ input: { productId: await productAt("LISTED"), availableSupply: 800 } }),
    query: `mutation ($input: UpdateProductSupplyInput!) { updateProductSupply(input: $input) { product { availableSupply } ${payload} } }`,
    allowed: ["admin", "ownEnterprise"],
  },
  adjustProductSupply: {
    prepare: async () => ({ input: { productId: await productAt("LISTED"), delta: -5 } }),
    query: `mutation ($input: AdjustProductSupplyInput!) { adjustProductSupply(input: $input) { product { availableSupply } ${payload} } }`,
    allowed: ["admin", "ownEnterprise"],
  },
  submitProductForCertification: {
    prepare: async () => ({ input: { productId: await productAt("DRAFT") } }),
    query: `mutation ($input: SubmitProductForCertificationInput!) { submitProductForCertification(input: $input) { product { status } ${payload} } }`,
    allowed: ["admin", "ownEnterprise"],
  },
  reviewProduct: {
    prepare: async () => ({ input: { productId: await productAt("SUBMITTED"), decision: "APPROVE" } }),
    query: `mutation ($input: ReviewProductInput!) { reviewProduct(input: $input) { product { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
  listProducts: {
    prepare: async () => ({ input: { productIds: [await productAt("CERTIFIED")], batch: "2020年第四批" } }),
    query: `mutation ($input: ListProductsInput!) { listProducts(input: $input) { products { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer"],
  },
  createBudgetUnit: {
    prepare: async () => ({ input: { code: `T-${keys++}-${Date.now()}`, name: "湘西州测试单位", level: "PREFECTURE_DIRECT", parentId: toGlobalId("BudgetUnit", BUDGET_UNIT.jiaoti) } }),
    query: `mutation ($input: CreateBudgetUnitInput!) { createBudgetUnit(input: $input) { budgetUnit { id } ${payload} } }`,
    allowed: ["admin"],
  },
  updateBudgetUnit: {
    prepare: async () => ({ input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.minzuZhongxue), name: `湘西州民族中学${keys++}` } }),
    query: `mutation ($input: UpdateBudgetUnitInput!) { updateBudgetUnit(input: $input) { budgetUnit { name } ${payload} } }`,
    allowed: ["admin"],
  },
  declareQuota: {
    prepare: async () => ({ input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), year: 2021, canteenFoodTotal: "500000.00", reservedAmount: `${50000 + keys++}.00` } }),
    query: `mutation ($input: DeclareQuotaInput!) { declareQuota(input: $input) { quota { reservedAmount } ${payload} } }`,
    allowed: ["admin", "officer"],
  },
  reservePurchase: {
    prepare: async () => ({
      input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: gid.product(listedProductId), quantity: 1, idempotencyKey: `cell-${keys++}-${Date.now()}` },
    }),
    query: `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { status } ${payload} } }`,
    allowed: ["admin", "officer"],
  },
  cancelReservation: {
    prepare: async () => ({ input: { orderId: await orderAt("RESERVED") } }),
    query: `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { order { status } ${payload} } }`,
    allowed: ["admin", "officer"],
  },
  markShipped: {
    prepare: async () => ({ input: { orderId: await orderAt("RESERVED") } }),
    query: `mutation ($input: MarkShippedInput!) { markShipped(input: $input) { order { status } ${payload} } }`,
    allowed: ["admin", "ownEnterprise"],
  },
  confirmDelivery: {
    prepare: async () => ({ input: { orderId: await orderAt("SHIPPED") } }),
    query: `mutation ($input: ConfirmDeliveryInput!) { confirmDelivery(input: $input) { order { status } ${payload} } }`,
    allowed: ["admin", "officer"],
  },
  rejectDelivery: {
    prepare: async () => ({ input: { orderId: await orderAt("SHIPPED"), reason: "货物受潮" } }),
    query: `mutation ($input: RejectDeliveryInput!) { rejectDelivery(input: $input) { order { status } ${payload} } }`,
    allowed: ["admin", "officer"],
  },
  createHousehold: {
    prepare: async () => ({
      input: { householdNo: `HH-${keys++}-${Date.now()}`, villageCode: "433124103201", headName: "施成富", headIdNumber: freshIdNumber(), members: 3, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY" },
    }),
    query: `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
  updateHousehold: {
    prepare: async () => ({ input: { householdId: gid.household((await householdIn(setup.api.services, admin())).household.id), status: "MONITORED_UNSTABLE", monitoringReason: "因病支出骤增" } }),
    query: `mutation ($input: UpdateHouseholdInput!) { updateHousehold(input: $input) { household { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
    hidden: ["baojingReviewer"],
  },
  createPairing: {
    prepare: async () => ({ input: { enterpriseId: gid.enterprise(own()), villageCode: "433124103201", mode: "INDUSTRY", startDate: "2020-03-01", industrialInvestment: "500000.00" } }),
    query: `mutation ($input: CreatePairingInput!) { createPairing(input: $input) { pairing { id } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer", "ownEnterprise"],
  },
  endPairing: {
    prepare: async () => {
      const pairing = await setup.api.services.pairings.create(admin(), { enterpriseId: own(), villageCode: "433124103201", mode: "EMPLOYMENT", startDate: "2020-01-01", endDate: null, industrialInvestment: "0", welfareInvestment: "0", jobsProvided: 12, peopleTrained: 0 });
      return { input: { pairingId: gid.pairing(pairing.id), endDate: "2020-12-31", reason: "帮扶期满" } };
    },
    query: `mutation ($input: EndPairingInput!) { endPairing(input: $input) { pairing { endDate } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer", "ownEnterprise"],
  },
  createBenefitLink: {
    prepare: async () => {
      const { household, headIdNumber } = await householdIn(setup.api.services, admin());
      return { input: { householdNo: household.householdNo, headIdNumber, enterpriseId: gid.enterprise(own()), mechanism: "EMPLOYMENT", year: 2020, income: "12000.00", startDate: "2020-02-01" } };
    },
    query: `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer", "ownEnterprise"],
  },
  endBenefitLink: {
    prepare: async () => {
      const { household, headIdNumber } = await householdIn(setup.api.services, admin());
      const link = await setup.api.services.benefitLinks.create(admin(), {
        household: { householdNo: household.householdNo, headIdNumber }, enterpriseId: own(), productId: null, pairingId: null,
        mechanism: "LAND_RENT", year: 2020, income: "800.00", contractRef: "HY-2020-018", startDate: "2020-01-01", endDate: null,
      });
      return { input: { benefitLinkId: gid.benefitLink(link.id), endDate: "2020-12-31" } };
    },
    query: `mutation ($input: EndBenefitLinkInput!) { endBenefitLink(input: $input) { benefitLink { endDate } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer", "ownEnterprise"],
    hidden: ["baojingReviewer", "otherEnterprise"],
  },
  markNotificationsRead: {
    // A fresh notice to the own enterprise (its product certified); the newest of its notifications.
    prepare: async () => {
      await productAt("CERTIFIED");
      const newest = await setup.api.run(`{ notifications(first: 1) { nodes { id kind } } }`, undefined, setup.callers.credentials.ownEnterprise);
      expect(newest.data.notifications.nodes[0].kind).toBe("PRODUCT_CERTIFIED");
      return { input: { ids: [newest.data.notifications.nodes[0].id] } };
    },
    query: `mutation ($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { notifications { read } ${payload} } }`,
    allowed: ["ownEnterprise"],
    hidden: loggedIn.filter((c) => c !== "ownEnterprise"),
    audited: false,
  },
  resolveDataQualityIssue: {
    // A fresh household able and willing to work with no link: an open ABLE_WILLING_WITHOUT_LINK issue in 花垣县.
    prepare: async () => {
      const { household } = await householdIn(setup.api.services, admin());
      return { input: { issueId: toGlobalId("DataQualityIssue", `ABLE_WILLING_WITHOUT_LINK:${household.id}`), resolution: "CONFIRMED_VALID", comment: "入户核实：外出务工，联结待签" } };
    },
    query: `mutation ($input: ResolveDataQualityIssueInput!) { resolveDataQualityIssue(input: $input) { issue { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
    hidden: ["baojingReviewer"],
  },
  reportSales: {
    // A fair sale of a listed 花垣县 product today: offices of 花垣县 and the prefecture, and admins; the
    // test's partner key has CATALOG_READ only (FORBIDDEN: authenticated, without the SALES_REPORT scope).
    prepare: async () => {
      const product = await productInState(setup.database, setup.api.services, admin(), own(), "LISTED");
      return { input: { idempotencyKey: `matrix-${keys++}-${Date.now()}`, lines: [{ catalogNo: product.catalogNo, quantity: 2, amount: "176.00", soldOn: businessToday(), channel: "FAIR" }] } };
    },
    query: `mutation ($input: ReportSalesInput!) { reportSales(input: $input) { salesReport { lineCount } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
    refused: { partner: "FORBIDDEN" },
  },
  recordCollectiveIncome: {
    prepare: async () => ({ input: { villageCode: "433124103201", year: businessYear(), source: "PHOTOVOLTAIC", amount: String(40000 + keys++) } }),
    query: `mutation ($input: RecordCollectiveIncomeInput!) { recordCollectiveIncome(input: $input) { villageIncome { income } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
  revokeCertification: {
    prepare: async () => ({ input: { productId: await productAt("LISTED"), reason: "带贫机制未落实" } }),
    query: `mutation ($input: RevokeCertificationInput!) { revokeCertification(input: $input) { product { status } ${payload} } }`,
    allowed: ["admin", "prefectureReviewer", "huayuanReviewer"],
  },
};

function expectedOutcome(spec: MutationSpec, caller: CallerName): Outcome {
  if (spec.allowed.includes(caller)) return "ok";
  if (spec.hidden?.includes(caller)) return "NOT_FOUND";
  if (spec.refused?.[caller]) return spec.refused[caller]!;
  return loggedIn.includes(caller) ? "FORBIDDEN" : "UNAUTHENTICATED";
}

const auditRows = async () =>
  Number((await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from audit_log`))[0]!.n);
const productVersions = async () =>
  (await setup.database.rows<{ v: string }>(sql`select string_agg(id::text || ':' || version || ':' || status || ':' || available_supply, ',' order by id) as v from products`))[0]!.v +
  (await setup.database.rows<{ v: string | null }>(sql`select string_agg(id::text || ':' || status, ',' order by id) as v from orders`))[0]!.v;

const cells = Object.entries(matrix).flatMap(([mutation, spec]) => everyone.map((caller) => [mutation, caller, expectedOutcome(spec, caller)] as const));

describe("authorization matrix: every mutation × every caller", () => {
  it("covers every mutation of the schema", async () => {
    const { apiSchema } = await import("../src/app.js");
    const mutations = Object.keys((await apiSchema()).getMutationType()!.getFields()).sort();
    expect(Object.keys(matrix).sort()).toEqual(mutations);
  });

  it.each(cells)("%s by %s → %s", async (mutation, caller, outcome) => {
    const spec = matrix[mutation]!;
    const variables = await spec.prepare();
    const [auditBefore, productsBefore] = [await auditRows(), await productVersions()];
    const result = await setup.api.run(spec.query, variables, setup.callers.credentials[caller]);
    if (outcome === "ok") {
      expect(result.errors).toBeUndefined();
      expect(result.data[mutation].userErrors).toEqual([]);
      if (spec.audited !== false) expect(await auditRows()).toBeGreaterThan(auditBefore);
    } else if (outcome === "NOT_FOUND") {
      expect(result.errors).toBeUndefined();
      expect(result.data[mutation].userErrors.map((e: { code: string }) => e.code)).toEqual(["NOT_FOUND"]);
      expect(await auditRows()).toBe(auditBefore);
      expect(await productVersions()).toBe(productsBefore);
    } else {
      expect(errorCodes(result)).toEqual([outcome]);
      expect(result.data).toBeNull();
      expect(await auditRows()).toBe(auditBefore);
      expect(await productVersions()).toBe(productsBefore);
    }
  });
});
