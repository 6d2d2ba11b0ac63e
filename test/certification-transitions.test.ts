import { describe, expect, it } from "vitest";
import { useTestApi } from "./support/api.js";
import { gid, productInState } from "./support/fixtures.js";

const setup = useTestApi();

type State = "DRAFT" | "SUBMITTED" | "CERTIFIED" | "REJECTED" | "LISTED" | "REVOKED" | "EXPIRED";
const states: State[] = ["DRAFT", "SUBMITTED", "CERTIFIED", "REJECTED", "LISTED", "REVOKED", "EXPIRED"];

const steps = {
  submit: {
    legalFrom: ["DRAFT", "REJECTED", "EXPIRED"],
    to: "SUBMITTED",
    query: `mutation ($id: ID!) { r: submitProductForCertification(input: {productId: $id}) { product { status } userErrors { code message } } }`,
  },
  approve: {
    legalFrom: ["SUBMITTED"],
    to: "CERTIFIED",
    query: `mutation ($id: ID!) { r: reviewProduct(input: {productId: $id, decision: APPROVE}) { product { status } userErrors { code message } } }`,
  },
  reject: {
    legalFrom: ["SUBMITTED"],
    to: "REJECTED",
    query: `mutation ($id: ID!) { r: reviewProduct(input: {productId: $id, decision: REJECT, comment: "价格高于同类产品均价"}) { product { status } userErrors { code message } } }`,
  },
  list: {
    legalFrom: ["CERTIFIED"],
    to: "LISTED",
    query: `mutation ($id: ID!) { r: listProducts(input: {productIds: [$id], batch: "2020年第五批"}) { products { status } userErrors { code message } } }`,
  },
  revoke: {
    legalFrom: ["CERTIFIED", "LISTED", "EXPIRED"],
    to: "REVOKED",
    query: `mutation ($id: ID!) { r: revokeCertification(input: {productId: $id, reason: "抽检不合格"}) { product { status } userErrors { code message } } }`,
  },
} as const;

const cells = Object.entries(steps).flatMap(([step, rule]) =>
  states.map((state) => [step, state, (rule.legalFrom as readonly string[]).includes(state)] as const),
);

describe("certification state machine: every step from every state", () => {
  it.each(cells)("%s from %s → allowed: %s", async (step, state, allowed) => {
    const rule = steps[step as keyof typeof steps];
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, state);
    const result = await setup.api.run(rule.query, { id: gid.product(product.id) }, setup.callers.credentials.admin);
    expect(result.errors).toBeUndefined();
    const [after] = await setup.api.services.catalog.productsByIds([product.id]);
    if (allowed) {
      expect(result.data.r.userErrors).toEqual([]);
      expect(after!.status).toBe(rule.to);
      expect(after!.version).toBe(product.version + 1);
    } else {
      const code = step === "list" ? "NOT_CERTIFIED" : "INVALID_TRANSITION";
      expect(result.data.r.userErrors.map((e: { code: string }) => e.code)).toEqual([code]);
      expect(after!.status).toBe(product.status);
      expect(after!.version).toBe(product.version);
      const history = await setup.api.services.certification.historyOf([product.id]);
      const events = history.get(product.id)!;
      expect(events.at(-1)?.toStatus ?? "DRAFT").toBe(product.status);
    }
  });

  it("lists all of a batch or none of it", async () => {
    const good = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "CERTIFIED");
    const draft = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "DRAFT");
    const result = await setup.api.run(steps.list.query.replace("[$id]", "$ids").replace("$id: ID!", "$ids: [ID!]!"), { ids: [gid.product(good.id), gid.product(draft.id)] }, setup.callers.credentials.admin);
    expect(result.data.r.userErrors[0]).toMatchObject({ code: "NOT_CERTIFIED" });
    const [after] = await setup.api.services.catalog.productsByIds([good.id]);
    expect(after).toMatchObject({ status: "CERTIFIED", catalogNo: null });
  });

  it("refuses a listing by a county reviewer (入录 is the prefecture's)", async () => {
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "CERTIFIED");
    const result = await setup.api.run(steps.list.query, { id: gid.product(product.id) }, setup.callers.credentials.huayuanReviewer);
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
