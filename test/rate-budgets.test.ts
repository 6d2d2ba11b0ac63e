import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { clientAddress, trustedProxies } from "../src/http/client-address.js";
import type { CallerName } from "./support/actors.js";
import { useTestServer } from "./support/api.js";
import { freshUsername } from "./support/fixtures.js";

/**
 * Issue 9 item 5: every caller has a budget (per user, per key, per address), X-Forwarded-For counts
 * only through TRUSTED_PROXIES, and the request id is the server's own.
 */
const LIMIT = 5;
const config = parseConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  RATE_LIMIT_USER_PER_MINUTE: String(LIMIT),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMIT),
  // The test client is on loopback: it plays the trusted proxy.
  TRUSTED_PROXIES: "127.0.0.1/32, ::1/128",
});
const setup = useTestServer({ config });

const QUERY = "{ catalog(first: 1) { totalCount } }";
const post = (query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) =>
  fetch(`${setup.base}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
const as = (caller: CallerName): Record<string, string> => {
  const { authorization } = setup.callers.credentials[caller];
  return authorization ? { authorization } : {};
};

/** Sends until refused; twice the limit and more always fills one minute window, even across a boundary. */
async function exhaust(headers: Record<string, string>): Promise<Response> {
  for (let i = 0; i < 2 * LIMIT + 2; i++) {
    const response = await post(QUERY, headers);
    if (response.status === 429) return response;
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }
  throw new Error("never refused");
}

describe("a budget for every caller", () => {
  it("limits a logged-in user per user: 429 RATE_LIMITED with Retry-After; another user is not affected", async () => {
    const refused = await exhaust(as("huayuanReviewer"));
    const body = (await refused.json()) as any;
    expect(body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(body.errors[0].message).toMatch(new RegExp(`${LIMIT} requests per minute`));
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("x-ratelimit-limit")).toBe(String(LIMIT));
    const other = await post(QUERY, as("baojingReviewer"));
    expect(other.status).toBe(200);
    expect(other.headers.get("x-ratelimit-remaining")).toBe(String(LIMIT - 1));
  });

  it("limits anonymous callers per client address, as a trusted proxy forwards it", async () => {
    await exhaust({ "x-forwarded-for": "203.0.113.7" });
    expect((await post(QUERY, { "x-forwarded-for": "203.0.113.7" })).status).toBe(429);
    expect((await post(QUERY, { "x-forwarded-for": "203.0.113.8" })).status).toBe(200);
    // A login from the refused address is refused before any password is checked.
    expect((await post(`mutation { login(input: {username: "admin", password: "x"}) { token } }`, { "x-forwarded-for": "203.0.113.7" })).status).toBe(429);
  });

  it("takes the rightmost address a trusted proxy did not add: a forged left part changes nothing", async () => {
    await exhaust({ "x-forwarded-for": "198.51.100.9" });
    expect((await post(QUERY, { "x-forwarded-for": "10.9.9.9, 198.51.100.9" })).status).toBe(429);
    expect((await post(QUERY, { "x-forwarded-for": "198.51.100.9, 10.9.9.10" })).status).toBe(200);
  });
});

describe("X-Forwarded-For and TRUSTED_PROXIES", () => {
  const trusted = trustedProxies("10.0.0.0/8,2001:db8::/32,192.0.2.1");

  it("ignores the header from a peer that is not a trusted proxy", () => {
    expect(clientAddress("203.0.113.5", "198.51.100.1", trusted)).toBe("203.0.113.5");
    expect(clientAddress("203.0.113.5", "198.51.100.1", trustedProxies(""))).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.5", "198.51.100.1", trustedProxies(""))).toBe("10.0.0.5");
  });

  it("walks from the right past trusted proxies to the first untrusted address", () => {
    expect(clientAddress("10.0.0.5", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.5", "6.6.6.6, 198.51.100.1, 10.1.1.1", trusted)).toBe("198.51.100.1");
    expect(clientAddress("::ffff:10.0.0.5", ["6.6.6.6", "198.51.100.1"], trusted)).toBe("198.51.100.1");
    expect(clientAddress("2001:db8::1", "2001:db8::2, 2400:cb00::7", trusted)).toBe("2400:cb00::7");
    expect(clientAddress("192.0.2.1", "10.2.2.2, 10.3.3.3", trusted)).toBe("10.2.2.2");
  });

  it("stops at a malformed entry, keeping the trusted hop that passed it on", () => {
    expect(clientAddress("10.0.0.5", "198.51.100.1, not-an-ip", trusted)).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.5", "", trusted)).toBe("10.0.0.5");
  });

  it("refuses a malformed TRUSTED_PROXIES at start-up, naming it", () => {
    expect(() => parseConfig({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseConfig({ TRUSTED_PROXIES: "proxy.example" })).toThrow(/TRUSTED_PROXIES/);
    expect(parseConfig({}).TRUSTED_PROXIES).toBe("");
  });
});

describe("request ids", () => {
  it("are the server's own; a client's X-Request-Id is a sanitised correlation id, never the audit row's request id", async () => {
    const hostile = `<script>'; drop table audit_log; --${"x".repeat(300)}`;
    const username = freshUsername("corr");
    const response = await post(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code } } }`,
      { ...as("admin"), "x-request-id": hostile },
      { input: { username, password: "correlation-pass-2020", role: "REVIEWER", divisionCode: "433124" } },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.data.createUser.userErrors).toEqual([]);
    const requestId = response.headers.get("x-request-id")!;
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const correlation = response.headers.get("x-correlation-id")!;
    expect(correlation).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    expect(correlation.startsWith("scriptdroptableaudit_log--")).toBe(true);

    const log = await post(`{ auditLog(first: 20, filter: {operation: "createUser"}) { nodes { requestId changes } } }`, as("admin"));
    const entries = ((await log.json()) as any).data.auditLog.nodes as { requestId: string; changes: string }[];
    const entry = entries.find((e) => JSON.parse(e.changes).username?.after === username);
    expect(entry?.requestId).toBe(requestId);
  });

  it("gives every request a fresh id, whatever the client sends", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await post("{ division(code: \"433100\") { name } }", { ...as("prefectureReviewer"), "x-request-id": "same-id-0001" });
      ids.add(response.headers.get("x-request-id")!);
      expect(response.headers.get("x-correlation-id")).toBe("same-id-0001");
      await response.arrayBuffer();
    }
    expect(ids.size).toBe(3);
  });
});
