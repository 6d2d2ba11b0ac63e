import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { useTestServer } from "./support/api.js";

// The console's hashed scripts and styles (issue 14's budget): sent from memory, brotli or gzip when the
// browser accepts it (the build's precompressed copies), the same bytes either way, cached for a year.

/** A GET with exactly these headers (no client-side decompression). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

describe("the console's assets", () => {
  const setup = useTestServer({ callers: false });

  it("sends each script and style brotli, gzip or plain as the request accepts, the same bytes, cached for a year", async () => {
    const page = await get(`${setup.base}/console/`, { accept: "text/html" });
    expect(page.status).toBe(200);
    const html = page.body.toString("utf8");
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[\w.-]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith(".js")) && assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      const plain = await get(`${setup.base}${asset}`, { "accept-encoding": "identity" });
      expect(plain.status).toBe(200);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(plain.headers.vary).toBe("accept-encoding");
      expect(Number(plain.headers["content-length"])).toBe(plain.body.length);

      const br = await get(`${setup.base}${asset}`, { "accept-encoding": "gzip, deflate, br, zstd" });
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.body.length).toBeLessThan(plain.body.length);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

      const gzip = await get(`${setup.base}${asset}`, { "accept-encoding": "br;q=0, gzip" });
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);

      // HEAD: the headers of the chosen encoding, no body
      const head = await new Promise<{ headers: Record<string, unknown> }>((resolve, reject) =>
        request(`${setup.base}${asset}`, { method: "HEAD", headers: { "accept-encoding": "gzip" } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ headers: res.headers }));
        })
          .on("error", reject)
          .end(),
      );
      expect(head.headers["content-encoding"]).toBe("gzip");
      expect(Number(head.headers["content-length"])).toBe(gzip.body.length);

      // the copies themselves are no URLs of their own
      expect((await get(`${setup.base}${asset}.br`, {})).status).toBe(404);
      expect((await get(`${setup.base}${asset}.gz`, {})).status).toBe(404);
    }
  });

  it("has the dashboard's page preload its chunks with React's (the same page, with the same headers, otherwise)", async () => {
    const preloads = (html: string) => [...html.matchAll(/<link rel="modulepreload" crossorigin href="(\/console\/assets\/[\w.-]+\.js)">/g)].map((m) => m[1]!);
    const index = await get(`${setup.base}/console/catalog`, { accept: "text/html" });
    const dashboard = await get(`${setup.base}/console/dashboard`, { accept: "text/html" });
    expect(dashboard.status).toBe(200);
    for (const header of ["content-type", "cache-control", "content-security-policy", "referrer-policy", "x-frame-options"]) {
      expect(dashboard.headers[header]).toBe(index.headers[header]);
    }
    const onIndex = preloads(index.body.toString("utf8"));
    const onDashboard = preloads(dashboard.body.toString("utf8"));
    expect(onIndex.some((a) => /\/boot-/.test(a))).toBe(true); // React and the shell, on every page
    expect(onIndex.some((a) => /\/dashboard-/.test(a))).toBe(false); // no chart code for the catalog or sign-in
    expect(onDashboard).toEqual(expect.arrayContaining([...onIndex, expect.stringMatching(/\/dashboard-/)]));
    // without its preloads, the same page
    expect(dashboard.body.toString("utf8").replace(/\n\s*<link rel="modulepreload"[^>]*>/g, "")).toBe(index.body.toString("utf8").replace(/\n\s*<link rel="modulepreload"[^>]*>/g, ""));
    for (const asset of onDashboard) expect((await get(`${setup.base}${asset}`, {})).status).toBe(200);
  });
});
