import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTestServer } from "./support/api.js";

// GraphiQL in a real browser (Debian's Chromium driven by playwright-core): the editor starts, runs
// `{ __typename }`, and no request leaves this server (issue 14.1: offline intranets).
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.log(`GraphiQL browser test skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium; .ci/run installs it)`);

describe.skipIf(!hasChromium)("GraphiQL in Chromium", () => {
  const setup = useTestServer({ seed: false, callers: false });

  it("opens /graphql, runs { __typename } and asks no other host for anything", async () => {
    const { chromium } = await import("playwright-core");
    const userDataDir = mkdtempSync(join(tmpdir(), "graphiql-chromium-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    try {
      const requests: string[] = [];
      const problems: string[] = [];
      const graphqlBodies: string[] = [];
      context.on("request", (request) => {
        requests.push(request.url());
        if (request.method() === "POST" && new URL(request.url()).pathname === "/graphql") graphqlBodies.push(request.postData() ?? "");
      });
      context.on("response", (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      const page = context.pages()[0] ?? (await context.newPage());
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        // CSP refusals and failed loads are console errors: any such is a request the page wanted elsewhere.
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });

      const response = await page.goto(`${setup.base}/graphql`);
      expect(response?.status()).toBe(200);
      await page.locator(".graphiql-query-editor .monaco-editor").waitFor({ timeout: 30_000 });
      // The page's default operation is `{ __typename }` (comments aside); run it with the toolbar button.
      await page.locator(".graphiql-execute-button").click();
      // (runs in the page: a string, as this file is type-checked without the DOM library)
      await page.waitForFunction(`/"__typename":\\s*"Query"/.test((document.querySelector(".graphiql-response")?.textContent ?? "").replace(/\\u00a0/g, " "))`, undefined, {
        timeout: 20_000,
      });
      expect(graphqlBodies.some((body) => /\{\s*__typename\s*\}/.test(JSON.parse(body).query))).toBe(true);

      const foreign = requests.filter((url) => {
        const parsed = new URL(url);
        return !(parsed.protocol === "data:" || parsed.protocol === "blob:" || parsed.origin === setup.base);
      });
      console.log(`GraphiQL in Chromium: ${requests.length} requests, all to ${setup.base}; ${foreign.length} elsewhere`);
      expect(requests.length).toBeGreaterThan(5);
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
