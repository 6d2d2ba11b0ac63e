import { SignJWT } from "jose";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { UnauthenticatedError } from "../src/errors.js";
import { errorCodes, useTestApi } from "./support/api.js";
import { freshUsername, gid } from "./support/fixtures.js";

const JWT_SECRET = "test-secret-that-is-long-enough-for-hs256";
const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", JWT_SECRET, LOGIN_MAX_FAILURES_PER_USER: "5", LOGIN_MAX_FAILURES_PER_ADDRESS: "12" });

const setup = useTestApi({ config });

const LOGIN = `mutation ($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token expiresAt viewer { user { username role division { name } } } userErrors { code message field } } }`;
const VIEWER = `{ viewer { user { username role } partnerName } }`;

describe("login and bearer tokens", () => {
  it("logs in and says who is calling", async () => {
    const result = await setup.api.run(LOGIN, { u: "huayuan_reviewer", p: "xiangxi-huayuan-2020" });
    expect(result.data.login.userErrors).toEqual([]);
    expect(result.data.login.viewer.user).toEqual({ username: "huayuan_reviewer", role: "REVIEWER", division: { name: "花垣县" } });
    const me = await setup.api.run(VIEWER, {}, { authorization: `Bearer ${result.data.login.token}` });
    expect(me.data.viewer.user.username).toBe("huayuan_reviewer");
    expect((await setup.api.run(VIEWER)).data.viewer).toBeNull();
  });

  it("gives the same answer for a wrong username and a wrong password", async () => {
    const wrongUser = await setup.api.run(LOGIN, { u: "no_such_user", p: "xiangxi-huayuan-2020" }, { clientAddress: "203.0.113.50" });
    const wrongPassword = await setup.api.run(LOGIN, { u: "huayuan_reviewer", p: "not-the-password" }, { clientAddress: "203.0.113.51" });
    expect(wrongUser.data.login.userErrors).toEqual(wrongPassword.data.login.userErrors);
    expect(wrongUser.data.login.userErrors[0].code).toBe("INVALID_CREDENTIALS");
    expect(wrongUser.data.login.token).toBeNull();
  });

  it.each([
    ["a tampered token", async (token: string) => `${token.slice(0, -3)}${token.endsWith("AAA") ? "BBB" : "AAA"}`],
    ["a token signed with another secret", async () => new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(setup.callers.admin.actor.kind === "user" ? setup.callers.admin.actor.userId : "").setExpirationTime("1h").sign(new TextEncoder().encode("another-secret-another-secret-xx"))],
    ["an expired token", async () => new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(setup.callers.admin.actor.kind === "user" ? setup.callers.admin.actor.userId : "").setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(JWT_SECRET))],
    ["an unsigned token", async () => `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"x"}').toString("base64url")}.`],
    ["garbage", async () => "not-a-jwt"],
  ])("refuses %s with UNAUTHENTICATED, never as anonymous", async (_name, make) => {
    const valid = setup.callers.credentials.admin.authorization!.replace("Bearer ", "");
    // Authentication runs before execution: the HTTP layer answers 401 (test/access.http.test.ts).
    const attempt = setup.api.run(VIEWER, {}, { authorization: `Bearer ${await make(valid)}` });
    await expect(attempt).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(attempt).rejects.toThrow(_name === "an expired token" ? /expired/ : /not valid/);
  });

  it("refuses the token of a user who has been disabled since", async () => {
    const username = freshUsername("leaver");
    const user = await setup.api.services.accounts.createUser(setup.callers.admin, { username, password: "leaver-pass-2020", role: "REVIEWER", divisionCode: "433124" });
    const login = await setup.api.run(LOGIN, { u: username, p: "leaver-pass-2020" });
    const token = `Bearer ${login.data.login.token}`;
    expect((await setup.api.run(VIEWER, {}, { authorization: token })).data.viewer.user.username).toBe(username);
    await setup.api.run(`mutation ($id: ID!) { disableUser(input: {userId: $id}) { userErrors { code } } }`, { id: gid.user(user.id) }, setup.callers.credentials.admin);
    await expect(setup.api.run(VIEWER, {}, { authorization: token })).rejects.toThrow(/disabled/);
    const again = await setup.api.run(LOGIN, { u: username, p: "leaver-pass-2020" });
    expect(again.data.login.userErrors[0].code).toBe("INVALID_CREDENTIALS");
  });
});

