import { describe, expect, it } from "vitest";
import { usccCheckCharacter } from "../src/modules/enterprises/index.js";
import { useTestApi } from "./support/api.js";
import { businessToday, businessYear } from "../src/clock.js";

const setup = useTestApi();

const PRODUCT = "id name status version catalogNo batch validFrom validUntil unitPrice certificationHistory { fromStatus toStatus comment actor { username } }";

async function ok(query: string, variables: Record<string, unknown>, credentials = {}) {
  const result = await setup.api.run(query, variables, credentials);
  expect(result.errors).toBeUndefined();
  const payload = Object.values(result.data as object)[0] as { userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
  return payload as any;
}

describe("certification workflow through GraphQL (申报 → 认定 → 入录 → 撤销)", () => {
  it("runs from registration to revocation", async () => {
    const uscc17 = "93433124MA4QX7T2K";
    const register = await ok(
      `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id status name } user { username role } userErrors { code message field } } }`,
      { input: { name: "花垣县十八洞村腊肉加工专业合作社", uscc: uscc17 + usccCheckCharacter(uscc17), kind: "COOPERATIVE", countyCode: "433124", username: "shibadong_larou", password: "larou-password-2020" } },
    );
    expect(register.enterprise.status).toBe("PENDING");
    const enterpriseId = register.enterprise.id;

    const login = await ok(`mutation { login(input: {username: "shibadong_larou", password: "larou-password-2020"}) { token viewer { user { username role enterprise { name } } } userErrors { code } } }`, {});
    const me = { authorization: `Bearer ${login.token}` };
    expect(login.viewer.user.enterprise.name).toBe("花垣县十八洞村腊肉加工专业合作社");

    const create = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { ${PRODUCT} } userErrors { code message field } } }`;
    const input = { name: "十八洞腊肉", category: "MEAT_POULTRY_EGG", spec: "500克/袋", unit: "袋", unitPrice: "78.00", originCountyCode: "433124", originVillageCode: "433124103201", annualSupplyCapacity: 5000, availableSupply: 800 };
    const pending = await setup.api.run(create, { input }, me);
    expect(pending.data.createProduct.userErrors[0].message).toMatch(/PENDING, not VERIFIED/);

    await ok(`mutation ($id: ID!) { verifyEnterprise(input: {enterpriseId: $id}) { enterprise { status } userErrors { code } } }`, { id: enterpriseId }, setup.callers.credentials.huayuanReviewer);
    const created = await ok(create, { input }, me);
    const productId = created.product.id;
    expect(created.product.status).toBe("DRAFT");

    const submit = `mutation ($id: ID!) { submitProductForCertification(input: {productId: $id}) { product { ${PRODUCT} } userErrors { code message } } }`;
    const review = `mutation ($id: ID!, $d: ReviewDecision!, $c: String) { reviewProduct(input: {productId: $id, decision: $d, comment: $c}) { product { ${PRODUCT} } userErrors { code message field } } }`;
    await ok(submit, { id: productId }, me);

    const noComment = await setup.api.run(review, { id: productId, d: "REJECT" }, setup.callers.credentials.huayuanReviewer);
    expect(noComment.data.reviewProduct.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "comment"] });
    const rejected = await ok(review, { id: productId, d: "REJECT", c: "缺少带贫机制证明材料" }, setup.callers.credentials.huayuanReviewer);
    expect(rejected.product.status).toBe("REJECTED");

    await ok(submit, { id: productId }, me);
    const certified = await ok(review, { id: productId, d: "APPROVE", c: "材料齐全" }, setup.callers.credentials.huayuanReviewer);
    expect(certified.product.status).toBe("CERTIFIED");

    const list = `mutation ($ids: [ID!]!) { listProducts(input: {productIds: $ids, batch: "2020年第三批"}) { products { ${PRODUCT} } userErrors { code message field } } }`;
    const listed = (await ok(list, { ids: [productId] }, setup.callers.credentials.prefectureReviewer)).products[0];
    const year = businessYear();
    expect(listed).toMatchObject({ status: "LISTED", batch: "2020年第三批", validFrom: businessToday() });
    expect(listed.catalogNo).toMatch(new RegExp(`^433124-${year}-\\d{6}$`));
    const inCatalog = await setup.api.run(`query ($no: String!) { productByCatalogNo(catalogNo: $no) { name } }`, { no: listed.catalogNo });
    expect(inCatalog.data.productByCatalogNo.name).toBe("十八洞腊肉");

    const update = `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { ${PRODUCT} } userErrors { code message field } } }`;
    const repriced = await ok(update, { input: { productId, expectedVersion: listed.version, unitPrice: "75.00", availableSupply: 900 } }, me);
    expect(repriced.product).toMatchObject({ status: "LISTED", unitPrice: "75.00" });

    const stale = await setup.api.run(update, { input: { productId, expectedVersion: listed.version, unitPrice: "70.00" } }, me);
    expect(stale.data.updateProduct.userErrors[0].code).toBe("STALE_VERSION");

    const renamed = await ok(update, { input: { productId, expectedVersion: repriced.product.version, name: "十八洞柴火腊肉" } }, me);
    expect(renamed.product.status).toBe("SUBMITTED");
    expect((await setup.api.run(`query ($no: String!) { productByCatalogNo(catalogNo: $no) { name } }`, { no: listed.catalogNo })).data.productByCatalogNo).toBeNull();

    await ok(review, { id: productId, d: "APPROVE" }, setup.callers.credentials.prefectureReviewer);
    const relisted = (await ok(list, { ids: [productId] }, setup.callers.credentials.admin)).products[0];
    expect(relisted.catalogNo).toBe(listed.catalogNo); // catalog numbers are stable

    const revoked = await ok(
      `mutation ($id: ID!) { revokeCertification(input: {productId: $id, reason: "食品安全抽检不合格"}) { product { ${PRODUCT} } userErrors { code } } }`,
      { id: productId },
      setup.callers.credentials.huayuanReviewer,
    );
    expect(revoked.product.status).toBe("REVOKED");
    expect(revoked.product.certificationHistory.map((e: any) => `${e.fromStatus}→${e.toStatus}`)).toEqual([
      "DRAFT→SUBMITTED",
      "SUBMITTED→REJECTED",
      "REJECTED→SUBMITTED",
      "SUBMITTED→CERTIFIED",
      "CERTIFIED→LISTED",
      "LISTED→LISTED", // the price change within the band (PRICE_CHANGED)
      "LISTED→SUBMITTED",
      "SUBMITTED→CERTIFIED",
      "CERTIFIED→LISTED",
      "LISTED→REVOKED",
    ]);
    expect(revoked.product.certificationHistory[1]).toMatchObject({ comment: "缺少带贫机制证明材料", actor: { username: "huayuan_reviewer" } });
    expect(revoked.product.certificationHistory.at(-1).comment).toBe("食品安全抽检不合格");
  });
});
