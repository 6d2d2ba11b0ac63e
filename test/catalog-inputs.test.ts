import { describe, expect, it } from "vitest";
import { catalogRows, demoRows } from "./support/catalog-expectations.js";
import { errorCodes, useTestApi } from "./support/api.js";
import { productInState } from "./support/fixtures.js";
import { frontDoor } from "./support/front-door.js";

/**
 * Inputs of the catalog, enterprises and certification, decided at the edge (issue 8): explicit null
 * equals absent in optional fields, IDs are the API's own, and an ID of nothing is a NOT_FOUND userError.
 */

const setup = useTestApi();
const { read, mutate } = frontDoor(setup);
let serial = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${serial++}`;

const NOWHERE_PRODUCT = Buffer.from("Product:00000000-0000-4000-8000-000000000000").toString("base64url");
const NOWHERE_ENTERPRISE = Buffer.from("Enterprise:00000000-0000-4000-8000-000000000000").toString("base64url");

describe("explicit null in optional filter fields equals absent", () => {
  it("CatalogFilter", async () => {
    const filter = { search: null, countyCode: null, category: null, enterpriseId: null, minPrice: null, maxPrice: null, updatedSince: null };
    const result = await setup.api.run(`query ($f: CatalogFilter) { catalog(filter: $f) { totalCount } }`, { f: filter });
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.totalCount).toBe(catalogRows.length);
  });

  it("EnterpriseFilter", async () => {
    const result = await setup.api.run(`query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }`, { f: { countyCode: null, kind: null, status: null, search: null } });
    expect(result.errors).toBeUndefined();
    // Anonymous: the VERIFIED enterprises only (the public sees no PENDING or SUSPENDED one).
    expect(result.data.enterprises.totalCount).toBe(demoRows.enterprises.filter((e) => e.status === "VERIFIED").length);
  });

  it("ProductFilter", async () => {
    const all = await read(`{ products { totalCount } }`);
    const nulls = await read(`query ($f: ProductFilter) { products(filter: $f) { totalCount } }`, { f: { status: null, countyCode: null, enterpriseId: null, search: null } });
    expect(nulls.products.totalCount).toBe(all.products.totalCount);
  });

  it("divisions(parentCode: null, level: null)", async () => {
    const all = await read(`{ divisions { totalCount } }`);
    expect((await read(`{ divisions(parentCode: null, level: null) { totalCount } }`)).divisions.totalCount).toBe(all.divisions.totalCount);
  });
});

describe("IDs in the catalog's filters and queries", () => {
  it("filters by the enterprise ID the API returns, and finds nothing for an ID of nothing", async () => {
    const enterprise = (await read(`{ enterprises(first: 1, filter: {search: "苗汉子"}) { nodes { id } } }`)).enterprises.nodes[0];
    const own = await read(`query ($e: ID) { catalog(filter: {enterpriseId: $e}) { totalCount } products(filter: {enterpriseId: $e}) { totalCount } }`, { e: enterprise.id });
    expect(own.catalog.totalCount).toBeGreaterThan(0);
    expect(own.products.totalCount).toBeGreaterThanOrEqual(own.catalog.totalCount);
    const none = await read(`query ($e: ID) { catalog(filter: {enterpriseId: $e}) { totalCount } products(filter: {enterpriseId: $e}) { totalCount } }`, { e: NOWHERE_ENTERPRISE });
    expect(none).toEqual({ catalog: { totalCount: 0 }, products: { totalCount: 0 } });
  });

  it.each([
    ["an empty string", ""],
    ["a malformed ID", "not-an-id"],
    ["another type's ID", NOWHERE_PRODUCT],
  ])("refuses %s as filter.enterpriseId with BAD_USER_INPUT", async (_name, id) => {
    const result = await setup.api.run(`query ($e: ID) { catalog(filter: {enterpriseId: $e}) { totalCount } }`, { e: id });
    expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors![0]!.message).toContain("filter.enterpriseId");
  });

  it("answers product(id:) with null for an ID of nothing and BAD_USER_INPUT for a malformed one", async () => {
    expect((await read(`query ($id: ID!) { product(id: $id) { id } }`, { id: NOWHERE_PRODUCT })).product).toBeNull();
    const malformed = await setup.api.run(`{ product(id: "not-an-id") { id } }`);
    expect(errorCodes(malformed)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("product edits", () => {
  const NEW = { name: "十八洞野生蕨菜", category: "VEGETABLE", spec: "250克/袋", unit: "袋", unitPrice: "26.00", originCountyCode: "433124" };

  it("creates for the enterprise ID the API returns; an ID of nothing is a NOT_FOUND userError naming the field", async () => {
    const enterprise = (await read(`{ enterprises(first: 1, filter: {search: "苗汉子"}) { nodes { id } } }`)).enterprises.nodes[0];
    const created = await mutate("createProduct", { ...NEW, enterpriseId: enterprise.id, brand: null, description: null }, "product { status brand enterprise { id } }");
    expect(created.product).toEqual({ status: "DRAFT", brand: null, enterprise: { id: enterprise.id } });
    const nowhere = await setup.api.run(
      `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code field } } }`,
      { input: { ...NEW, enterpriseId: NOWHERE_ENTERPRISE } },
      setup.callers.credentials.admin,
    );
    expect(nowhere.data.createProduct).toEqual({ product: null, userErrors: [{ code: "NOT_FOUND", field: ["input", "enterpriseId"] }] });
  });

  it("treats null as unchanged for required fields and as cleared for brand, village and description", async () => {
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "DRAFT", {
      name: unique("蕨菜"),
      brand: "十八洞",
      originVillageCode: "433124103201",
      description: "野生",
    });
    const id = (await read(`query ($s: String) { products(filter: {search: $s}) { nodes { id } } }`, { s: product.name })).products.nodes[0].id;
    const updated = await mutate(
      "updateProduct",
      { productId: id, expectedVersion: product.version, name: null, unitPrice: null, brand: null, originVillageCode: null, description: null },
      "product { name unitPrice brand originVillage { code } description version }",
    );
    expect(updated.product).toEqual({ name: product.name, unitPrice: product.unitPrice, brand: null, originVillage: null, description: null, version: product.version + 1 });
  });
});

describe("certification inputs", () => {
  it.each([
    ["submitProductForCertification", "SubmitProductForCertificationInput", {}],
    ["reviewProduct", "ReviewProductInput", { decision: "APPROVE" }],
    ["revokeCertification", "RevokeCertificationInput", { reason: "抽检不合格" }],
  ])("%s: a product ID of nothing is a NOT_FOUND userError naming the field", async (field, type, rest) => {
    const result = await setup.api.run(
      `mutation ($input: ${type}!) { ${field}(input: $input) { product { id } userErrors { code field } } }`,
      { input: { productId: NOWHERE_PRODUCT, ...rest } },
      setup.callers.credentials.admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data[field]).toEqual({ product: null, userErrors: [{ code: "NOT_FOUND", field: ["input", "productId"] }] });
  });

  it("listProducts: names the position of a product ID of nothing", async () => {
    const certified = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "CERTIFIED", { name: unique("椪柑") });
    const id = (await read(`query ($s: String) { products(filter: {search: $s, status: CERTIFIED}) { nodes { id } } }`, { s: certified.name })).products.nodes[0].id;
    const result = await setup.api.run(
      `mutation ($input: ListProductsInput!) { listProducts(input: $input) { products { id } userErrors { code field } } }`,
      { input: { productIds: [id, NOWHERE_PRODUCT], batch: "2020年第六批" } },
      setup.callers.credentials.admin,
    );
    expect(result.data.listProducts).toEqual({ products: null, userErrors: [{ code: "NOT_FOUND", field: ["input", "productIds", "1"] }] });
  });

  it("reviewProduct: a null comment is no comment (a rejection then asks for one)", async () => {
    const submitted = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "SUBMITTED", { name: unique("莓茶") });
    const id = (await read(`query ($s: String) { products(filter: {search: $s}) { nodes { id } } }`, { s: submitted.name })).products.nodes[0].id;
    const result = await setup.api.run(
      `mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: REJECT, comment: null}) { product { id } userErrors { code field } } }`,
      { id },
      setup.callers.credentials.admin,
    );
    expect(result.data.reviewProduct.userErrors).toEqual([{ code: "INVALID", field: ["input", "comment"] }]);
  });
});
