import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, resolve, sep } from "node:path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

export function contentTypeOf(path: string): string | undefined {
  return contentTypes[extname(path).toLowerCase()];
}

/**
 * The file `relative` under `root`, or undefined: no `..`, no encoded separators or NUL, no
 * dot-files, only regular files with a known content type.
 */
export async function staticFile(root: string, relative: string): Promise<{ path: string; size: number; contentType: string } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || decoded.split("/").some((part) => part === ".." || part.startsWith("."))) return undefined;
  const base = resolve(root);
  const path = resolve(base, decoded);
  if (!path.startsWith(base + sep)) return undefined;
  const contentType = contentTypeOf(path);
  if (!contentType) return undefined;
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, contentType } : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a file found by `staticFile` (HEAD: headers only). */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: { path: string; size: number; contentType: string }, headers: Record<string, string>): Promise<void> {
  res.writeHead(200, { "content-type": file.contentType, "content-length": file.size, "x-content-type-options": "nosniff", ...headers });
  if (req.method === "HEAD") {
    res.end();
    return Promise.resolve();
  }
  return new Promise((done, fail) => {
    const stream = createReadStream(file.path);
    stream.on("error", (error) => {
      res.destroy();
      fail(error);
    });
    res.on("close", () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
}

/** Encodings the console's build keeps copies in (`<file>.br`, `<file>.gz`; src/console/build.ts), best first. */
const encodings = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/** Whether an Accept-Encoding header allows `name` (listed, or `*`, with a q above 0). */
export function acceptsEncoding(header: string | undefined, name: string): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(",")) {
    const [token = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (token.trim() === name) return allowed;
    if (token.trim() === "*") star = allowed;
  }
  return star;
}

/** A file held in memory with its precompressed copies (for hashed, immutable assets). */
export interface CachedAsset {
  contentType: string;
  bodies: { encoding: string | null; body: Buffer }[];
}

/** Reads a file found by `staticFile` and the `.br` / `.gz` copies next to it, if any. */
export async function loadAsset(file: { path: string; contentType: string }): Promise<CachedAsset> {
  const bodies: CachedAsset["bodies"] = [];
  for (const encoding of encodings) {
    const body = await readFile(file.path + encoding.suffix).catch(() => undefined);
    if (body) bodies.push({ encoding: encoding.name, body });
  }
  bodies.push({ encoding: null, body: await readFile(file.path) });
  return { contentType: file.contentType, bodies };
}

/**
 * Sends a cached asset in one write, in the best encoding the request accepts (Vary: Accept-Encoding):
 * no file system round trip, so it goes out even while the event loop is busy with queries.
 */
export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: CachedAsset, headers: Record<string, string>): void {
  const accepted = req.headers["accept-encoding"];
  const chosen = asset.bodies.find((b) => b.encoding === null || acceptsEncoding(accepted, b.encoding))!;
  res.writeHead(200, {
    "content-type": asset.contentType,
    "content-length": chosen.body.length,
    "x-content-type-options": "nosniff",
    vary: "accept-encoding",
    ...(chosen.encoding ? { "content-encoding": chosen.encoding } : {}),
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : chosen.body);
}
