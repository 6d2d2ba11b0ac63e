import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { useTestServer } from "./support/api.js";
import { freshIdNumber } from "./support/fixtures.js";
import { captureLogs } from "./support/log-capture.js";

/**
 * Runs a slice of the failure paths (a unique violation, statements that fail inside the database
 * with household names, password and key hashes as parameters, login failures, bad credentials)
 * over HTTP with a captured logger, then searches the log for what it must never carry.
 */
const JWT_SECRET = "log-hygiene-jwt-secret-0123456789abcdef";
const ID_HASH_KEY = "log-hygiene-id-hash-key-0123456789abcdef";
const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "debug", JWT_SECRET, ID_HASH_KEY });
const logs = captureLogs("debug");
const setup = useTestServer({ config, logger: logs.logger });

const HEAD_NAME = "龙秀英测试";
const ID_NUMBER = freshIdNumber();
const PASSWORDS = ["log-hygiene-pass-2020", "wrong-pass-LOGTEST-2020", "failing-user-pass-2020"];

async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${setup.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

const auth = (name: "admin" | "partner"): Record<string, string> => {
  const c = setup.callers.credentials[name];
  return c.authorization ? { authorization: c.authorization } : { "x-api-key": c.apiKey! };
};

describe("logs carry no SQL parameters, variables, secrets or personal data", () => {
  it("after a slice of failure paths", async () => {
    // Statements that fail inside the database, with the secrets and names among their parameters.
    for (const statement of [
      `create or replace function log_hygiene_fail() returns trigger language plpgsql as $$ begin raise exception 'refused by log hygiene test'; end $$`,
      `create trigger log_hygiene_users before insert on users for each row when (new.username like 'logtest%') execute function log_hygiene_fail()`,
      `create trigger log_hygiene_households before insert on households for each row when (new.head_name = '${HEAD_NAME}') execute function log_hygiene_fail()`,
      `create trigger log_hygiene_keys before insert on api_keys for each row when (new.name = 'logtest') execute function log_hygiene_fail()`,
    ]) {
      await setup.database.db.execute(sql.raw(statement));
    }
    const admin = auth("admin");
    const masked: string[] = [];
    const run = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = admin) => {
      const { body } = await post(query, variables, headers);
      for (const e of body.errors ?? []) masked.push(String(e.extensions?.code));
      return body;
    };

    // A user whose insert fails (its scrypt hash is a parameter), and a unique violation on a user.
    const createUser = `mutation ($input: CreateUserInput!) { createUser(input: $input) { userErrors { code } } }`;
    await run(createUser, { input: { username: "logtest_user", password: PASSWORDS[2], role: "REVIEWER", divisionCode: "433124" } });
    const fresh = { username: "log_hygiene_user", password: PASSWORDS[0], role: "REVIEWER", divisionCode: "433124" };
    expect((await run(createUser, { input: fresh })).data.createUser.userErrors).toEqual([]);
    expect((await run(createUser, { input: fresh })).data.createUser.userErrors[0].code).toBe("DUPLICATE");

    // A household whose insert fails: its head's name and ID number hash are parameters.
    await run(`mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { userErrors { code } } }`, {
      input: {
        householdNo: `LOG-${Date.now()}`,
        villageCode: "433124103201",
        headName: HEAD_NAME,
        headIdNumber: ID_NUMBER,
        members: 3,
        laborCapacity: true,
        developmentWillingness: true,
        status: "OUT_OF_POVERTY",
      },
    });

    // An API key whose insert fails (its hash is a parameter).
    await run(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret userErrors { code } } }`, {
      input: { name: "logtest", partnerName: "日志测试平台", scopes: ["CATALOG_READ"] },
    });

    // Login failures, and bad credentials.
    const login = `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`;
    await run(login, { input: { username: "log_hygiene_user", password: PASSWORDS[1] } }, {});
    await run(login, { input: { username: "nobody_here", password: PASSWORDS[1] } }, {});
    const badKey = "fpk_logtest_0123456789abcdefghijklmnopqrstuv";
    expect((await post("{ catalog(first: 1) { totalCount } }", {}, { "x-api-key": badKey })).status).toBe(401);
    const badToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2d0ZXN0In0.bG9ndGVzdC1zaWduYXR1cmU";
    expect((await post("{ viewer { user { id } } }", {}, { authorization: `Bearer ${badToken}` })).status).toBe(401);
    // A partner's ordinary request, so its key has been through the log path too.
    await run("{ catalog(first: 1) { totalCount } }", {}, auth("partner"));

    // The failure paths did fail inside the database, and were logged as masked errors.
    expect(masked.filter((c) => c === "INTERNAL_SERVER_ERROR").length).toBe(3);
    const lines = logs.lines();
    const maskedLines = lines.filter((l) => l.msg === "masked error");
    expect(maskedLines).toHaveLength(3);
    for (const line of maskedLines) {
      expect(line.requestId).toBeTypeOf("string");
      const err = line.err as { code?: string; message?: string; cause?: { code?: string } };
      // what failed is kept: the SQLSTATE of the raised exception (on the error or the one it wraps)
      expect([err.code, err.cause?.code]).toContain("P0001");
    }

    const text = logs.text();
    const { rows } = setup.database;
    const passwordHashes = (await rows<{ h: string }>(sql`select password_hash as h from users`)).map((r) => r.h);
    const keyHashes = (await rows<{ h: string }>(sql`select secret_hash as h from api_keys`)).map((r) => r.h);
    const forbidden = [
      "scrypt$",
      JWT_SECRET,
      ID_HASH_KEY,
      HEAD_NAME,
      ID_NUMBER,
      ID_NUMBER.slice(6, 14),
      ...PASSWORDS,
      badKey,
      badToken,
      setup.callers.credentials.partner.apiKey!,
      setup.callers.credentials.admin.authorization!.replace(/^Bearer /, ""),
      ...passwordHashes,
      ...keyHashes,
    ];
    for (const value of forbidden) expect(text.includes(value), `the log contains ${value.slice(0, 12)}…`).toBe(false);
    // No parameters, query text or variables under any name; no 64-hex hash of any kind.
    expect(text).not.toMatch(/"(parameters|params|query|variables)":/);
    expect(text).not.toMatch(/insert into|select .* from|params:/i);
    expect(text).not.toMatch(/[0-9a-f]{64}/i);
  });
});
