import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fromGlobalId } from "../src/graphql/global-id.js";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { parseConfig } from "../src/config.js";
import { withinBand } from "../src/money.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";

/**
 * DOMAIN.md "Products and certification": a certified or listed product's price may move within
 * ±PRICE_REVIEW_BAND (default 20 %) of its certified price, recorded in its history with the old and
 * new values; beyond the band it goes back to SUBMITTED and leaves the catalog. Money inputs have a
 * ceiling. Everything through GraphQL, with the IDs the API returns, as each role.
 */

const setup = useTestApi();
const as = () => setup.callers.credentials;

const PRODUCT = `id status unitPrice certifiedUnitPrice version
  certificationHistory { kind fromStatus toStatus oldUnitPrice newUnitPrice comment actor { username } }`;
const CREATE = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code field message } } }`;
const UPDATE = `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { ${PRODUCT} } userErrors { code field message } } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on Product { ${PRODUCT} } } }`;
const PUBLIC = `query ($id: ID!) { product(id: $id) { id unitPrice } }`;
const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) {
  order { id amount } product { availableSupply } userErrors { code field message } } }`;

let keys = 0;
const newProduct = (unitPrice: string, patch: Record<string, unknown> = {}) => ({
  name: "保靖黄金茶",
  brand: "保靖",
  category: "TEA",
  spec: "250克/罐",
  unit: "罐",
  unitPrice,
  originCountyCode: "433124",
  annualSupplyCapacity: 10000,
  availableSupply: 500,
  ...patch,
});

async function ok<T = any>(query: string, variables: Record<string, unknown>, who: Credentials): Promise<T> {
  const result = await setup.api.run(query, variables, who);
  expect(result.errors).toBeUndefined();
  const payload = Object.values(result.data as Record<string, any>)[0];
  if (payload && typeof payload === "object" && "userErrors" in payload) expect(payload.userErrors).toEqual([]);
  return payload as T;
}

/** A product taken to `state` by the roles that may: the enterprise creates and submits, 花垣's office certifies, the prefecture lists. */
async function productIn(state: "DRAFT" | "CERTIFIED" | "LISTED", unitPrice = "88.00", patch: Record<string, unknown> = {}): Promise<string> {
  const { product } = await ok(CREATE, { input: newProduct(unitPrice, patch) }, as().ownEnterprise);
  if (state === "DRAFT") return product.id;
  await ok(`mutation ($id: ID!) { submitProductForCertification(input: {productId: $id}) { userErrors { code } } }`, { id: product.id }, as().ownEnterprise);
  await ok(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id: product.id }, as().huayuanReviewer);
  if (state === "CERTIFIED") return product.id;
  await ok(`mutation ($id: ID!) { listProducts(input: {productIds: [$id], batch: "2020年第一批"}) { userErrors { code } } }`, { id: product.id }, as().prefectureReviewer);
  return product.id;
}

async function read(id: string, who: Credentials = as().ownEnterprise) {
  return (await setup.api.run(READ, { id }, who)).data!.node;
}

async function setPrice(id: string, unitPrice: string, who: Credentials = as().ownEnterprise) {
  const { version } = await read(id);
  return (await setup.api.run(UPDATE, { input: { productId: id, expectedVersion: version, unitPrice } }, who)).data!.updateProduct;
}

const last = <T>(list: T[]): T => list[list.length - 1]!;

