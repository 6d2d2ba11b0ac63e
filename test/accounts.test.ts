import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { freshUsername } from "./support/fixtures.js";

/**
 * Accounts, API keys and the audit log through the front door, with the IDs the API itself returns
 * (issue 8: createUser took a budget unit's global ID into SQL undecoded).
 */
const setup = useTestApi();
const admin = () => setup.callers.credentials.admin;

const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id username role } userErrors { code message field } } }`;
const LOGIN = `mutation ($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { code } } }`;
const nothing = (type: Parameters<typeof toGlobalId>[0]) => toGlobalId(type, randomUUID());

async function budgetUnitId(name: string): Promise<string> {
  const result = await setup.api.run(`{ budgetUnits(first: 100) { nodes { id name } } }`, {}, admin());
  expect(result.errors).toBeUndefined();
  return result.data.budgetUnits.nodes.find((n: { name: string }) => n.name === name).id;
}

async function enterpriseId(): Promise<string> {
  const result = await setup.api.run(`{ enterprises(first: 1) { nodes { id } } }`, {}, admin());
  return result.data.enterprises.nodes[0].id;
}

async function loginAs(username: string, password: string): Promise<Credentials> {
  const login = await setup.api.run(LOGIN, { u: username, p: password });
  expect(login.data.login.userErrors).toEqual([]);
  return { authorization: `Bearer ${login.data.login.token}` };
}

describe("createUser with the IDs the API returns", () => {
  it("creates an officer for the budget unit `budgetUnits` lists, who logs in and sees its unit's quotas", async () => {
    const unitId = await budgetUnitId("花垣县民族中学");
    const username = freshUsername("officer");
    const created = await setup.api.run(CREATE_USER, { input: { username, password: "officer-pass-2020", role: "OFFICER", budgetUnitId: unitId } }, admin());
    expect(created.errors).toBeUndefined();
    expect(created.data.createUser.userErrors).toEqual([]);
    expect(created.data.createUser.user).toMatchObject({ username, role: "OFFICER" });

    const officer = await loginAs(username, "officer-pass-2020");
    const me = await setup.api.run(`{ viewer { user { id username role } } }`, {}, officer);
    expect(me.data.viewer.user).toEqual({ id: created.data.createUser.user.id, username, role: "OFFICER" });
    const quotas = await setup.api.run(`query ($id: ID!) { quotas(filter: {budgetUnitId: $id}) { budgetUnit { id } } }`, { id: unitId }, officer);
    expect(quotas.errors).toBeUndefined();
    for (const quota of quotas.data.quotas) expect(quota.budgetUnit.id).toBe(unitId);
  });

  it("creates an enterprise user for an enterprise `enterprises` lists", async () => {
    const username = freshUsername("ent");
    const created = await setup.api.run(CREATE_USER, { input: { username, password: "enterprise-pass-2020", role: "ENTERPRISE", enterpriseId: await enterpriseId() } }, admin());
    expect(created.data.createUser.userErrors).toEqual([]);
  });

  it.each([
    ["budgetUnitId", "OFFICER"],
    ["enterpriseId", "ENTERPRISE"],
  ])("refuses a malformed, empty or other-type %s with BAD_USER_INPUT naming the field", async (field, role) => {
    const otherType = field === "budgetUnitId" ? await enterpriseId() : await budgetUnitId("湘西州财政局");
    for (const bad of ["not-an-id", "", toGlobalId("Division", "433124"), otherType]) {
      const result = await setup.api.run(CREATE_USER, { input: { username: freshUsername("bad"), password: "bad-id-pass-2020", role, [field]: bad } }, admin());
      expect(errorCodes(result), `${field} = ${JSON.stringify(bad)}`).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors![0]!.message).toContain(`input.${field}`);
    }
  });

  it.each([
    ["budgetUnitId", "OFFICER", "BudgetUnit"],
    ["enterpriseId", "ENTERPRISE", "Enterprise"],
  ] as const)("answers a well-formed %s of nothing with a NOT_FOUND userError naming the field", async (field, role, type) => {
    const username = freshUsername("ghost");
    const result = await setup.api.run(CREATE_USER, { input: { username, password: "ghost-pass-2020", role, [field]: nothing(type) } }, admin());
    expect(result.errors).toBeUndefined();
    expect(result.data.createUser).toMatchObject({ user: null, userErrors: [{ code: "NOT_FOUND", field: ["input", field] }] });
    expect((await setup.api.run(LOGIN, { u: username, p: "ghost-pass-2020" })).data.login.userErrors[0].code).toBe("INVALID_CREDENTIALS");
  });

  it("answers a division that is not a county or the prefecture with an INVALID userError", async () => {
    for (const divisionCode of ["999999", "433199"]) {
      const result = await setup.api.run(CREATE_USER, { input: { username: freshUsername("rev"), password: "reviewer-pass-2020", role: "REVIEWER", divisionCode } }, admin());
      expect(result.errors).toBeUndefined();
      expect(result.data.createUser.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "divisionCode"] })]);
    }
    const prefecture = await setup.api.run(CREATE_USER, { input: { username: freshUsername("rev"), password: "reviewer-pass-2020", role: "REVIEWER", divisionCode: "433100" } }, admin());
    expect(prefecture.data.createUser.userErrors).toEqual([]);
  });

  it("has the service answer a reference to nothing with NOT_FOUND too (for callers that skip the edge)", async () => {
    const attempt = setup.api.services.accounts.createUser(setup.callers.admin, { username: freshUsername("direct"), password: "direct-pass-2020", role: "OFFICER", budgetUnitId: randomUUID() });
    await expect(attempt).rejects.toMatchObject({ code: "NOT_FOUND", field: ["input", "budgetUnitId"] });
  });

  it("treats explicit nulls like absent fields", async () => {
    const result = await setup.api.run(
      CREATE_USER,
      { input: { username: freshUsername("adm"), password: "admin-pass-2020", role: "ADMIN", divisionCode: null, enterpriseId: null, budgetUnitId: null } },
      admin(),
    );
    expect(result.data.createUser.userErrors).toEqual([]);
  });
});

describe("disableUser and revokeApiKey with IDs of nothing", () => {
  it("answers disableUser for a well-formed ID of no user with NOT_FOUND, and a foreign ID with BAD_USER_INPUT", async () => {
    const DISABLE = `mutation ($id: ID!) { disableUser(input: {userId: $id}) { user { id } userErrors { code field } } }`;
    const missing = await setup.api.run(DISABLE, { id: nothing("User") }, admin());
    expect(missing.data.disableUser.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "userId"] }]);
    const foreign = await setup.api.run(DISABLE, { id: await enterpriseId() }, admin());
    expect(errorCodes(foreign)).toEqual(["BAD_USER_INPUT"]);
  });

  it("answers revokeApiKey for a well-formed ID of no key with NOT_FOUND (ApiKey is no Node: the service checks)", async () => {
    const REVOKE = `mutation ($id: ID!) { revokeApiKey(input: {apiKeyId: $id}) { apiKey { id } userErrors { code field } } }`;
    const missing = await setup.api.run(REVOKE, { id: nothing("ApiKey") }, admin());
    expect(missing.errors).toBeUndefined();
    expect(missing.data.revokeApiKey.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "apiKeyId"] }]);
    const malformed = await setup.api.run(REVOKE, { id: "fpk_secret" }, admin());
    expect(errorCodes(malformed)).toEqual(["BAD_USER_INPUT"]);
    const created = await setup.api.run(`mutation { createApiKey(input: {name: "短期", partnerName: "测试平台", scopes: [CATALOG_READ]}) { apiKey { id } } }`, {}, admin());
    const revoked = await setup.api.run(REVOKE, { id: created.data.createApiKey.apiKey.id }, admin());
    expect(revoked.data.revokeApiKey.userErrors).toEqual([]);
  });
});

describe("who sees a user (admins all, a user itself)", () => {
  const NODE = `query ($id: ID!) { node(id: $id) { ... on User { username } } }`;

  it("by node(id:)", async () => {
    const me = await setup.api.run(`{ viewer { user { id username } } }`, {}, setup.callers.credentials.huayuanReviewer);
    const { id, username } = me.data.viewer.user;
    expect((await setup.api.run(NODE, { id }, setup.callers.credentials.huayuanReviewer)).data.node).toEqual({ username });
    expect((await setup.api.run(NODE, { id }, admin())).data.node).toEqual({ username });
    for (const caller of ["prefectureReviewer", "ownEnterprise", "officer", "partner", "anonymous"] as const) {
      expect((await setup.api.run(NODE, { id }, setup.callers.credentials[caller])).data.node, caller).toBeNull();
    }
  });
});

describe("the audit log filter", () => {
  const LOG = `query ($filter: AuditLogFilter) { auditLog(first: 50, filter: $filter) { totalCount nodes { entityType entityId operation actor { username } } } }`;

  it("finds an entity's entries by its global ID, of any type", async () => {
    const username = freshUsername("audited");
    const created = await setup.api.run(CREATE_USER, { input: { username, password: "audited-pass-2020", role: "ADMIN" } }, admin());
    const userId = created.data.createUser.user.id;
    const log = await setup.api.run(LOG, { filter: { entityId: userId, entityType: "Product" } }, admin());
    expect(log.errors).toBeUndefined();
    expect(log.data.auditLog.nodes).toEqual([{ entityType: "User", entityId: userId, operation: "createUser", actor: { username: "admin" } }]);
    const byActor = await setup.api.run(LOG, { filter: { actorUserId: userId } }, admin());
    expect(byActor.data.auditLog.totalCount).toBe(0);
    const nulls = await setup.api.run(LOG, { filter: { entityId: null, actorUserId: null, entityType: null, operation: null, from: null, to: null } }, admin());
    expect(nulls.errors).toBeUndefined();
  });

  it("refuses a malformed entity ID and a foreign actor ID with BAD_USER_INPUT naming the filter field", async () => {
    const malformed = await setup.api.run(LOG, { filter: { entityId: "nope" } }, admin());
    expect(errorCodes(malformed)).toEqual(["BAD_USER_INPUT"]);
    expect(malformed.errors![0]!.message).toContain("filter.entityId");
    const foreign = await setup.api.run(LOG, { filter: { actorUserId: await enterpriseId() } }, admin());
    expect(errorCodes(foreign)).toEqual(["BAD_USER_INPUT"]);
    expect(foreign.errors![0]!.message).toContain("filter.actorUserId");
  });
});

describe("viewer: every role finds its own unit, enterprise or office", () => {
  const VIEWER = `{ viewer { user { username role budgetUnit { id name } enterprise { id name } division { code name } } } }`;

  it("gives an officer its budget unit, with the ID quotas and orders take", async () => {
    const result = await setup.api.run(VIEWER, {}, setup.callers.credentials.officer);
    expect(result.errors).toBeUndefined();
    const user = result.data.viewer.user;
    expect(user).toMatchObject({ role: "OFFICER", budgetUnit: { name: "湘西州财政局" }, enterprise: null, division: null });
    expect(user.budgetUnit.id).toBe(await budgetUnitId("湘西州财政局"));
    const quotas = await setup.api.run(`query ($u: ID!) { quotas(filter: {budgetUnitId: $u}) { id } }`, { u: user.budgetUnit.id }, setup.callers.credentials.officer);
    expect(quotas.errors).toBeUndefined();
  });

  it("gives an enterprise user its enterprise, a reviewer its office's division, and others no unit", async () => {
    const enterprise = await setup.api.run(VIEWER, {}, setup.callers.credentials.ownEnterprise);
    expect(enterprise.data.viewer.user).toMatchObject({ role: "ENTERPRISE", budgetUnit: null, division: null });
    expect(enterprise.data.viewer.user.enterprise.name).toBeTruthy();
    const reviewer = await setup.api.run(VIEWER, {}, setup.callers.credentials.huayuanReviewer);
    expect(reviewer.data.viewer.user).toMatchObject({ role: "REVIEWER", budgetUnit: null, enterprise: null, division: { code: "433124", name: "花垣县" } });
    const adminViewer = await setup.api.run(VIEWER, {}, admin());
    expect(adminViewer.data.viewer.user).toMatchObject({ role: "ADMIN", budgetUnit: null, enterprise: null, division: null });
  });
});
