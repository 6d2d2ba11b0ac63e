import { serverAudits } from "graphql-http";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { catalogRows } from "./support/catalog-expectations.js";
import { useTestServer } from "./support/api.js";

// The anonymous rate limit is off here; test/access.http.test.ts exercises it.
const config = parseConfig({ NODE_ENV: "development", LOG_LEVEL: "silent", MAX_BODY_BYTES: "20000", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" });

const setup = useTestServer({ config, callers: false });

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${setup.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("HTTP", () => {
  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${setup.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${setup.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: setup.tdb.kind });
  });

  it("serves a catalog query in Chinese", async () => {
    const response = await post({
      query: `query CatalogSearch($s: String) { catalog(filter: {search: $s}, first: 5) { totalCount nodes { name unitPrice originCounty { name } } } }`,
      variables: { s: "百合" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.catalog.nodes.length).toBeGreaterThan(0);
    for (const p of body.data.catalog.nodes) expect(JSON.stringify(p)).toMatch(/百合|龙山/);
    expect(body.extensions.cost.requested).toBeGreaterThan(0);
  });

  it("answers with its own request id and keeps a caller's only as a correlation id (issue 9)", async () => {
    const response = await post({ query: "{ division(code: \"433100\") { name } }" }, { "x-request-id": "partner-req-000123" });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-correlation-id")).toBe("partner-req-000123");
  });

  it("refuses a body over the limit with 413, naming the limit", async () => {
    const response = await post({ query: `{ division(code: "433100") { name } } # ${"x".repeat(30_000)}` });
    expect(response.status).toBe(413);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.errors[0].message).toContain("20000");
  });

  it("refuses malformed JSON with 400 and no parser text", async () => {
    const response = await post("{ not json");
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("answers limit refusals with 400", async () => {
    const response = await post({ query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: division(code: "433100") { name }`).join(" ")} }` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("TOO_MANY_ALIASES");
  });

  it("serves a page to a browser in development (GraphiQL: test/graphiql.test.ts)", async () => {
    const response = await fetch(`${setup.base}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<html|<!DOCTYPE/i);
  });

  it("passes the GraphQL-over-HTTP audits (graphql-http) with 0 errors", async () => {
    const results = await Promise.all(serverAudits({ url: `${setup.base}/graphql`, fetchFn: fetch }).map((audit) => audit.fn()));
    const errors = results.filter((r) => r.status === "error");
    expect(errors.map((e) => `${e.id} ${e.name}: ${"reason" in e ? e.reason : ""}`)).toEqual([]);
    expect(results.filter((r) => r.status === "ok").length).toBeGreaterThan(40);
  });

  it("answers 100 concurrent catalog requests correctly", async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => post({ query: "{ catalog(first: 100) { totalCount } }" }).then((r) => r.json() as Promise<any>)),
    );
    for (const body of responses) expect(body.data.catalog.totalCount).toBe(catalogRows.length);
  });
});