describe("a listed product's price moves within the band of its certified price", () => {
  it("stores the price at certification (认定)", async () => {
    const id = await productIn("CERTIFIED", "88.00");
    expect(await read(id)).toMatchObject({ status: "CERTIFIED", certifiedUnitPrice: "88.00" });
    const draft = await productIn("DRAFT", "88.00");
    expect((await read(draft)).certifiedUnitPrice).toBeNull();
  });

  it("records 88 → 86 in the history with old and new values, actor and comment, and stays LISTED and in the catalog", async () => {
    const id = await productIn("LISTED", "88.00");
    const before = await read(id);
    const { product, userErrors } = await setPrice(id, "86");
    expect(userErrors).toEqual([]);
    expect(product).toMatchObject({ status: "LISTED", unitPrice: "86.00", certifiedUnitPrice: "88.00", version: before.version + 1 });
    expect(product.certificationHistory).toHaveLength(before.certificationHistory.length + 1);
    expect(last(product.certificationHistory as any[])).toMatchObject({
      kind: "PRICE_CHANGED",
      fromStatus: "LISTED",
      toStatus: "LISTED",
      oldUnitPrice: "88.00",
      newUnitPrice: "86.00",
      actor: { username: "shibadong_fruit" },
    });
    expect(last(product.certificationHistory as any[]).comment).toContain("88.00");
    // Still in the public catalog, at the new price.
    expect((await setup.api.run(PUBLIC, { id }, as().anonymous)).data!.product).toEqual({ id, unitPrice: "86.00" });
    // The earlier steps are status changes, with no prices.
    expect(before.certificationHistory.every((e: any) => e.kind === "STATUS_CHANGED" && e.oldUnitPrice === null && e.newUnitPrice === null)).toBe(true);
  });

  it("counts exactly ±20 % as within (88 → 105.60 and 88 → 70.40 stay LISTED)", async () => {
    const up = await productIn("LISTED", "88.00");
    expect((await setPrice(up, "105.60")).product).toMatchObject({ status: "LISTED", unitPrice: "105.60" });
    const down = await productIn("LISTED", "88.00");
    expect((await setPrice(down, "70.40")).product).toMatchObject({ status: "LISTED", unitPrice: "70.40" });
  });

  it("sends a move one fen beyond the band back to SUBMITTED, with the reason and prices, out of the catalog and not orderable", async () => {
    const id = await productIn("LISTED", "88.00", { availableSupply: 50 });
    const { product, userErrors } = await setPrice(id, "105.61");
    expect(userErrors).toEqual([]);
    expect(product).toMatchObject({ status: "SUBMITTED", unitPrice: "105.61", certifiedUnitPrice: "88.00" });
    const event = last(product.certificationHistory as any[]);
    expect(event).toMatchObject({ kind: "STATUS_CHANGED", fromStatus: "LISTED", toStatus: "SUBMITTED", oldUnitPrice: "88.00", newUnitPrice: "105.61" });
    expect(event.comment).toContain("20 %");
    expect((await setup.api.run(PUBLIC, { id }, as().anonymous)).data!.product).toBeNull();
    const order = await setup.api.run(RESERVE, { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: id, quantity: 1, idempotencyKey: `price-key-${keys++}` } }, as().officer);
    expect(order.data!.reservePurchase.userErrors[0]).toMatchObject({ code: "NOT_CERTIFIED" });
    // The review certifies the new price; the band then holds around it.
    await ok(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id }, as().huayuanReviewer);
    expect(await read(id)).toMatchObject({ status: "CERTIFIED", certifiedUnitPrice: "105.61" });
  });

  it("keeps the band around the certified price, not the last price (88 → 105 → 110 goes back to review)", async () => {
    const id = await productIn("LISTED", "88.00");
    expect((await setPrice(id, "105.00")).product.status).toBe("LISTED");
    const second = (await setPrice(id, "110.00")).product;
    expect(second).toMatchObject({ status: "SUBMITTED", certifiedUnitPrice: "88.00" });
    expect(last(second.certificationHistory as any[])).toMatchObject({ oldUnitPrice: "105.00", newUnitPrice: "110.00", toStatus: "SUBMITTED" });
    expect((second.certificationHistory as any[]).filter((e) => e.kind === "PRICE_CHANGED").map((e) => e.newUnitPrice)).toEqual(["105.00"]);
  });

  it("applies to a CERTIFIED product waiting to be listed, and combines a certified-field change with the price in one step", async () => {
    const id = await productIn("CERTIFIED", "50.00");
    const { version } = await read(id);
    const { product } = (await setup.api.run(UPDATE, { input: { productId: id, expectedVersion: version, unitPrice: "52.00", name: "保靖黄金茶·特级" } }, as().ownEnterprise)).data!.updateProduct;
    expect(product.status).toBe("SUBMITTED");
    const event = last(product.certificationHistory as any[]);
    expect(event).toMatchObject({ kind: "STATUS_CHANGED", fromStatus: "CERTIFIED", toStatus: "SUBMITTED", oldUnitPrice: "50.00", newUnitPrice: "52.00" });
    expect(event.comment).toContain("name");
  });

  it("records nothing when the price is unchanged or the product is not certified", async () => {
    const listed = await productIn("LISTED", "88.00");
    const before = await read(listed);
    const same = await setPrice(listed, "88");
    expect(same.product.certificationHistory).toHaveLength(before.certificationHistory.length);
    const draft = await productIn("DRAFT", "88.00");
    expect((await setPrice(draft, "500.00")).product).toMatchObject({ status: "DRAFT", unitPrice: "500.00", certificationHistory: [] });
  });

  it("lets an admin change the price too (recorded with the admin as actor); another enterprise may not", async () => {
    const id = await productIn("LISTED", "88.00");
    const { product } = await setPrice(id, "90.00", as().admin);
    expect(last(product.certificationHistory as any[])).toMatchObject({ kind: "PRICE_CHANGED", actor: { username: "admin" } });
    const { version } = await read(id);
    const other = await setup.api.run(UPDATE, { input: { productId: id, expectedVersion: version, unitPrice: "91.00" } }, as().otherEnterprise);
    expect([...errorCodes(other), ...(other.data?.updateProduct?.userErrors ?? []).map((e: any) => e.code)]).toEqual(["FORBIDDEN"]);
    for (const who of [as().officer, as().huayuanReviewer, as().anonymous]) {
      const refused = await setup.api.run(UPDATE, { input: { productId: id, expectedVersion: version, unitPrice: "91.00" } }, who);
      expect(refused.data?.updateProduct ?? null).toBeNull();
      expect(errorCodes(refused)[0]).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    }
    expect((await read(id)).unitPrice).toBe("90.00");
  });

  it("compares exactly in fen (no float rounding at the edge)", () => {
    expect(withinBand("0.10", "0.12", "0.20")).toBe(true);
    expect(withinBand("0.10", "0.13", "0.20")).toBe(false);
    expect(withinBand("99999999.99", "119999999.98", "0.20")).toBe(true);
    expect(withinBand("99999999.99", "119999999.99", "0.20")).toBe(false);
    expect(withinBand("0.00", "0.01", "0.20")).toBe(false);
  });
});

