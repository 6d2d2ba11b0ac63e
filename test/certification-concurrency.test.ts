import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";

// Parallel requests need real connections; PGlite runs one statement at a time.
if (!onPostgres) console.log("certification concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL");

describe.skipIf(!onPostgres)("certification under concurrency (PostgreSQL, parallel HTTP requests)", () => {
  const setup = useTestServer({ config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0", RATE_LIMIT_USER_PER_MINUTE: "0" }) });

  const graphql = async (query: string, variables: Record<string, unknown>, authorization: string) => {
    const response = await fetch(`${setup.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };

  it("lets exactly one of two reviewers acting at once move a product", async () => {
    for (let round = 0; round < 5; round++) {
      const product = await productInState(setup.tdb.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "SUBMITTED");
      const review = `mutation ($id: ID!, $d: ReviewDecision!) { reviewProduct(input: {productId: $id, decision: $d, comment: "并发审核"}) { product { status } userErrors { code } } }`;
      const [a, b] = await Promise.all([
        graphql(review, { id: gid.product(product.id), d: "APPROVE" }, setup.callers.credentials.huayuanReviewer.authorization!),
        graphql(review, { id: gid.product(product.id), d: "REJECT" }, setup.callers.credentials.prefectureReviewer.authorization!),
      ]);
      const outcomes = [a, b].map((r) => (r.data.reviewProduct.userErrors[0]?.code as string | undefined) ?? r.data.reviewProduct.product.status);
      expect(outcomes.filter((o) => o === "INVALID_TRANSITION")).toHaveLength(1);
      const history = (await setup.app.services.certification.historyOf([product.id])).get(product.id)!;
      expect(history.filter((e) => e.fromStatus === "SUBMITTED")).toHaveLength(1);
    }
  });

  it("gives parallel listings distinct catalog numbers", async () => {
    const products = [];
    for (let i = 0; i < 12; i++) products.push(await productInState(setup.tdb.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "CERTIFIED"));
    const list = `mutation ($ids: [ID!]!) { listProducts(input: {productIds: $ids, batch: "并发批次"}) { products { catalogNo } userErrors { code message } } }`;
    const results = await Promise.all(
      products.map((p, i) =>
        graphql(list, { ids: [gid.product(p.id)] }, (i % 2 ? setup.callers.credentials.admin : setup.callers.credentials.prefectureReviewer).authorization!),
      ),
    );
    const numbers = results.map((r) => {
      expect(r.data.listProducts.userErrors).toEqual([]);
      return r.data.listProducts.products[0].catalogNo as string;
    });
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^433124-\d{4}-\d{6}$/);
  });

  it("lists overlapping batches in parallel without deadlock, each product once", async () => {
    const products = [];
    for (let i = 0; i < 6; i++) products.push(await productInState(setup.tdb.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "CERTIFIED"));
    const ids = products.map((p) => gid.product(p.id));
    const list = `mutation ($ids: [ID!]!) { listProducts(input: {productIds: $ids, batch: "交叉批次"}) { products { catalogNo } userErrors { code } } }`;
    const results = await Promise.all([
      graphql(list, { ids }, setup.callers.credentials.admin.authorization!),
      graphql(list, { ids: [...ids].reverse() }, setup.callers.credentials.prefectureReviewer.authorization!),
    ]);
    const succeeded = results.filter((r) => r.data.listProducts.userErrors.length === 0);
    expect(succeeded).toHaveLength(1);
    expect(results.find((r) => r.data.listProducts.userErrors.length > 0).data.listProducts.userErrors[0].code).toBe("NOT_CERTIFIED");
  });
});
