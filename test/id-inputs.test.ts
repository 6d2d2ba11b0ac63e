import { randomUUID } from "node:crypto";
import type { GraphQLField, GraphQLObjectType } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { apiSchema } from "../src/app.js";
import { type NodeTypeName, toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, type Result, useTestApi } from "./support/api.js";
import { freshIdNumber, freshUscc, freshUsername, productInState } from "./support/fixtures.js";
import { frontDoor } from "./support/front-door.js";
import { partnerSubscription, pendingDelivery } from "./support/webhooks.js";
import { ANY_TYPE, type IdArgument, argumentsAround, idArguments, idTypeOverrides, operationText } from "./support/id-arguments.js";
import { businessToday, businessYear } from "../src/clock.js";

/**
 * The SDL walk (issue 8): every argument and input field of type ID in every query and mutation gets
 * the API's own ID of the right type, an ID of another type, malformed strings and a well-formed ID of
 * nothing. New operations are picked up by themselves; an ID the naming rule cannot map fails.
 */

const schema = await apiSchema();
const setup = useTestApi();
const admin = () => setup.callers.credentials.admin;
const thisYear = businessYear();
const today = businessToday();
let serial = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${serial++}`;

/** Every response of the walk that carried a masked internal error, reported once at the end. */
const internalErrors: string[] = [];

async function send(target: IdArgument, tested: string): Promise<{ result: Result }> {
  const root = (target.operation === "query" ? schema.getQueryType() : schema.getMutationType()) as GraphQLObjectType;
  const field = root.getFields()[target.field] as GraphQLField<unknown, unknown>;
  const variables = await argumentsAround(field, target, tested, {
    id: (coordinate, name, path) => realId(target, coordinate, name, path),
    scalar: plausibleScalar,
    fixed: fixedValues[target.field]?.(target.path.at(-1)!) ?? {},
    alsoFill: alsoFill[target.field] ?? [],
  });
  const result = await setup.api.run(operationText(target.operation, field, variables), variables, (callers[target.field] ?? admin)());
  if ((result.errors ?? []).some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR")) {
    internalErrors.push(`${target.field} ${target.path.join(".")} = ${JSON.stringify(tested)}`);
  }
  return { result };
}

// ---- values of the other arguments -------------------------------------------------------------

/** Plausible strings and numbers by field name, so validation of the other fields passes. */
function plausibleScalar(typeName: string, name: string): unknown {
  switch (typeName) {
    case "Int":
      return name === "year" ? thisYear : 1;
    case "Float":
      return 1;
    case "Boolean":
      return false;
    case "Decimal":
      return "1.00";
    case "Date":
      return today;
    case "DateTime":
      return new Date().toISOString();
    case "String":
      break;
    default:
      throw new Error(`no plausible value for scalar ${typeName} (field ${name}): add one to plausibleScalar`);
  }
  const strings: Record<string, () => string> = {
    username: () => freshUsername("idwalk"),
    password: () => "id-walk-password-2020",
    code: () => unique("IDW"),
    idempotencyKey: () => unique("idwalk"),
    householdNo: () => unique("433124-IDW"),
    headIdNumber: () => freshIdNumber(),
    uscc: () => freshUscc(),
    villageCode: () => "433124103201",
    originVillageCode: () => "433124103201",
    countyCode: () => "433124",
    originCountyCode: () => "433124",
    divisionCode: () => "433124",
    batch: () => "2020年第九批",
    catalogNo: () => "433124-2020-000001",
    url: () => "https://93.184.215.14/hook",
  };
  return strings[name]?.() ?? "测试";
}

/** Operations the admin cannot stand in for: its own notifications are an account's (admins have none). */
const callers: Record<string, () => Credentials> = {
  markNotificationsRead: () => setup.callers.credentials.huayuanReviewer,
};

/** Values an operation needs beyond "first enum value" to reach its ID check, by tested field. */
const fixedValues: Record<string, (tested: string) => Record<string, unknown>> = {
  createUser: (tested) => ({ role: tested === "budgetUnitId" ? "OFFICER" : "ENTERPRISE" }),
  createBudgetUnit: () => ({ level: "PREFECTURE_DIRECT" }),
};

/** Optional fields an operation needs anyway (admins name the household and the enterprise). */
const alsoFill: Record<string, string[]> = {
  createBenefitLink: ["enterpriseId", "householdId"],
};

/** Shared objects of every type, with the IDs the API returned for them (filled in beforeAll). */
const samples: Partial<Record<string, string>> = {};

/**
 * Operations whose success would change a shared object (disable the admin, suspend the enterprise,
 * end the pairing …) get a fresh object of their own; the others use the shared samples.
 */
const freshIds: Record<string, () => Promise<string>> = {
  "disableUser.input.userId": () => freshUser(),
  "revokeApiKey.input.apiKeyId": () => freshApiKey(),
  "verifyEnterprise.input.enterpriseId": () => freshEnterprise(),
  "suspendEnterprise.input.enterpriseId": () => freshEnterprise("VERIFIED"),
  "reinstateEnterprise.input.enterpriseId": () => freshEnterprise("SUSPENDED"),
  "submitProductForCertification.input.productId": () => productIn("DRAFT"),
  "updateProduct.input.productId": () => productIn("DRAFT"),
  "reviewProduct.input.productId": () => productIn("SUBMITTED"),
  "listProducts.input.productIds": () => productIn("CERTIFIED"),
  "revokeCertification.input.productId": () => productIn("LISTED"),
  "cancelReservation.input.orderId": () => orderIn("RESERVED"),
  "markShipped.input.orderId": () => orderIn("RESERVED"),
  "confirmDelivery.input.orderId": () => orderIn("SHIPPED"),
  "rejectDelivery.input.orderId": () => orderIn("SHIPPED"),
  "endPairing.input.pairingId": () => freshPairing(),
  "endBenefitLink.input.benefitLinkId": () => freshBenefitLink(),
  "updateBudgetUnit.input.budgetUnitId": () => freshBudgetUnit(),
  "declareQuota.input.budgetUnitId": () => freshBudgetUnit(),
  "deleteWebhookSubscription.input.subscriptionId": async () => toGlobalId("WebhookSubscription", await partnerSubscription(setup.api.services, setup.callers)),
};

async function realId(target: IdArgument, coordinate: string, name: string, path: string[]): Promise<string> {
  const key = `${target.field}.${path.filter((p) => !/^\d+$/.test(p)).join(".")}`;
  if (freshIds[key]) return freshIds[key]();
  const type = idTypeOf(coordinate, name, target.field);
  const id = samples[type === ANY_TYPE ? "Product" : type];
  if (!id) throw new Error(`no sample ${type} ID for ${coordinate}: add one in the setup`);
  return id;
}

function idTypeOf(coordinate: string, name: string, rootField: string): string {
  const found = walked.find((a) => a.coordinate === coordinate && a.field === rootField);
  if (!found?.expected) throw new Error(`no expected type for ${coordinate} (${name})`);
  return found.expected;
}

/** An ID of a different type than `type`, of a real object. */
const otherTypeId = (type: string) => (type === "Product" ? samples.Enterprise! : samples.Product!);

/** A well-formed ID naming nothing. */
const idOfNothing = (type: string) => {
  if (type === "Division") return toGlobalId("Division", "433199");
  // A data-quality issue's key is a rule and a record: a real rule, a record that does not exist.
  if (type === "DataQualityIssue") return toGlobalId("DataQualityIssue", `ABLE_WILLING_WITHOUT_LINK:${randomUUID()}`);
  return toGlobalId((type === ANY_TYPE ? "Product" : type) as NodeTypeName, randomUUID());
};

// ---- fixtures, made and read through the API as the admin ---------------------------------------

const { read: run, mutate } = frontDoor(setup);

/** A product of the own enterprise in a state, found through `products` by its unique name. */
async function productIn(state: Parameters<typeof productInState>[4]): Promise<string> {
  const name = unique("识别码测试产品");
  await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, state, { name, availableSupply: 100_000 });
  const data = await run(`query ($search: String) { products(filter: {search: $search}) { nodes { id } } }`, { search: name });
  return data.products.nodes[0].id;
}

async function orderIn(state: "RESERVED" | "SHIPPED"): Promise<string> {
  // A product of its own: the shared sample's supply is what updateProductSupply's cells set (to 1, or 0).
  const productId = await productIn("LISTED");
  const { order } = await mutate("reservePurchase", { budgetUnitId: samples.BudgetUnit, productId, quantity: 1, idempotencyKey: unique("fixture") }, "order { id }");
  if (state === "SHIPPED") await mutate("markShipped", { orderId: order.id }, "order { id }");
  return order.id;
}

const freshUser = async () =>
  (await mutate("createUser", { username: freshUsername("idwalk"), password: "id-walk-password-2020", role: "REVIEWER", divisionCode: "433124" }, "user { id }")).user.id;

const freshApiKey = async () => (await mutate("createApiKey", { name: unique("key"), partnerName: "湘西电商", scopes: ["CATALOG_READ"] }, "apiKey { id }")).apiKey.id;

async function freshEnterprise(status: "PENDING" | "VERIFIED" | "SUSPENDED" = "PENDING"): Promise<string> {
  const input = { name: unique("花垣县测试合作社"), uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username: freshUsername("coop"), password: "coop-password-2020" };
  const id = (await mutate("registerEnterprise", input, "enterprise { id }")).enterprise.id;
  if (status !== "PENDING") await mutate("verifyEnterprise", { enterpriseId: id }, "enterprise { id }");
  if (status === "SUSPENDED") await mutate("suspendEnterprise", { enterpriseId: id, reason: "测试暂停" }, "enterprise { id }");
  return id;
}

const villages = ["433124103201", "433124103202", "433124102201"];
const freshPairing = async () =>
  (await mutate("createPairing", { enterpriseId: samples.Enterprise, villageCode: villages[serial++ % villages.length], mode: "INDUSTRY", startDate: "2020-03-01" }, "pairing { id }")).pairing.id;

async function freshHousehold(): Promise<string> {
  const input = { householdNo: unique("433124-HH"), villageCode: "433124103201", headName: "施成富", headIdNumber: freshIdNumber(), members: 3, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY" };
  return (await mutate("createHousehold", input, "household { id }")).household.id;
}

async function freshBenefitLink(): Promise<string> {
  const input = { householdId: await freshHousehold(), enterpriseId: samples.Enterprise, productId: samples.Product, mechanism: "EMPLOYMENT", year: thisYear, income: "1200.00", startDate: "2020-02-01" };
  return (await mutate("createBenefitLink", input, "benefitLink { id }")).benefitLink.id;
}

const freshBudgetUnit = async () =>
  (await mutate("createBudgetUnit", { code: unique("IDW"), name: unique("湘西州测试单位"), level: "PREFECTURE_DIRECT" }, "budgetUnit { id }")).budgetUnit.id;

/** Reads an ID of every type from the API (objects the demo seed lacks are made first). */
beforeAll(async () => {
  samples.Product = await productIn("LISTED");
  samples.Enterprise = (await run(`{ enterprises(filter: {search: "苗汉子"}) { nodes { id } } }`)).enterprises.nodes[0].id;
  samples.BudgetUnit = (await run(`{ budgetUnits(first: 100) { nodes { id name } } }`)).budgetUnits.nodes.find((u: { name: string }) => u.name === "湘西州财政局").id;
  samples.Quota = (await run(`{ quotas { id } }`)).quotas[0].id;
  samples.User = (await run(`{ viewer { user { id } } }`)).viewer.user.id;
  samples.ApiKey = (await run(`{ apiKeys { id } }`)).apiKeys[0].id;
  samples.Division = (await run(`{ division(code: "433124") { id } }`)).division.id;
  samples.Household = await freshHousehold();
  samples.Pairing = await freshPairing();
  samples.BenefitLink = await freshBenefitLink();
  samples.Order = await orderIn("RESERVED");
  // The sample household is able and willing and has no link: it has an open issue of that rule.
  // A fair the admin reported (an office's report: its own, so `corrects` may name it).
  const { catalogNo, unitPrice } = (await run(`query ($id: ID!) { product(id: $id) { catalogNo unitPrice } }`, { id: samples.Product })).product;
  samples.SalesReport = (
    await mutate("reportSales", { idempotencyKey: unique("idwalk"), lines: [{ catalogNo, quantity: 1, amount: unitPrice, soldOn: today, channel: "FAIR" }] }, "salesReport { id }")
  ).salesReport.id;
  const subscriptionId = await partnerSubscription(setup.api.services, setup.callers);
  samples.WebhookSubscription = toGlobalId("WebhookSubscription", subscriptionId);
  samples.WebhookDelivery = toGlobalId("WebhookDelivery", await pendingDelivery(setup.database, subscriptionId));
  samples.DataQualityIssue = (await run(`{ dataQualityIssues(filter: {rule: ABLE_WILLING_WITHOUT_LINK}, first: 1) { nodes { id } } }`)).dataQualityIssues.nodes[0].id;
  // The sample products were submitted in 花垣县: its office has notices of them.
  samples.Notification = (await run(`{ notifications(first: 1) { nodes { id } } }`, undefined, callers.markNotificationsRead!())).notifications.nodes[0].id;
});

// ---- the walk ----------------------------------------------------------------------------------

const walked = idArguments(schema);
const label = (a: IdArgument) => `${a.operation} ${a.field} ${a.path.join(".")}`;
const pathText = (a: IdArgument) => a.path.join(".");

/** A top-level BAD_USER_INPUT naming the argument path (extensions.argument, or the message). */
function expectBadInputNaming(result: Result, target: IdArgument) {
  const path = pathText(target);
  const naming = (result.errors ?? []).filter((e) => {
    const argument = String(e.extensions?.argument ?? "");
    return e.extensions?.code === "BAD_USER_INPUT" && (argument === path || argument.startsWith(`${path}.`) || e.message.includes(path));
  });
  expect(naming, `expected BAD_USER_INPUT naming ${path}, got ${JSON.stringify(result.errors ?? result.data)}`).not.toEqual([]);
}

function expectNoInternalError(result: Result) {
  const codes = (result.errors ?? []).map((e) => e.extensions?.code);
  expect(codes, JSON.stringify(result.errors)).not.toContain("INTERNAL_SERVER_ERROR");
}

const fieldNames = (target: IdArgument) => (error: { field?: string[] | null }) =>
  Array.isArray(error.field) && target.path.every((part, i) => error.field![i] === part);

describe("every ID argument is mapped to a type by the naming rule or the override table", () => {
  it("finds the ID inputs (sanity: the walk sees nested and list fields)", () => {
    const coordinates = walked.map((a) => a.coordinate);
    expect(coordinates).toEqual(expect.arrayContaining(["Query.product(id)", "ListProductsInput.productIds", "ReservePurchaseInput.productId", "CreateUserInput.budgetUnitId"]));
    expect(walked.find((a) => a.coordinate === "ListProductsInput.productIds")!.list).toBe(true);
    for (const coordinate of Object.keys(idTypeOverrides)) expect(coordinates, `override for a coordinate that no longer exists: ${coordinate}`).toContain(coordinate);
  });

  it.each(walked.map((a) => [label(a), a] as const))("%s", (_, target) => {
    expect(
      target.expected,
      `${target.coordinate} is an ID whose type the naming rule (<type>Id, <type>Ids, <query>(id)) cannot tell: add it to idTypeOverrides in test/support/id-arguments.ts`,
    ).toBeDefined();
  });
});

describe.each(walked.filter((a) => a.expected).map((a) => [label(a), a] as const))("%s", (_, target) => {
  const type = target.expected!;

  it(`accepts the API's own ${type} ID`, async () => {
    const own = await realId(target, target.coordinate, target.path.at(-1)!, target.path);
    const { result } = await send(target, own);
    expectNoInternalError(result);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    if (target.operation === "mutation") {
      const userErrors = result.data[target.field].userErrors as { code: string; field: string[] | null }[];
      // A state error (INVALID_TRANSITION, NOT_CERTIFIED, DUPLICATE …) means the object was found: the ID was accepted.
      const aboutTheId = userErrors.filter((e) => fieldNames(target)(e) && (e.code === "NOT_FOUND" || e.code === "INVALID"));
      expect(aboutTheId, `the ID was not accepted: ${JSON.stringify(userErrors)}`).toEqual([]);
    }
  });

  // An argument that takes an ID of any type (node, nodes, auditLog's entityId) has no "other type".
  if (type !== ANY_TYPE) {
    it("refuses an ID of another type with BAD_USER_INPUT naming the path", async () => {
      const { result } = await send(target, otherTypeId(type));
      expectNoInternalError(result);
      expectBadInputNaming(result, target);
    });
  }

  it.each(["not-an-id", ""])("refuses the malformed ID %j with BAD_USER_INPUT naming the path", async (malformed) => {
    const { result } = await send(target, malformed);
    expectNoInternalError(result);
    expectBadInputNaming(result, target);
  });

  if (target.operation === "mutation") {
    it("answers a well-formed ID of nothing with a NOT_FOUND userError naming the field", async () => {
      const { result } = await send(target, idOfNothing(type));
      expectNoInternalError(result);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      const userErrors = result.data[target.field].userErrors as { code: string; field: string[] | null }[];
      expect(
        userErrors.filter((e) => e.code === "NOT_FOUND" && fieldNames(target)(e)),
        `expected NOT_FOUND naming ${pathText(target)}, got ${JSON.stringify(userErrors)}`,
      ).not.toEqual([]);
    });
  } else {
    it("answers a well-formed ID of nothing with null or an empty list, no error", async () => {
      const { result } = await send(target, idOfNothing(type));
      expectNoInternalError(result);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      const value = result.data[target.field];
      if (value === null) return;
      if (Array.isArray(value)) expect(value.filter((v) => v !== null)).toEqual([]);
      else expect(value.nodes, JSON.stringify(value)).toEqual([]);
    });
  }
});

describe("the whole walk", () => {
  it("never answered INTERNAL_SERVER_ERROR", () => {
    expect(internalErrors, internalErrors.join("\n")).toEqual([]);
  });
});