describe("money inputs have a ceiling (refused naming the field, nothing written)", () => {
  it("refuses a unit price above 99,999,999.99 on create and update; accepts the ceiling", async () => {
    const tooMuch = (await setup.api.run(CREATE, { input: newProduct("100000000.00") }, as().ownEnterprise)).data!.createProduct;
    expect(tooMuch.product).toBeNull();
    expect(tooMuch.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "unitPrice"] });
    expect(tooMuch.userErrors[0].message).toContain("99999999.99");
    const atCeiling = await ok(CREATE, { input: newProduct("99999999.99") }, as().ownEnterprise);
    const { version } = await read(atCeiling.product.id);
    const update = (await setup.api.run(UPDATE, { input: { productId: atCeiling.product.id, expectedVersion: version, unitPrice: "9999999999.99" } }, as().ownEnterprise)).data!.updateProduct;
    expect(update.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "unitPrice"] });
    expect(await read(atCeiling.product.id)).toMatchObject({ unitPrice: "99999999.99", version });
  });

  it("refuses more digits than the Decimal scalar (and the columns) hold with BAD_USER_INPUT naming the field", async () => {
    const result = await setup.api.run(CREATE, { input: newProduct("99999999999.00") }, as().ownEnterprise);
    expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors![0]!.message).toContain("unitPrice");
    const fraction = await setup.api.run(CREATE, { input: newProduct("12.345") }, as().ownEnterprise);
    expect(errorCodes(fraction)).toEqual(["BAD_USER_INPUT"]);
  });

  it("refuses a benefit link's income above 99,999,999.99 and a quota's total above the column, naming the field", async () => {
    const declare = await setup.api.run(
      `mutation ($input: DeclareQuotaInput!) { declareQuota(input: $input) { quota { id } userErrors { code field } } }`,
      { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), year: 2026, canteenFoodTotal: "99999999999.00", reservedAmount: "10.00" } },
      as().officer,
    );
    expect(errorCodes(declare)).toEqual(["BAD_USER_INPUT"]);
    expect(declare.errors![0]!.message).toContain("canteenFoodTotal");
    const link = await setup.api.run(
      `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } userErrors { code field message } } }`,
      {
        input: {
          householdId: toGlobalId("Household", "00000000-0000-4000-8000-000000000000"),
          mechanism: "EMPLOYMENT",
          year: 2020,
          startDate: "2020-01-01",
          income: "100000000.00",
        },
      },
      as().ownEnterprise,
    );
    const linkErrors = [...(link.data?.createBenefitLink?.userErrors ?? []), ...(link.errors ?? [])];
    expect(link.data?.createBenefitLink?.benefitLink ?? null).toBeNull();
    expect(link.data!.createBenefitLink.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "income"] });
    expect(linkErrors).toHaveLength(1);
  });

  it("answers an order whose amount would overflow with a userError on quantity, and takes no supply", async () => {
    const id = await productIn("LISTED", "99999999.99", { availableSupply: 100000 });
    const result = await setup.api.run(
      RESERVE,
      { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: id, quantity: 100000, idempotencyKey: `huge-key-${keys++}` } },
      as().officer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.reservePurchase.order).toBeNull();
    expect(result.data!.reservePurchase.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "quantity"] });
    expect(result.data!.reservePurchase.userErrors[0].message).not.toMatch(/numeric|overflow|SQL/i);
    const supply = await setup.api.run(`query ($id: ID!) { product(id: $id) { availableSupply } }`, { id }, as().anonymous);
    expect(supply.data!.product.availableSupply).toBe(100000);
    // A sane order of the same product goes through at that price.
    const small = await setup.api.run(
      RESERVE,
      { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: id, quantity: 2, idempotencyKey: `small-key-${keys++}` } },
      as().officer,
    );
    expect(small.data!.reservePurchase).toMatchObject({ userErrors: [], order: { amount: "199999999.98" }, product: { availableSupply: 99998 } });
  });
});

