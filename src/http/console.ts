import type { IncomingMessage, ServerResponse } from "node:http";
import { consoleBase, consoleDist, consolePages, ensureConsoleBuilt } from "../console/build.js";
import { type CachedAsset, loadAsset, sendAsset, sendFile, staticFile } from "./static-files.js";

/**
 * Nothing the console loads may come from another host (offline intranets); the browser enforces it.
 * ECharts draws SVG (inline style attributes, like React's); exports download as blob: URLs.
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
 * The console's hashed assets in memory with their brotli and gzip copies, read on first request
 * (a name's content never changes; a rebuild makes new names). About 1 MB in all.
 */
const assets = new Map<string, Promise<CachedAsset>>();
function cachedAsset(relative: string, file: { path: string; contentType: string }): Promise<CachedAsset> {
  let asset = assets.get(relative);
  if (!asset) {
    asset = loadAsset(file);
    asset.catch(() => assets.delete(relative));
    assets.set(relative, asset);
  }
  return asset;
}

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
    // (a page preloading its route's chunks, else the one page the browser routes itself)
    const relative = route.startsWith(`${consoleBase}assets/`) ? route.slice(consoleBase.length) : (consolePages[route] ?? "index.html");
    const page = !relative.startsWith("assets/");
    const immutable = { "cache-control": "public, max-age=31536000, immutable" }; // names carry a content hash
    // (only names staticFile accepted are in the cache)
    const cached = page ? undefined : assets.get(relative);
    if (cached) {
      sendAsset(req, res, await cached, immutable);
      return true;
    }
    const file = await staticFile(consoleDist, relative);
    if (!file) return false;
    if (page) {
      await sendFile(req, res, file, { "cache-control": "no-cache", "content-security-policy": contentSecurityPolicy, "referrer-policy": "no-referrer", "x-frame-options": "DENY" });
    } else sendAsset(req, res, await cachedAsset(relative, file), immutable);
    return true;
  };
}
