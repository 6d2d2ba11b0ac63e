import type { IncomingMessage, ServerResponse } from "node:http";
import { ensureGraphiqlBuilt, graphiqlBase, graphiqlDist } from "../console/build.js";
import { sendFile, staticFile } from "./static-files.js";

/**
 * Nothing the page loads may come from another host (offline intranets); the browser enforces it.
 * Monaco injects <style> elements and starts its workers from same-origin module scripts.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** A browser's page request: GET or HEAD that asks for HTML before JSON (as Apollo's landing page did). */
function wantsHtml(req: IncomingMessage): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const accept = (req.headers.accept ?? "").toLowerCase();
  const html = accept.indexOf("text/html");
  if (html < 0) return false;
  const json = accept.search(/application\/(graphql-response\+)?json/);
  return json < 0 || html < json;
}

/**
 * GraphiQL from the installed npm package (built by src/console/build.ts): the page at GET /graphql
 * for browsers, its files under /graphiql/. Answers and returns true, or returns false (not ours).
 */
export function createGraphiqlHandler(): (req: IncomingMessage, res: ServerResponse, route: string) => Promise<boolean> {
  return async (req, res, route) => {
    const page = route === "/graphql" && wantsHtml(req);
    const asset = route.startsWith(graphiqlBase) && (req.method === "GET" || req.method === "HEAD");
    if (!page && !asset) return false;
    await ensureGraphiqlBuilt();
    const relative = page ? "index.html" : route.slice(graphiqlBase.length);
    const file = await staticFile(graphiqlDist, relative);
    if (!file) return false;
    const headers: Record<string, string> = relative.endsWith(".html")
      ? { "cache-control": "no-cache", "content-security-policy": contentSecurityPolicy, "referrer-policy": "no-referrer", vary: "accept" }
      : relative.startsWith("assets/")
        ? { "cache-control": "public, max-age=31536000, immutable" } // names carry a content hash
        : { "cache-control": "no-cache" };
    await sendFile(req, res, file, headers);
    return true;
  };
}