describe("PRICE_REVIEW_BAND is configuration", () => {
  it("refuses a band that is not a ratio, naming the variable", () => {
    expect(() => parseConfig({ NODE_ENV: "test", PRICE_REVIEW_BAND: "20%" })).toThrow(/PRICE_REVIEW_BAND/);
    expect(parseConfig({ NODE_ENV: "test" }).PRICE_REVIEW_BAND).toBe("0.20");
  });

  describe("with PRICE_REVIEW_BAND=0.05", () => {
    const narrow = useTestApi({ config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PRICE_REVIEW_BAND: "0.05" }) });

    it("keeps 100 → 105 listed and sends 100 → 105.01 back to review", async () => {
      const who = () => narrow.callers.credentials;
      const run = async (query: string, variables: Record<string, unknown>, caller: Credentials) => {
        const result = await narrow.api.run(query, variables, caller);
        expect(result.errors).toBeUndefined();
        return Object.values(result.data as Record<string, any>)[0];
      };
      const listed = async () => {
        const { product } = await run(CREATE, { input: newProduct("100.00") }, who().ownEnterprise);
        await run(`mutation ($id: ID!) { submitProductForCertification(input: {productId: $id}) { userErrors { code } } }`, { id: product.id }, who().ownEnterprise);
        await run(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id: product.id }, who().huayuanReviewer);
        await run(`mutation ($id: ID!) { listProducts(input: {productIds: [$id], batch: "2020年第一批"}) { userErrors { code } } }`, { id: product.id }, who().prefectureReviewer);
        return product.id as string;
      };
      const reprice = async (id: string, unitPrice: string) => {
        const { version } = (await narrow.api.run(READ, { id }, who().ownEnterprise)).data!.node;
        return (await run(UPDATE, { input: { productId: id, expectedVersion: version, unitPrice } }, who().ownEnterprise)).product;
      };
      const edge = await reprice(await listed(), "105.00");
      expect(edge.status).toBe("LISTED");
      expect(last(edge.certificationHistory as any[]).comment).toContain("±5 %");
      expect((await reprice(await listed(), "105.01")).status).toBe("SUBMITTED");
    });
  });
});

