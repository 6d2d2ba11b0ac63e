import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";

/**
 * DOMAIN.md: available supply is stock, not a certified fact. The enterprise sets it (or adjusts it by
 * a delta) without `expectedVersion`; neither that nor orders move `version` or `updatedAt`, so
 * content edits never collide with orders. Through GraphQL, with the IDs the API returns, as each role.
 */

const setup = useTestApi();
const as = () => setup.callers.credentials;

const FIELDS = `id availableSupply version updatedAt status`;
const SET = `mutation ($input: UpdateProductSupplyInput!) { updateProductSupply(input: $input) { product { ${FIELDS} } userErrors { code field message } } }`;
const ADJUST = `mutation ($input: AdjustProductSupplyInput!) { adjustProductSupply(input: $input) { product { ${FIELDS} } userErrors { code field message } } }`;
const UPDATE = `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { ${FIELDS} description } userErrors { code field message } } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on Product { ${FIELDS} description } } }`;
const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id quantity } product { availableSupply } userErrors { code field } } }`;
const CANCEL = `mutation ($id: ID!) { cancelReservation(input: {orderId: $id}) { order { status } userErrors { code } } }`;

let keys = 0;

async function payload(query: string, variables: Record<string, unknown>, who: Credentials) {
  const result = await setup.api.run(query, variables, who);
  expect(result.errors).toBeUndefined();
  return Object.values(result.data as Record<string, any>)[0];
}

/** A listed product: the enterprise creates and submits it, 花垣's office certifies it, the prefecture lists it. */
async function listedProduct(availableSupply = 100): Promise<string> {
  const created = await payload(
    `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }`,
    { input: { name: "花垣腊肉", category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "45.00", originCountyCode: "433124", availableSupply } },
    as().ownEnterprise,
  );
  const id = created.product.id as string;
  await payload(`mutation ($id: ID!) { submitProductForCertification(input: {productId: $id}) { userErrors { code } } }`, { id }, as().ownEnterprise);
  await payload(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id }, as().huayuanReviewer);
  await payload(`mutation ($id: ID!) { listProducts(input: {productIds: [$id], batch: "2020年第二批"}) { userErrors { code } } }`, { id }, as().prefectureReviewer);
  return id;
}

const read = async (id: string) => (await setup.api.run(READ, { id }, as().ownEnterprise)).data!.node;
const reserve = (productId: string, quantity: number) =>
  payload(RESERVE, { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId, quantity, idempotencyKey: `supply-key-${keys++}` } }, as().officer);

describe("the enterprise sets its stock without expectedVersion", () => {
  it("updateProductSupply sets it; version and updatedAt stay; the change is audited", async () => {
    const id = await listedProduct(100);
    const before = await read(id);
    const { product, userErrors } = await payload(SET, { input: { productId: id, availableSupply: 300 } }, as().ownEnterprise);
    expect(userErrors).toEqual([]);
    expect(product).toEqual({ ...before, availableSupply: 300, description: undefined });
    expect(await read(id)).toEqual({ ...before, availableSupply: 300 });
    const audit = await setup.api.run(
      `query ($id: ID!) { auditLog(filter: {entityId: $id}) { edges { node { operation changes } } } }`,
      { id },
      as().admin,
    );
    expect(audit.errors).toBeUndefined();
    const entry = audit.data!.auditLog.edges.map((e: any) => e.node).find((e: any) => e.operation === "updateProductSupply");
    expect(JSON.parse(entry.changes)).toEqual({ availableSupply: { before: 100, after: 300 } });
  });

  it("adjustProductSupply adds and removes, never below 0 (INSUFFICIENT_SUPPLY naming delta, nothing changed)", async () => {
    const id = await listedProduct(10);
    const before = await read(id);
    expect((await payload(ADJUST, { input: { productId: id, delta: 15 } }, as().ownEnterprise)).product).toMatchObject({ availableSupply: 25, version: before.version, updatedAt: before.updatedAt });
    expect((await payload(ADJUST, { input: { productId: id, delta: -25 } }, as().ownEnterprise)).product.availableSupply).toBe(0);
    const refused = await payload(ADJUST, { input: { productId: id, delta: -1 } }, as().ownEnterprise);
    expect(refused.product).toBeNull();
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: "INSUFFICIENT_SUPPLY", field: ["input", "delta"] })]);
    expect((await read(id)).availableSupply).toBe(0);
  });

  it("refuses a supply that leaves 0..1,000,000,000 (input and sum), naming the field", async () => {
    const id = await listedProduct(10);
    const negative = await payload(SET, { input: { productId: id, availableSupply: -1 } }, as().ownEnterprise);
    expect(negative.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "availableSupply"] });
    await payload(SET, { input: { productId: id, availableSupply: 1_000_000_000 } }, as().ownEnterprise);
    const over = await payload(ADJUST, { input: { productId: id, delta: 1 } }, as().ownEnterprise);
    expect(over.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "delta"] });
    const huge = await payload(ADJUST, { input: { productId: id, delta: 2_000_000_000 } }, as().ownEnterprise);
    expect(huge.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "delta"] });
    expect((await read(id)).availableSupply).toBe(1_000_000_000);
  });

  it("lets the admin set it; refuses another enterprise, officers, reviewers, partners and anonymous callers", async () => {
    const id = await listedProduct(10);
    expect((await payload(SET, { input: { productId: id, availableSupply: 11 } }, as().admin)).product.availableSupply).toBe(11);
    const other = await setup.api.run(ADJUST, { input: { productId: id, delta: 5 } }, as().otherEnterprise);
    expect(errorCodes(other)).toEqual(["FORBIDDEN"]);
    for (const [who, code] of [
      [as().officer, "FORBIDDEN"],
      [as().huayuanReviewer, "FORBIDDEN"],
      [as().partner, "UNAUTHENTICATED"],
      [as().anonymous, "UNAUTHENTICATED"],
    ] as const) {
      expect(errorCodes(await setup.api.run(SET, { input: { productId: id, availableSupply: 0 } }, who))).toEqual([code]);
      expect(errorCodes(await setup.api.run(ADJUST, { input: { productId: id, delta: -1 } }, who))).toEqual([code]);
    }
    expect((await read(id)).availableSupply).toBe(11);
  });

  it("answers a malformed product ID with BAD_USER_INPUT and an ID of nothing with NOT_FOUND", async () => {
    expect(errorCodes(await setup.api.run(ADJUST, { input: { productId: "not-an-id", delta: 1 } }, as().ownEnterprise))).toEqual(["BAD_USER_INPUT"]);
    const nothing = toGlobalId("Product", "00000000-0000-4000-8000-000000000000");
    const missing = await payload(ADJUST, { input: { productId: nothing, delta: 1 } }, as().ownEnterprise);
    expect(missing.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", "productId"] })]);
  });
});

describe("content edits never collide with orders", () => {
  it("an updateProduct with the version read before an order still succeeds after it, and keeps the order's stock", async () => {
    const id = await listedProduct(40);
    const seen = await read(id);
    const order = await reserve(id, 7);
    expect(order.userErrors).toEqual([]);
    await payload(ADJUST, { input: { productId: id, delta: 5 } }, as().ownEnterprise);
    const edit = await payload(UPDATE, { input: { productId: id, expectedVersion: seen.version, description: "新包装" } }, as().ownEnterprise);
    expect(edit.userErrors).toEqual([]);
    expect(edit.product).toMatchObject({ description: "新包装", version: seen.version + 1, availableSupply: 38, status: "LISTED" });
    // A cancelled order returns its supply, again without touching the version.
    const cancelled = await payload(CANCEL, { id: order.order.id }, as().officer);
    expect(cancelled.order.status).toBe("CANCELLED");
    expect(await read(id)).toMatchObject({ availableSupply: 45, version: seen.version + 1 });
  });

  it("updateProduct's availableSupply still works but is deprecated in favour of the supply mutations", async () => {
    const id = await listedProduct(40);
    const { version } = await read(id);
    const edit = await payload(UPDATE, { input: { productId: id, expectedVersion: version, availableSupply: 12 } }, as().ownEnterprise);
    expect(edit.product.availableSupply).toBe(12);
    const introspection = await setup.api.run(
      `{ __type(name: "UpdateProductInput") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
      {},
      as().ownEnterprise,
    );
    const field = introspection.data!.__type.inputFields.find((f: any) => f.name === "availableSupply");
    expect(field.isDeprecated).toBe(true);
    expect(field.deprecationReason).toContain("adjustProductSupply");
  });
});
