import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { useTestApi } from "./support/api.js";
import { freshUscc, freshUsername, gid, productFields, productInState } from "./support/fixtures.js";
import { frontDoor } from "./support/front-door.js";

/**
 * Issue 12 item 4: who hears of what. Each role acts through GraphQL; every logged-in caller then
 * reads `notifications`, and exactly the right ones find a notice about the object (matched by the ID
 * the API returned), whose `subject` leads back to it. Changes that fail announce nothing.
 */
const setup = useTestApi();
const { read, mutate } = frontDoor(setup);
const as = (caller: CallerName) => setup.callers.credentials[caller];
const LOGGED_IN: CallerName[] = ["admin", "prefectureReviewer", "huayuanReviewer", "baojingReviewer", "ownEnterprise", "otherEnterprise", "officer", "otherOfficer"];
const caizheng = toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng);
let serial = 0;
const unique = (text: string) => `${text}${Date.now().toString(36)}${serial++}`;

const NOTICE = `id kind message read subjectId subject { __typename id ... on Product { name productStatus: status catalogNo } ... on Order { orderStatus: status quantity } ... on Enterprise { name enterpriseStatus: status } }`;

/** A caller's notices about one object (newest first; the newest 100 hold everything a test just did). */
async function noticesAbout(caller: CallerName, subjectId: string): Promise<any[]> {
  const data = await read(`{ notifications(first: 100) { nodes { ${NOTICE} } } }`, undefined, as(caller));
  return data.notifications.nodes.filter((n: { subjectId: string }) => n.subjectId === subjectId);
}

/** Who has heard of an object, and what: `{ caller: [kinds, sorted] }` over every logged-in caller. */
async function heardOf(subjectId: string): Promise<Record<string, string[]>> {
  const heard: Record<string, string[]> = {};
  for (const caller of LOGGED_IN) {
    const kinds = (await noticesAbout(caller, subjectId)).map((n) => n.kind as string).sort();
    if (kinds.length > 0) heard[caller] = kinds;
  }
  return heard;
}

async function latest(caller: CallerName, subjectId: string, kind: string) {
  const notice = (await noticesAbout(caller, subjectId)).find((n) => n.kind === kind);
  expect(notice, `${caller} has no ${kind} about ${subjectId}`).toBeDefined();
  return notice;
}

const newProduct = async (fields: Record<string, unknown> = {}, caller: CallerName = "ownEnterprise") => {
  const name = unique("湘西椪柑");
  const { product } = await mutate("createProduct", { ...productFields, name, ...fields }, "product { id name }", as(caller));
  return product as { id: string; name: string };
};
const submit = (productId: string, caller: CallerName = "ownEnterprise") => mutate("submitProductForCertification", { productId }, "product { status }", as(caller));
const review = (productId: string, decision: "APPROVE" | "REJECT", comment: string | null, caller: CallerName = "huayuanReviewer") =>
  mutate("reviewProduct", { productId, decision, comment }, "product { status }", as(caller));
const versionOf = async (productId: string) => (await read(`query ($id: ID!) { product(id: $id) { version } }`, { id: productId })).product.version as number;

