import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { useTestServer } from "./support/api.js";

// GraphiQL from the installed npm package at GET /graphql (issue 14.1): same-origin files only,
// served by our own handler; Apollo's landing page (Sandbox from a CDN) is off.

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const productionEnv = {
  NODE_ENV: "production",
  LOG_LEVEL: "silent",
  JWT_SECRET: "a-test-secret-of-at-least-32-characters!",
  ADMIN_USERNAME: "admin",
  ADMIN_PASSWORD: "a-long-admin-password",
  ID_HASH_KEY: "a-test-hash-key-of-at-least-32-characters",
};

const expectedType: Record<string, RegExp> = {
  js: /^text\/javascript; charset=utf-8$/,
  css: /^text\/css; charset=utf-8$/,
  ttf: /^font\/ttf$/,
  woff: /^font\/woff$/,
  woff2: /^font\/woff2$/,
  svg: /^image\/svg\+xml$/,
  png: /^image\/png$/,
};

/** URLs in the page's src/href attributes. */
function htmlUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*?\s(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
}

/** File names a bundle refers to: `./x.js`, `assets/x.js`, `/graphiql/assets/x.js` (imports, preload lists, workers, CSS url()). */
function referencedAssets(text: string): string[] {
  return [...text.matchAll(/(?:\.\/|assets\/)([\w.-]+\.(?:js|css|ttf|woff2?|svg|png))\b/g)].map((m) => m[1]!);
}

/**
 * Code that would load from another host as the page starts: an import, a worker, importScripts,
 * fetch, a script/link/img tag, a CSS url()/@import, or a source map. Plain strings such as
 * graphiql's documentation links and XML namespaces are not loads and are not matched.
 */
