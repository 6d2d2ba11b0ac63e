// GraphiQL from the installed npm package, bundled by Vite (src/console/build.ts): no CDN, no
// web fonts from other hosts — government intranets are often offline.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

interface FetcherParams {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

/** POST to this server's /graphql (same origin), with the headers typed in GraphiQL's headers tab. */
async function fetcher(params: FetcherParams, options?: { headers?: Record<string, unknown> }): Promise<unknown> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
  const response = await fetch(new URL("/graphql", window.location.href), { method: "POST", headers, body: JSON.stringify(params) });
  return response.json();
}

const defaultQuery = `# 湘西州消费扶贫 GraphQL API
# 登录后把令牌放进下方 Headers: {"authorization": "Bearer …"}
{
  __typename
}
`;

createRoot(document.getElementById("graphiql")!).render(createElement(GraphiQL, { fetcher, defaultQuery }));