describe("the certification workflow", () => {
  it("tells the origin county's office of a submission, the enterprise of every decision, and the prefecture of what awaits listing", async () => {
    const product = await newProduct();
    expect(await heardOf(product.id)).toEqual({});

    await submit(product.id);
    expect(await heardOf(product.id)).toEqual({ huayuanReviewer: ["PRODUCT_SUBMITTED"] });
    const submitted = await latest("huayuanReviewer", product.id, "PRODUCT_SUBMITTED");
    expect(submitted).toMatchObject({ read: false, subject: { __typename: "Product", id: product.id, name: product.name, productStatus: "SUBMITTED" } });
    expect(submitted.message).toContain(`「${product.name}」`);

    await review(product.id, "APPROVE", "材料齐全，带贫机制真实");
    expect(await heardOf(product.id)).toEqual({
      huayuanReviewer: ["PRODUCT_SUBMITTED"],
      ownEnterprise: ["PRODUCT_CERTIFIED"],
      prefectureReviewer: ["PRODUCT_AWAITING_LISTING"],
    });
    expect((await latest("prefectureReviewer", product.id, "PRODUCT_AWAITING_LISTING")).subject).toMatchObject({ id: product.id, productStatus: "CERTIFIED" });

    const { products } = await mutate("listProducts", { productIds: [product.id], batch: "2020年第三批" }, "products { catalogNo }", as("prefectureReviewer"));
    const listed = await latest("ownEnterprise", product.id, "PRODUCT_LISTED");
    expect(listed.message).toContain(products[0].catalogNo);
    expect(listed.subject).toMatchObject({ productStatus: "LISTED", catalogNo: products[0].catalogNo });

    // A price move within ±20 % of the certified 88.00 is recorded, not announced.
    await mutate("updateProduct", { productId: product.id, expectedVersion: await versionOf(product.id), unitPrice: "95.00" }, "product { status }", as("ownEnterprise"));
    expect(await heardOf(product.id)).toEqual({
      huayuanReviewer: ["PRODUCT_SUBMITTED"],
      ownEnterprise: ["PRODUCT_CERTIFIED", "PRODUCT_LISTED"],
      prefectureReviewer: ["PRODUCT_AWAITING_LISTING"],
    });

    // Beyond the band: back to review; the enterprise is told, and the county's office has it to review again.
    await mutate("updateProduct", { productId: product.id, expectedVersion: await versionOf(product.id), unitPrice: "150.00" }, "product { status }", as("ownEnterprise"));
    expect(await heardOf(product.id)).toEqual({
      huayuanReviewer: ["PRODUCT_SUBMITTED", "PRODUCT_SUBMITTED"],
      ownEnterprise: ["PRODUCT_CERTIFIED", "PRODUCT_LISTED", "PRODUCT_SENT_BACK_TO_REVIEW"],
      prefectureReviewer: ["PRODUCT_AWAITING_LISTING"],
    });
    const sentBack = await latest("ownEnterprise", product.id, "PRODUCT_SENT_BACK_TO_REVIEW");
    expect(sentBack.message).toContain("150.00");
    expect(sentBack.subject.productStatus).toBe("SUBMITTED");

    await review(product.id, "APPROVE", null);
    await mutate("revokeCertification", { productId: product.id, reason: "抽检农残超标" }, "product { status }", as("huayuanReviewer"));
    expect(await heardOf(product.id)).toEqual({
      huayuanReviewer: ["PRODUCT_SUBMITTED", "PRODUCT_SUBMITTED"],
      ownEnterprise: ["PRODUCT_CERTIFIED", "PRODUCT_CERTIFIED", "PRODUCT_LISTED", "PRODUCT_REVOKED", "PRODUCT_SENT_BACK_TO_REVIEW"],
      prefectureReviewer: ["PRODUCT_AWAITING_LISTING", "PRODUCT_AWAITING_LISTING"],
    });
    const revoked = await latest("ownEnterprise", product.id, "PRODUCT_REVOKED");
    expect(revoked.message).toContain("抽检农残超标");
    expect(revoked.subject.productStatus).toBe("REVOKED");
  });

  it("tells the enterprise of a rejection, with the reason", async () => {
    const product = await newProduct();
    await submit(product.id);
    await review(product.id, "REJECT", "缺少质检报告");
    expect(await heardOf(product.id)).toEqual({ huayuanReviewer: ["PRODUCT_SUBMITTED"], ownEnterprise: ["PRODUCT_REJECTED"] });
    expect((await latest("ownEnterprise", product.id, "PRODUCT_REJECTED")).message).toContain("缺少质检报告");
  });

  it("sends a submission to the office of the product's origin county, not the enterprise's", async () => {
    const product = await newProduct({ originCountyCode: "433125", originVillageCode: "433125103201" });
    await submit(product.id);
    expect(await heardOf(product.id)).toEqual({ baojingReviewer: ["PRODUCT_SUBMITTED"] });
  });
});

describe("enterprise registration", () => {
  it("tells the office of the enterprise's county, which follows the subject to the PENDING enterprise", async () => {
    const name = unique("花垣县苗绣农民专业合作社");
    const { enterprise } = await mutate(
      "registerEnterprise",
      { name, uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username: freshUsername("miaoxiu"), password: "miaoxiu-pass-2020" },
      "enterprise { id }",
      as("anonymous"),
    );
    expect(await heardOf(enterprise.id)).toEqual({ huayuanReviewer: ["ENTERPRISE_REGISTERED"] });
    const notice = await latest("huayuanReviewer", enterprise.id, "ENTERPRISE_REGISTERED");
    expect(notice.subject).toEqual({ __typename: "Enterprise", id: enterprise.id, name, enterpriseStatus: "PENDING" });
    expect(notice.message).toContain(name);
  });
});

