import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { useTestApi } from "./support/api.js";
import { freshUsername } from "./support/fixtures.js";

/**
 * Issue 9 item 4: a login attempt is recorded and judged in one statement before the password is
 * checked, per (username, client address) and per address, with lockouts that double each time.
 */
const config = parseConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  LOGIN_MAX_FAILURES_PER_USER: "5",
  LOGIN_MAX_FAILURES_PER_ADDRESS: "40",
  LOGIN_LOCKOUT_BASE_SECONDS: "4",
});
const setup = useTestApi({ config });

const LOGIN = `mutation ($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { code message field } } }`;

async function account(): Promise<{ username: string; password: string }> {
  const username = freshUsername("throttle");
  const password = "throttle-pass-2020";
  await setup.api.services.accounts.createUser(setup.callers.admin, { username, password, role: "REVIEWER", divisionCode: "433124" });
  return { username, password };
}

async function login(username: string, password: string, clientAddress: string) {
  const result = await setup.api.run(LOGIN, { u: username, p: password }, { clientAddress });
  expect(result.errors).toBeUndefined();
  return { ...result.data.login, answeredAt: Date.now() } as { token: string | null; userErrors: { code: string; message: string }[]; answeredAt: number };
}

const code = (r: { userErrors: { code: string }[] }) => r.userErrors[0]?.code ?? "OK";
const retryAt = (r: { userErrors: { message: string }[] }) => Date.parse(/retry after (\S+)/.exec(r.userErrors[0]!.message)![1]!);

describe("login throttling per (username, address)", () => {
  it("checks at most the limit of a burst of 20 parallel wrong passwords; the rest are refused unchecked", async () => {
    const { username, password } = await account();
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => login(username, `wrong-${i}`, "198.18.20.1")));
    const codes = burst.map(code);
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(5);
    expect(codes.filter((c) => c === "TOO_MANY_ATTEMPTS")).toHaveLength(15);
    // The right password from the same address waits too …
    const same = await login(username, password, "198.18.20.1");
    expect(code(same)).toBe("TOO_MANY_ATTEMPTS");
    expect(same.token).toBeNull();
    expect(same.userErrors[0]!.message).toMatch(/retry after \d{4}-\d{2}-\d{2}T.*\(\d+ s\)/);
    // … but the stranger's burst does not lock the owner out from elsewhere.
    const elsewhere = await login(username, password, "198.18.20.2");
    expect(elsewhere.userErrors).toEqual([]);
    expect(elsewhere.token).toEqual(expect.any(String));
  });

  it("locks a pair out for longer each time (exponential lockout)", async () => {
    const { username } = await account();
    const address = "198.18.21.1";
    const lockOut = async () => {
      for (let i = 0; i < 5; i++) expect(code(await login(username, `wrong-${i}`, address))).toBe("INVALID_CREDENTIALS");
      const refused = await login(username, "wrong-again", address);
      expect(code(refused)).toBe("TOO_MANY_ATTEMPTS");
      return retryAt(refused) - refused.answeredAt;
    };
    const first = await lockOut();
    expect(first).toBeGreaterThan(3_000);
    expect(first).toBeLessThanOrEqual(4_100);
    await new Promise((resolve) => setTimeout(resolve, first + 100));
    const second = await lockOut();
    expect(second).toBeGreaterThan(7_000);
    expect(second).toBeLessThanOrEqual(8_100);
    // Still locked: another try is refused and does not move the end of the lockout.
    const during = await login(username, "wrong-during", address);
    expect(code(during)).toBe("TOO_MANY_ATTEMPTS");
    const again = await login(username, "wrong-during", address);
    expect(retryAt(again)).toBe(retryAt(during));
  }, 30_000);

  it("starts a pair afresh after a successful login", async () => {
    const { username, password } = await account();
    const address = "198.18.22.1";
    for (let i = 0; i < 4; i++) expect(code(await login(username, `wrong-${i}`, address))).toBe("INVALID_CREDENTIALS");
    expect(code(await login(username, password, address))).toBe("OK");
    for (let i = 0; i < 5; i++) expect(code(await login(username, `wrong-more-${i}`, address))).toBe("INVALID_CREDENTIALS");
    expect(code(await login(username, password, address))).toBe("TOO_MANY_ATTEMPTS");
  });

  it("treats a username the same whatever its case, and an unknown username like a known one", async () => {
    const { username } = await account();
    const address = "198.18.23.1";
    for (let i = 0; i < 5; i++) expect(code(await login(i % 2 ? username.toUpperCase() : username, `wrong-${i}`, address))).toBe("INVALID_CREDENTIALS");
    expect(code(await login(username.toUpperCase(), "wrong", address))).toBe("TOO_MANY_ATTEMPTS");
    const ghost = freshUsername("ghost");
    for (let i = 0; i < 5; i++) expect(code(await login(ghost, `wrong-${i}`, address))).toBe("INVALID_CREDENTIALS");
    expect(code(await login(ghost, "wrong", address))).toBe("TOO_MANY_ATTEMPTS");
  });
});