describe("the configured first admin", () => {
  it("is created once, even when replicas start together", async () => {
    const username = freshUsername("root");
    await Promise.all([0, 1, 2, 3].map(() => setup.api.services.accounts.ensureAdmin(username, "root-admin-password-2020")));
    const login = await setup.api.run(LOGIN, { u: username, p: "root-admin-password-2020" });
    expect(login.data.login.viewer.user.role).toBe("ADMIN");
    const rows = await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from users where username = ${username}`);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});

describe("login throttling", () => {
  // Issue 9: throttling is per (username, address), so failures from elsewhere lock nobody out
  // (test/login-throttle.test.ts has the lockouts themselves).
  it("does not lock a username out for failures made from other addresses", async () => {
    const username = freshUsername("target");
    await setup.api.services.accounts.createUser(setup.callers.admin, { username, password: "target-pass-2020", role: "REVIEWER", divisionCode: "433124" });
    for (let i = 0; i < 6; i++) {
      const r = await setup.api.run(LOGIN, { u: username, p: `wrong-${i}` }, { clientAddress: "198.18.0.1" });
      expect(r.data.login.userErrors[0].code).toBe(i < 5 ? "INVALID_CREDENTIALS" : "TOO_MANY_ATTEMPTS");
    }
    const owner = await setup.api.run(LOGIN, { u: username, p: "target-pass-2020" }, { clientAddress: "198.18.1.1" });
    expect(owner.data.login.userErrors).toEqual([]);
    expect(owner.data.login.token).toEqual(expect.any(String));
  });

  it("locks a client address that tries many usernames", async () => {
    const address = "198.18.9.9";
    for (let i = 0; i < 12; i++) await setup.api.run(LOGIN, { u: freshUsername("guess"), p: "guess-password" }, { clientAddress: address });
    const locked = await setup.api.run(LOGIN, { u: "huayuan_reviewer", p: "xiangxi-huayuan-2020" }, { clientAddress: address });
    expect(locked.data.login.userErrors[0].code).toBe("TOO_MANY_ATTEMPTS");
    const elsewhere = await setup.api.run(LOGIN, { u: "huayuan_reviewer", p: "xiangxi-huayuan-2020" }, { clientAddress: "198.18.9.10" });
    expect(elsewhere.data.login.userErrors).toEqual([]);
  });
});

describe("partner API keys", () => {
  const CREATE = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix partnerName scopes requestsPerMinute } userErrors { code } } }`;

  it("creates a key whose secret is shown once and stored only as a hash", async () => {
    const result = await setup.api.run(CREATE, { input: { name: "目录同步", partnerName: "湘西为村电商", scopes: ["CATALOG_READ"] } }, setup.callers.credentials.admin);
    const { secret, apiKey } = result.data.createApiKey;
    expect(secret).toMatch(/^fpk_[A-Za-z0-9_-]{40,}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const stored = await setup.database.rows<{ t: string }>(sql`select row_to_json(k)::text as t from api_keys k`);
    expect(stored.map((r) => r.t).join()).not.toContain(secret);
    const audit = await setup.database.rows<{ t: string }>(sql`select changes::text as t from audit_log`);
    expect(audit.map((r) => r.t).join()).not.toContain(secret);
    const me = await setup.api.run(VIEWER, {}, { apiKey: secret });
    expect(me.data.viewer).toEqual({ user: null, partnerName: "湘西为村电商" });
    const listed = await setup.api.run(`{ apiKeys { prefix } }`, {}, setup.callers.credentials.admin);
    expect(listed.data.apiKeys.map((k: { prefix: string }) => k.prefix)).toContain(apiKey.prefix);
  });

  it("refuses a revoked or unknown key with UNAUTHENTICATED", async () => {
    const created = await setup.api.run(CREATE, { input: { name: "短期", partnerName: "测试平台", scopes: ["CATALOG_READ"] } }, setup.callers.credentials.admin);
    const { secret, apiKey } = created.data.createApiKey;
    await setup.api.run(`mutation ($id: ID!) { revokeApiKey(input: {apiKeyId: $id}) { userErrors { code } } }`, { id: apiKey.id }, setup.callers.credentials.admin);
    await expect(setup.api.run(VIEWER, {}, { apiKey: secret })).rejects.toThrow(/revoked/);
    await expect(setup.api.run(VIEWER, {}, { apiKey: "fpk_unknownunknownunknownunknownunknownunknown" })).rejects.toThrow(/not valid/);
  });

  it("refuses an empty scope list as a userError", async () => {
    const result = await setup.api.run(CREATE, { input: { name: "x", partnerName: "y", scopes: [] } }, setup.callers.credentials.admin);
    expect(result.data.createApiKey.userErrors[0].code).toBe("INVALID");
  });
});

describe("audit log", () => {
  it("records who changed what, in which request, without secrets; admins only", async () => {
    const username = freshUsername("audited");
    await setup.api.run(`mutation ($input: CreateUserInput!) { createUser(input: $input) { userErrors { code } } }`, { input: { username, password: "audited-pass-2020", role: "REVIEWER", divisionCode: "433125" } }, setup.callers.credentials.admin);
    const log = await setup.api.run(`{ auditLog(first: 5, filter: {operation: "createUser"}) { totalCount edges { node { operation entityType entityId changes requestId actor { username } at } } } }`, {}, setup.callers.credentials.admin);
    const entry = log.data.auditLog.edges.map((e: any) => e.node).find((n: any) => JSON.parse(n.changes).username?.after === username);
    expect(entry).toMatchObject({ operation: "createUser", entityType: "User", actor: { username: "admin" } });
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry.changes).not.toMatch(/password|scrypt/i);
    const forbidden = await setup.api.run(`{ auditLog(first: 1) { totalCount } }`, {}, setup.callers.credentials.huayuanReviewer);
    expect(errorCodes(forbidden)).toEqual(["FORBIDDEN"]);
  });

  it("writes nothing for a refused or failed mutation", async () => {
    const before = await setup.api.run(`{ auditLog { totalCount } }`, {}, setup.callers.credentials.admin);
    const duplicate = await setup.api.run(`mutation { createUser(input: {username: "admin", password: "another-pass-2020", role: ADMIN}) { userErrors { code } } }`, {}, setup.callers.credentials.admin);
    expect(duplicate.data.createUser.userErrors[0].code).toBe("DUPLICATE");
    const after = await setup.api.run(`{ auditLog { totalCount } }`, {}, setup.callers.credentials.admin);
    expect(after.data.auditLog.totalCount).toBe(before.data.auditLog.totalCount);
  });
});