describe("orders", () => {
  it("tells the supplier of a new order (once, however often it is replayed), the unit of the shipment, the supplier of a refusal", async () => {
    const listed = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { name: unique("十八洞黄桃"), availableSupply: 50 });
    const order = { budgetUnitId: caizheng, productId: gid.product(listed.id), quantity: 3, idempotencyKey: unique("notify-") };
    const placed = (await mutate("reservePurchase", order, "order { id }", as("officer"))).order.id as string;
    expect((await mutate("reservePurchase", order, "order { id }", as("officer"))).order.id).toBe(placed);
    expect(await heardOf(placed)).toEqual({ ownEnterprise: ["ORDER_PLACED"] });
    const notice = await latest("ownEnterprise", placed, "ORDER_PLACED");
    expect(notice.subject).toEqual({ __typename: "Order", id: placed, orderStatus: "RESERVED", quantity: 3 });
    expect(notice.message).toBe(`湘西州财政局订购「${listed.name}」3箱，金额 264.00 元`);

    await mutate("markShipped", { orderId: placed }, "order { id }", as("ownEnterprise"));
    expect(await heardOf(placed)).toEqual({ ownEnterprise: ["ORDER_PLACED"], officer: ["ORDER_SHIPPED"] });
    expect((await latest("officer", placed, "ORDER_SHIPPED")).subject).toMatchObject({ id: placed, orderStatus: "SHIPPED" });

    await mutate("rejectDelivery", { orderId: placed, reason: "到货黄桃部分腐烂" }, "order { id }", as("officer"));
    expect(await heardOf(placed)).toEqual({ ownEnterprise: ["DELIVERY_REJECTED", "ORDER_PLACED"], officer: ["ORDER_SHIPPED"] });
    const refused = await latest("ownEnterprise", placed, "DELIVERY_REJECTED");
    expect(refused.message).toContain("到货黄桃部分腐烂");
    expect(refused.subject.orderStatus).toBe("REJECTED");
  });
});

describe("nothing is announced that did not commit", () => {
  const count = async (caller: CallerName, kind: string) =>
    (await read(`{ notifications(first: 100) { nodes { kind } } }`, undefined, as(caller))).notifications.nodes.filter((n: { kind: string }) => n.kind === kind).length;

  it("a listing refused for one product of the batch announces none of it (the notices written before the refusal roll back)", async () => {
    const admin = setup.callers.admin;
    const draft = await productInState(setup.database, setup.api.services, admin, setup.callers.ownEnterpriseId, "DRAFT");
    // A certified product processed before the draft (listing goes in id order), so its notice is written, then rolled back.
    let certified = await productInState(setup.database, setup.api.services, admin, setup.callers.ownEnterpriseId, "CERTIFIED");
    for (let tries = 0; certified.id > draft.id && tries < 30; tries++) {
      certified = await productInState(setup.database, setup.api.services, admin, setup.callers.ownEnterpriseId, "CERTIFIED");
    }
    expect(certified.id < draft.id).toBe(true);
    const before = await heardOf(gid.product(certified.id));
    const result = await setup.api.run(`mutation ($input: ListProductsInput!) { listProducts(input: $input) { products { id } userErrors { code } } }`, {
      input: { productIds: [gid.product(certified.id), gid.product(draft.id)], batch: "2020年第四批" },
    }, as("prefectureReviewer"));
    expect(result.data.listProducts.userErrors).toEqual([{ code: "NOT_CERTIFIED" }]);
    expect(await heardOf(gid.product(certified.id))).toEqual(before);
    expect(before.ownEnterprise).toEqual(["PRODUCT_CERTIFIED"]);
  });

  it("an order refused for want of supply announces nothing", async () => {
    const listed = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: 2 });
    const before = await count("ownEnterprise", "ORDER_PLACED");
    const result = await setup.api.run(`mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id } userErrors { code } } }`, {
      input: { budgetUnitId: caizheng, productId: gid.product(listed.id), quantity: 3, idempotencyKey: unique("short-") },
    }, as("officer"));
    expect(result.data.reservePurchase.userErrors).toEqual([{ code: "INSUFFICIENT_SUPPLY" }]);
    expect(await count("ownEnterprise", "ORDER_PLACED")).toBe(before);
  });

  it("a registration whose user cannot be created (username taken) announces no enterprise", async () => {
    const before = await count("huayuanReviewer", "ENTERPRISE_REGISTERED");
    const name = unique("花垣县重名注册企业");
    const result = await setup.api.run(`mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id } userErrors { code } } }`, {
      input: { name, uscc: freshUscc(), kind: "OTHER", countyCode: "433124", username: "shibadong_fruit", password: "duplicate-pass-2020" },
    });
    expect(result.data.registerEnterprise.userErrors).toHaveLength(1);
    expect(await count("huayuanReviewer", "ENTERPRISE_REGISTERED")).toBe(before);
    const messages = (await read(`{ notifications(first: 100) { nodes { message } } }`, undefined, as("huayuanReviewer"))).notifications.nodes;
    expect(messages.filter((n: { message: string }) => n.message.includes(name))).toEqual([]);
  });
});
