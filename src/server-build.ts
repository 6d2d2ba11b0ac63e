import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { projectRoot } from "./project-root.js";

/**
 * The server as `npm start` runs it: src/ and seeds/ transpiled to JavaScript in dist/server (git-ignored)
 * by esbuild, the same transform tsx applies on the fly (keepNames, no decorator metadata: STACK.md),
 * so plain `node` runs it. Without tsx's loader thread and its cache of transformed sources, the
 * server starts ~55 MB smaller (RSS, bench:catalog); tsx stays the runner of tests, CLIs and `npm run dev`.
 */
export const serverDist = join(projectRoot, "dist/server");
/** The built entry point `npm start` runs. */
export const serverEntry = join(serverDist, "src/main.js");
/**
 * The V8 flags `npm start` gives the server (package.json repeats them; test/start.test.ts checks they
 * agree), the benches and the tests' child servers use:
 * - a young generation of 3 × 16 MB (64 MB cost ~100 MB of RSS under load for a few per cent of CPU);
 * - the old generation grown to 2.5× what survived its last collection before the next (V8 allows 4×
 *   when its limit is over 1 GB, as on any server): the API's RSS under 50 connections peaked at ~230
 *   instead of ~300 MB for about the same throughput (bench:catalog's load, side by side).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=16", "--heap-growing-percent=150"] as const;

const stampFile = ".build-stamp";
/** Browser code, built by Vite (src/console/build.ts), not part of the server. */
const browserFolders = [join(projectRoot, "src/console/app"), join(projectRoot, "src/console/graphiql")];

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return browserFolders.includes(path) ? [] : typeScriptFiles(path);
      return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
    });
}

function esbuildVersion(): string {
  return (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;
}

/** The sources, tsconfig, esbuild's version and this file: a build made from other ones is rebuilt. */
function sourceStamp(files: readonly string[]): string {
  const hash = createHash("sha256")
    .update(`esbuild@${esbuildVersion()} node${process.versions.node.split(".")[0]}`)
    .update(readFileSync(join(projectRoot, "tsconfig.json")))
    .update(readFileSync(join(projectRoot, "src/server-build.ts")));
  for (const path of files) hash.update(relative(projectRoot, path)).update(readFileSync(path));
  return hash.digest("hex");
}

function isCurrent(stamp: string): boolean {
  try {
    return readFileSync(join(serverDist, stampFile), "utf8") === stamp && existsSync(serverEntry);
  } catch {
    return false;
  }
}

/**
 * Builds dist/server when it is missing or was built from other sources (about a second), into a
 * temporary folder renamed into place, so a server starting meanwhile never finds half a build.
 * Answers whether it built.
 */
export async function ensureServerBuilt(): Promise<boolean> {
  const files = [...typeScriptFiles(join(projectRoot, "src")), ...typeScriptFiles(join(projectRoot, "seeds"))];
  const stamp = sourceStamp(files);
  if (isCurrent(stamp)) return false;
  const esbuild = await import("esbuild");
  const temporary = `${serverDist}.tmp-${process.pid}-${Date.now()}`;
  try {
    await esbuild.build({
      entryPoints: files,
      outdir: temporary,
      outbase: projectRoot,
      bundle: false,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node.split(".")[0]}`,
      // type-graphql names GraphQL types after their classes.
      keepNames: true,
      tsconfig: join(projectRoot, "tsconfig.json"),
      logLevel: "warning",
    });
    writeFileSync(join(temporary, stampFile), stamp);
    mkdirSync(dirname(serverDist), { recursive: true });
    if (isCurrent(stamp)) return false; // another process finished the same build first: keep theirs
    const previous = `${serverDist}.old-${process.pid}-${Date.now()}`;
    if (existsSync(serverDist)) renameSync(serverDist, previous);
    try {
      renameSync(temporary, serverDist);
    } catch (error) {
      if (!isCurrent(stamp)) throw error; // another process put the same build in place at that moment
    }
    rmSync(previous, { recursive: true, force: true });
    return true;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