describe("price changes and the history-true pipeline", () => {
  it("a PRICE_CHANGED entry is not a listing: certificationPipeline(asOf) dates a superseded listing from its 入录, not from a later price change", async () => {
    const PIPELINE = `query ($asOf: Date) { certificationPipeline(countyCode: "433124", asOf: $asOf) { byCountyAndStatus { status count } } }`;
    const countOn = async (asOf: string, status: string) =>
      ((await setup.api.run(PIPELINE, { asOf }, as().prefectureReviewer)).data!.certificationPipeline.byCountyAndStatus as any[])
        .filter((r) => r.status === status)
        .reduce((sum, r) => sum + r.count, 0);
    const id = await productIn("LISTED", "88.00");
    await setPrice(id, "90.00");
    const { version } = await read(id);
    await ok(UPDATE, { input: { productId: id, expectedVersion: version, name: "保靖黄金茶·新包装" } }, as().ownEnterprise);
    await ok(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id }, as().huayuanReviewer);
    await ok(`mutation ($id: ID!) { listProducts(input: {productIds: [$id], batch: "2026年第一批"}) { userErrors { code } } }`, { id }, as().prefectureReviewer);
    const expiredBefore = await countOn("2022-04-01", "EXPIRED");
    const listedBefore = await countOn("2022-04-01", "LISTED");

    // Time travel (no service moves history into the past): created 2020-02, listed 2020-03-01, repriced 2020-06-01.
    const key = fromGlobalId(id).key;
    await setup.database.rows(sql`update products set created_at = '2020-02-01T04:00:00Z' where id = ${key}::uuid`);
    const steps = (await read(id)).certificationHistory as any[];
    expect(steps.slice(0, 4).map((e) => `${e.kind}:${e.toStatus}`)).toEqual(["STATUS_CHANGED:SUBMITTED", "STATUS_CHANGED:CERTIFIED", "STATUS_CHANGED:LISTED", "PRICE_CHANGED:LISTED"]);
    const days = ["2020-02-20", "2020-02-25", "2020-03-01", "2020-06-01"]; // 申报, 认定, 入录, 价格变动
    await setup.database.rows(sql`
      update certification_events e set at = (${sql.raw(`array['${days.join("','")}']`)})[n.i]::date + time '12:00' - interval '8 hours'
      from (select id, row_number() over (order by at, id)::int as i from certification_events where product_id = ${key}::uuid) n
      where e.id = n.id and n.i <= 4`);

    // Listed 2020-03-01 for two years: by 2022-04-01 that listing had expired (the price change did not renew it).
    expect(await countOn("2022-04-01", "EXPIRED")).toBe(expiredBefore + 1);
    expect(await countOn("2022-04-01", "LISTED")).toBe(listedBefore);
    expect(await countOn("2021-04-01", "LISTED")).toBeGreaterThanOrEqual(1);
  });
});
