import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, "../..");
const graphiqlSource = join(here, "graphiql");
/** Built GraphiQL (git-ignored): index.html and hashed files under assets/. */
export const graphiqlDist = join(projectRoot, "dist/console/graphiql");
/** Where the page loads its assets from (src/http/graphiql.ts serves them). */
export const graphiqlBase = "/graphiql/";
const stampFile = ".build-stamp";

/** The sources and the bundled packages' versions: a build made from other ones is rebuilt. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(graphiqlSource).sort()) hash.update(name).update(readFileSync(join(graphiqlSource, name)));
  const require = createRequire(import.meta.url);
  for (const pkg of ["graphiql", "@graphiql/react", "react", "react-dom", "vite"]) {
    hash.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`);
  }
  return hash.digest("hex");
}

function isCurrent(stamp: string): boolean {
  try {
    return existsSync(join(graphiqlDist, "index.html")) && readFileSync(join(graphiqlDist, stampFile), "utf8") === stamp;
  } catch {
    return false;
  }
}

/** Bundles src/console/graphiql with Vite into a temporary folder, then renames it into place. */
async function buildGraphiql(stamp: string): Promise<void> {
  const { build } = await import("vite");
  const temporary = `${graphiqlDist}.tmp-${process.pid}-${Date.now()}`;
  await build({
    root: graphiqlSource,
    base: graphiqlBase,
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: "warn",
    build: {
      outDir: temporary,
      emptyOutDir: true,
      assetsDir: "assets",
      sourcemap: false,
      // GraphiQL with Monaco is one large page; the size is known and asked for.
      chunkSizeWarningLimit: 20_000,
      reportCompressedSize: false,
      rolldownOptions: {
        // React libraries' "use client" / "use no memo" directives mean nothing in one browser bundle.
        onwarn(warning, warn) {
          if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
        },
      },
    },
    worker: { format: "es" },
  });
  writeFileSync(join(temporary, stampFile), stamp);
  mkdirSync(dirname(graphiqlDist), { recursive: true });
  if (isCurrent(stamp)) {
    // Another process (a parallel test worker) finished the same build first: keep theirs.
    rmSync(temporary, { recursive: true, force: true });
    return;
  }
  rmSync(graphiqlDist, { recursive: true, force: true });
  try {
    renameSync(temporary, graphiqlDist);
  } catch (error) {
    // Another process built it at the same moment: keep theirs.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(join(graphiqlDist, "index.html"))) throw error;
  }
}

let pending: Promise<void> | undefined;

/** Builds GraphiQL when the bundle is missing or was made from other sources (once per process). */
export function ensureGraphiqlBuilt(): Promise<void> {
  pending ??= (async () => {
    const stamp = sourceStamp();
    if (!isCurrent(stamp)) await buildGraphiql(stamp);
  })().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
