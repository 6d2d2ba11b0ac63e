import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { retryDelayMs, signatureHeader } from "../src/modules/webhooks/index.js";

/**
 * Issue 12.3 and 12.5 without a database: the retry schedule (exponential, jittered, never later than
 * 24 h) and the README's ten lines of Node that verify a delivery's signature, run as the README prints them.
 */

describe("the retry schedule", () => {
  const config = parseConfig({ NODE_ENV: "test" });
  const policy = { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS };

  it("doubles with each attempt, jittered between half and all of it", () => {
    expect(policy).toEqual({ baseMs: 30_000, maxMs: 86_400_000 });
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = 30_000 * 2 ** (attempt - 1);
      expect(retryDelayMs(attempt, policy, () => 0)).toBe(ceiling / 2);
      expect(retryDelayMs(attempt, policy, () => 0.999_999)).toBe(Math.round(ceiling * (0.5 + 0.999_999 / 2)));
    }
    // Jitter: the same attempt does not retry at one instant for every delivery.
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, policy)));
    expect(spread.size).toBeGreaterThan(40);
    for (const delay of spread) {
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThanOrEqual(120_000);
    }
  });

  it("never waits longer than 24 h, however many attempts", () => {
    // 30 s · 2^11 = 17 h 4 min is the last uncapped ceiling; from the 13th attempt on it is 24 h.
    expect(retryDelayMs(12, policy, () => 0)).toBe(30_720_000);
    for (const attempt of [13, 15, 30, 100, 10_000]) {
      expect(retryDelayMs(attempt, policy, () => 0.999_999)).toBeLessThanOrEqual(86_400_000);
      expect(retryDelayMs(attempt, policy, () => 0)).toBe(43_200_000);
    }
    expect(() => parseConfig({ WEBHOOK_RETRY_MAX_MS: String(86_400_001) })).toThrow(/WEBHOOK_RETRY_MAX_MS/);
  });
});

describe("the README's signature check", () => {
  /** The README's JavaScript block under "Verifying a delivery in Node". */
  async function readmeSnippet(): Promise<string> {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("Verifying a delivery in Node");
    expect(start).toBeGreaterThan(0);
    const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
    expect(block).not.toBeNull();
    return block![1]!;
  }

  it("is at most ten lines of code", async () => {
    const code = (await readmeSnippet()).split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("//"));
    expect(code.length).toBeLessThanOrEqual(10);
  });

  it("verifies what the server signs, and refuses another body, another secret and an old signature", async () => {
    const dir = await mkdtemp(join(tmpdir(), "readme-verify-"));
    try {
      const file = join(dir, "verify.mjs");
      await writeFile(file, await readmeSnippet());
      const { verifyFupinSignature } = (await import(pathToFileURL(file).href)) as {
        verifyFupinSignature: (secret: string, rawBody: string, header: string) => boolean;
      };
      const secret = "whsec_readme-test-secret";
      const body = JSON.stringify({ id: "evt_1", event: "CATALOG_CHANGED", data: { catalogNo: "433124-2020-000001", name: "保靖黄金茶" } });
      const header = signatureHeader(secret, body, Date.now() / 1000);
      expect(verifyFupinSignature(secret, body, header)).toBe(true);
      expect(verifyFupinSignature(secret, `${body} `, header)).toBe(false);
      expect(verifyFupinSignature(`${secret}x`, body, header)).toBe(false);
      expect(verifyFupinSignature(secret, body, signatureHeader(secret, body, Date.now() / 1000 - 3_600))).toBe(false);
      expect(verifyFupinSignature(secret, body, "t=1,v1=00")).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