const remoteLoads: [string, RegExp][] = [
  ["import", /\bimport\s*\(\s*["'`]https?:/],
  ["static import", /\b(?:from|import)\s*["'`]https?:/],
  ["fetch", /\bfetch\s*\(\s*["'`]https?:/],
  ["worker", /\bnew\s+(?:Shared)?Worker\s*\(\s*["'`]https?:/],
  ["importScripts", /\bimportScripts\s*\(\s*["'`]https?:/],
  ["tag", /<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*\\?["'`]?https?:/i],
  ["css url", /url\(\s*["']?(?:https?:)?\/\//],
  ["css @import", /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\//],
  ["source map", /sourceMappingURL=/],
];

describe("GraphiQL outside production", () => {
  const setup = useTestServer({ callers: false });

  it("serves the GraphiQL page to a browser at GET /graphql, with a policy that forbids other hosts", async () => {
    const response = await fetch(`${setup.base}/graphql`, { headers: { accept: browserAccept } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).not.toMatch(/apollo|sandbox|embeddable/i);
  });

  it("serves every file the page refers to, same-origin, 200 with its content type, and none loads another host", async () => {
    const html = await (await fetch(`${setup.base}/graphql`, { headers: { accept: browserAccept } })).text();
    const urls = htmlUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    const queue: string[] = [];
    for (const url of urls) {
      if (url.startsWith("data:")) continue; // inline (the empty favicon): no request at all
      const resolved = new URL(url, `${setup.base}/graphql`);
      expect(resolved.origin, url).toBe(setup.base);
      expect(resolved.pathname, url).toMatch(/^\/graphiql\/assets\//);
      queue.push(resolved.pathname);
    }
    for (const [name, pattern] of remoteLoads) expect(html, `the page: ${name}`).not.toMatch(pattern);

    const seen = new Set<string>();
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await fetch(`${setup.base}${path}`);
      expect(response.status, path).toBe(200);
      const extension = path.split(".").pop()!;
      expect(response.headers.get("content-type"), path).toMatch(expectedType[extension] ?? /^$/);
      expect(response.headers.get("cache-control"), path).toBe("public, max-age=31536000, immutable");
      if (extension !== "js" && extension !== "css") {
        await response.arrayBuffer();
        continue;
      }
      const text = await response.text();
      for (const [name, pattern] of remoteLoads) expect(text, `${path}: ${name}`).not.toMatch(pattern);
      for (const name of referencedAssets(text)) queue.push(`/graphiql/assets/${name}`);
    }
    // The crawl reached the editor's workers and its icon font, not only the entry.
    const files = [...seen];
    expect(files.filter((p) => /worker.*\.js$/.test(p)).length).toBeGreaterThanOrEqual(3);
    expect(files.some((p) => p.endsWith(".ttf"))).toBe(true);
    expect(files.some((p) => p.endsWith(".css"))).toBe(true);
  });

  it("the checks above can fail: they catch a remote script, worker, fetch, import and font", () => {
    const samples = [
      `<script src="https://cdn.example/x.js"></script>`,
      "new Worker(`https://cdn.example/w.js`)",
      `fetch("https://api.example/graphql")`,
      `import("https://esm.sh/react")`,
      `@font-face{src:url(https://fonts.example/a.woff2)}`,
      `//# sourceMappingURL=https://maps.example/x.map`,
    ];
    for (const sample of samples) expect(remoteLoads.some(([, pattern]) => pattern.test(sample)), sample).toBe(true);
    // documentation links in strings are not loads
    expect(remoteLoads.some(([, pattern]) => pattern.test(`a="https://github.com/graphql/graphiql"`))).toBe(false);
    expect(referencedAssets(`import("./graphql-4LGsZvos.js");url(/graphiql/assets/codicon-DCmgc-ay.ttf)`)).toEqual(["graphql-4LGsZvos.js", "codicon-DCmgc-ay.ttf"]);
  });

  it("serves no file outside the bundle and nothing it does not know the type of", async () => {
    for (const path of [
      "/graphiql/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json",
      "/graphiql/%2e%2e/%2e%2e/%2e%2e/package.json",
      "/graphiql/..%2f..%2f..%2fpackage.json",
      "/graphiql/assets/..%5c..%5cindex.html",
      "/graphiql/.build-stamp",
      "/graphiql/assets/",
      "/graphiql/assets/missing-00000000.js",
    ]) {
      const response = await fetch(`${setup.base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(await response.text(), path).not.toContain("xiangxi-poverty-alleviation-api");
    }
  });

  it("still answers GraphQL: POST, and GET with a query for a JSON client", async () => {
    const post = await fetch(`${setup.base}/graphql`, { method: "POST", headers: { "content-type": "application/json", accept: browserAccept }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(post.status).toBe(200);
    expect(post.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
    expect(((await post.json()) as { data: unknown }).data).toEqual({ __typename: "Query" });

    const get = await fetch(`${setup.base}/graphql?query=${encodeURIComponent("{ __typename }")}`, { headers: { accept: "application/json", "apollo-require-preflight": "true" } });
    expect(get.status, await get.clone().text()).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual({ __typename: "Query" });
  });
});

describe("GraphiQL in production without GRAPHIQL=true", () => {
  const setup = useTestServer({ seed: false, callers: false, config: parseConfig(productionEnv) });

  it("answers a browser's GET /graphql with JSON, not a page, and serves no GraphiQL files", async () => {
    const response = await fetch(`${setup.base}/graphql`, { headers: { accept: browserAccept } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.text()).not.toMatch(/<html/i);

    const html = await (await fetch(`${setup.base}/graphiql/index.html`)).text();
    expect(html).not.toMatch(/<html/i);
    expect((await fetch(`${setup.base}/graphiql/index.html`)).status).toBe(404);
  });
});

describe("GraphiQL in production with GRAPHIQL=true", () => {
  const setup = useTestServer({ seed: false, callers: false, config: parseConfig({ ...productionEnv, GRAPHIQL: "true" }) });

  it("serves the page and its files", async () => {
    const response = await fetch(`${setup.base}/graphql`, { headers: { accept: browserAccept } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    const script = htmlUrls(html).find((url) => url.endsWith(".js"))!;
    const asset = await fetch(new URL(script, setup.base));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  });

  it("rejects a GRAPHIQL value other than true or false", () => {
    expect(() => parseConfig({ ...productionEnv, GRAPHIQL: "yes" })).toThrow(/GRAPHIQL/);
  });
});
