import type { IncomingMessage, ServerResponse } from "node:http";
import { consoleBase, consoleDist, ensureConsoleBuilt } from "../console/build.js";
import { sendFile, staticFile } from "./static-files.js";

/**
 * Nothing the console loads may come from another host (offline intranets); the browser enforces it.
 * ECharts draws on a canvas; exports download as blob: URLs; React sets inline style attributes.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The console (built by src/console/build.ts): its files under /console/assets/, and its page for
 * /console and every other path under it (the page routes in the browser). Answers and returns true,
 * or returns false (not ours).
 */
export function createConsoleHandler(): (req: IncomingMessage, res: ServerResponse, route: string) => Promise<boolean> {
  return async (req, res, route) => {
    if (route !== "/console" && !route.startsWith(consoleBase)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    await ensureConsoleBuilt();
    const relative = route.startsWith(`${consoleBase}assets/`) ? route.slice(consoleBase.length) : "index.html";
    const file = await staticFile(consoleDist, relative);
    if (!file) return false;
    const headers: Record<string, string> =
      relative === "index.html"
        ? { "cache-control": "no-cache", "content-security-policy": contentSecurityPolicy, "referrer-policy": "no-referrer", "x-frame-options": "DENY" }
        : { "cache-control": "public, max-age=31536000, immutable" }; // names carry a content hash
    await sendFile(req, res, file, headers);
    return true;
  };
}
