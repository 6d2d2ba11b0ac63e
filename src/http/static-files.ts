import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
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
