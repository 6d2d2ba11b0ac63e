import { beforeAll, describe, expect, it } from "vitest";
import type { CallerName } from "./support/actors.js";
import { useTestApi } from "./support/api.js";
import { frontDoor } from "./support/front-door.js";
import { freshUscc, freshUsername, gid, productInState } from "./support/fixtures.js";

/**
 * Issue 9 item 4: usernames are not public. A certification step shows everyone the role and a
 * reviewer's office; the username only staff, the person itself and its own enterprise's users
 * (certification.policy.ts). registerEnterprise's DUPLICATE names no account.
 */
const setup = useTestApi();
const { mutate } = frontDoor(setup);

const HISTORY = `query ($id: ID!) { node(id: $id) { ... on Product { certificationHistory { fromStatus toStatus actor { username } performedBy { role username office { code name } } } } } }`;
let productId = "";

beforeAll(async () => {
  const draft = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "DRAFT", { name: `公开审核人测试-${Date.now()}` });
  productId = gid.product(draft.id);
  const { credentials } = setup.callers;
  await mutate("submitProductForCertification", { productId }, "product { status }", credentials.ownEnterprise);
  await mutate("reviewProduct", { productId, decision: "APPROVE", comment: "材料齐全" }, "product { status }", credentials.huayuanReviewer);
  await mutate("listProducts", { productIds: [productId], batch: "2020年第九批" }, "products { status }", credentials.prefectureReviewer);
});

async function historyAs(caller: CallerName) {
  const result = await setup.api.run(HISTORY, { id: productId }, setup.callers.credentials[caller]);
  expect(result.errors).toBeUndefined();
  const steps = result.data.node.certificationHistory as any[];
  return { steps, json: JSON.stringify(result.data), step: (to: string) => steps.find((s) => s.toStatus === to) };
}

describe("who took a certification step, as each caller may know it", () => {
  it.each(["anonymous", "partner", "otherEnterprise"] as const)("as %s: role and office, never a username", async (caller) => {
    const { steps, json, step } = await historyAs(caller);
    expect(steps.map((s) => `${s.fromStatus}→${s.toStatus}`)).toEqual(["DRAFT→SUBMITTED", "SUBMITTED→CERTIFIED", "CERTIFIED→LISTED"]);
    expect(step("SUBMITTED").performedBy).toEqual({ role: "ENTERPRISE", username: null, office: null });
    expect(step("CERTIFIED").performedBy).toEqual({ role: "REVIEWER", username: null, office: { code: "433124", name: "花垣县" } });
    expect(step("LISTED").performedBy).toEqual({ role: "REVIEWER", username: null, office: { code: "433100", name: "湘西土家族苗族自治州" } });
    for (const s of steps) expect(s.actor).toBeNull();
    expect(json).not.toMatch(/shibadong_fruit|huayuan_reviewer|zhou_reviewer/);
  });

  it("as the product's own enterprise: its own user's name, not the reviewers'", async () => {
    const { step } = await historyAs("ownEnterprise");
    expect(step("SUBMITTED").performedBy).toMatchObject({ role: "ENTERPRISE", username: "shibadong_fruit" });
    expect(step("SUBMITTED").actor).toEqual({ username: "shibadong_fruit" });
    expect(step("CERTIFIED").performedBy).toMatchObject({ role: "REVIEWER", username: null });
    expect(step("CERTIFIED").actor).toBeNull();
  });

  it.each(["admin", "huayuanReviewer", "baojingReviewer", "officer"] as const)("as staff (%s): usernames", async (caller) => {
    const { step } = await historyAs(caller);
    expect(step("SUBMITTED").performedBy.username).toBe("shibadong_fruit");
    expect(step("CERTIFIED").performedBy).toMatchObject({ username: "huayuan_reviewer", office: { code: "433124" } });
    expect(step("LISTED").performedBy.username).toBe("zhou_reviewer");
  });
});

describe("registerEnterprise with a taken username", () => {
  it("is DUPLICATE on username without naming any account, and registers nothing", async () => {
    const REGISTER = `mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id } user { username } userErrors { code message field } } }`;
    const name = `重名测试合作社${freshUsername("x")}`;
    for (const username of ["huayuan_reviewer", "HUAYUAN_REVIEWER"]) {
      const input = { name, uscc: freshUscc(), kind: "COOPERATIVE", countyCode: "433124", username, password: "register-pass-2020" };
      const result = await setup.api.run(REGISTER, { input });
      expect(result.errors).toBeUndefined();
      const payload = result.data.registerEnterprise;
      expect(payload.enterprise).toBeNull();
      expect(payload.userErrors).toHaveLength(1);
      expect(payload.userErrors[0]).toMatchObject({ code: "DUPLICATE", field: ["input", "username"] });
      expect(payload.userErrors[0].message.toLowerCase()).not.toContain("huayuan");
    }
    const listed = await setup.api.run(`query ($s: String) { enterprises(filter: {search: $s}) { totalCount } }`, { s: name }, setup.callers.credentials.admin);
    expect(listed.errors ?? listed.data.enterprises.totalCount).toBe(0);
  });
});
