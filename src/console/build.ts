import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import { projectRoot } from "../project-root.js";

/** The console's sources (src/console), also when the server runs from its build (dist/server). */
const here = join(projectRoot, "src/console");
const stampFile = ".build-stamp";

/** A browser bundle Vite builds from a folder of src/console into a git-ignored folder of dist/console. */
interface Bundle {
  name: string;
  source: string;
  dist: string;
  /** where the page loads its assets from (the server's route) */
  base: string;
  /** bundled packages: a build made with other versions is rebuilt */
  packages: readonly string[];
  /** a known large bundle's chunk size, so Vite does not warn about it (kB) */
  chunkSizeWarningLimit: number;
  /** also write `<asset>.br` and `<asset>.gz` next to each script and style sheet (the server sends them) */
  precompress: boolean;
  /**
   * HTML pages written from index.html that also load these source modules' chunks (and the chunks they
   * import) from the start, as `<link rel="modulepreload">`: the browser fetches them in parallel with
   * the entry instead of after it has run. Keyed by the page's file name in the bundle.
   */
  preloads?: Record<string, readonly string[]>;
  /**
   * Start each script with V8's explicit compile hint `//# allFunctionsCalledOnLoad`: Chromium compiles
   * all its functions on a background thread while the file streams in, instead of each one on the
   * main thread when first called (the dashboard calls most of ECharts and React at once).
   */
  compileHints?: boolean;
}

/** Built GraphiQL (git-ignored): index.html and hashed files under assets/. */
export const graphiqlDist = join(projectRoot, "dist/console/graphiql");
/** Where the page loads its assets from (src/http/graphiql.ts serves them). */
export const graphiqlBase = "/graphiql/";
/** Built console (git-ignored): index.html and hashed files under assets/. */
export const consoleDist = join(projectRoot, "dist/console/app");
/** The console's route and where its page loads assets from (src/http/console.ts serves them). */
export const consoleBase = "/console/";
/**
 * The console's pages by route when not index.html (src/http/console.ts): the dashboard's page preloads
 * its chunk (ECharts) with React's, so a signed-in office opening it loads them all at once.
 */
export const consolePages: Readonly<Record<string, string>> = { "/console/dashboard": "dashboard.html" };

const graphiql: Bundle = {
  name: "GraphiQL",
  source: join(here, "graphiql"),
  dist: graphiqlDist,
  base: graphiqlBase,
  packages: ["graphiql", "@graphiql/react", "react", "react-dom", "vite"],
  // GraphiQL with Monaco is one large page; the size is known and asked for.
  chunkSizeWarningLimit: 20_000,
  precompress: false,
};

const consoleApp: Bundle = {
  name: "console",
  source: join(here, "app"),
  dist: consoleDist,
  base: consoleBase,
  packages: ["echarts", "zrender", "react", "react-dom", "vite"],
  chunkSizeWarningLimit: 1_500,
  precompress: true,
  preloads: { "index.html": ["boot.tsx"], "dashboard.html": ["boot.tsx", "pages/dashboard.tsx"] },
  compileHints: true,
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? sourceFiles(path) : [path];
    });
}

/** The sources and the bundled packages' versions: a build made from other ones is rebuilt. */
function sourceStamp(bundle: Bundle): string {
  const hash = createHash("sha256")
    .update("NODE_ENV=production")
    .update(bundle.precompress ? "precompress=br,gzip" : "")
    .update(bundle.preloads ? `preloads=${JSON.stringify(bundle.preloads)}` : "")
    .update(readFileSync(join(here, "build.ts"))); // how it is built (its source, whichever copy runs)
  for (const path of sourceFiles(bundle.source)) hash.update(path.slice(bundle.source.length)).update(readFileSync(path));
  const require = createRequire(import.meta.url);
  for (const pkg of bundle.packages) {
    hash.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`);
  }
  return hash.digest("hex");
}

function isCurrent(bundle: Bundle, stamp: string): boolean {
  try {
    return existsSync(join(bundle.dist, "index.html")) && readFileSync(join(bundle.dist, stampFile), "utf8") === stamp;
  } catch {
    return false;
  }
}

/** Bundles the source folder with Vite into a temporary folder, then renames it into place. */
async function build(bundle: Bundle, stamp: string): Promise<void> {
  const vite = await import("vite");
  const temporary = `${bundle.dist}.tmp-${process.pid}-${Date.now()}`;
  // A production bundle whoever builds it: Vite and its JSX transform follow the NODE_ENV they find
  // (vitest's "test", `npm run dev`'s "development"), and React would then ship its development build
  // (larger, slower) or, half-switched, call a jsxDEV its production runtime lacks. Only for the build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await vite.build({
      root: bundle.source,
      base: bundle.base,
      configFile: false,
      envDir: false,
      publicDir: false,
      logLevel: "warn",
      mode: "production",
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
      build: {
        outDir: temporary,
        emptyOutDir: true,
        assetsDir: "assets",
        sourcemap: false,
        chunkSizeWarningLimit: bundle.chunkSizeWarningLimit,
        reportCompressedSize: false,
        // .vite/manifest.json: which chunks a source module needs (for the preloads; a dot-folder, never served)
        manifest: Boolean(bundle.preloads),
        rolldownOptions: {
          // React libraries' "use client" / "use no memo" directives mean nothing in one browser bundle.
          onwarn(warning, warn) {
            if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
          },
        },
      },
      worker: { format: "es" },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  if (bundle.preloads) writePreloadingPages(temporary, bundle.base, bundle.preloads);
  if (bundle.compileHints) addCompileHints(join(temporary, "assets"));
  if (bundle.precompress) precompress(join(temporary, "assets"));
  writeFileSync(join(temporary, stampFile), stamp);
  mkdirSync(dirname(bundle.dist), { recursive: true });
  if (isCurrent(bundle, stamp)) {
    // Another process (a parallel test worker) finished the same build first: keep theirs.
    rmSync(temporary, { recursive: true, force: true });
    return;
  }
  rmSync(bundle.dist, { recursive: true, force: true });
  try {
    renameSync(temporary, bundle.dist);
  } catch (error) {
    // Another process built it at the same moment: keep theirs.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(join(bundle.dist, "index.html"))) throw error;
  }
}

/** Writes each page of `preloads`: the built index.html with `<link rel="modulepreload">` for the modules' chunks. */
function writePreloadingPages(folder: string, base: string, preloads: Record<string, readonly string[]>): void {
  const manifest = JSON.parse(readFileSync(join(folder, ".vite/manifest.json"), "utf8")) as Record<string, { file: string; imports?: string[] }>;
  const html = readFileSync(join(folder, "index.html"), "utf8");
  const entry = /<script type="module"[^>]*><\/script>/.exec(html);
  if (!entry) throw new Error("the built index.html has no module script");
  for (const [page, modules] of Object.entries(preloads)) {
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk) throw new Error(`no chunk for ${key} in the console's build manifest`);
      if (files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    for (const module of modules) visit(module);
    const links = [...files]
      .filter((file) => !html.includes(`"${base}${file}"`)) // the entry itself
      .map((file) => `<link rel="modulepreload" crossorigin href="${base}${file}">`).join("\n    ");
    writeFileSync(join(folder, page), html.replace(entry[0], `${entry[0]}\n    ${links}`));
  }
}

/** Prepends V8's compile hint to each script of the folder (see Bundle.compileHints). */
function addCompileHints(folder: string): void {
  const hint = "//# allFunctionsCalledOnLoad\n";
  for (const name of readdirSync(folder)) {
    if (!name.endsWith(".js")) continue;
    const text = readFileSync(join(folder, name), "utf8");
    if (!text.startsWith(hint)) writeFileSync(join(folder, name), hint + text);
  }
}

/** Brotli (best) and gzip (level 9) copies of each script and style sheet, for clients that accept them. */
function precompress(folder: string): void {
  for (const name of readdirSync(folder)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const bytes = readFileSync(join(folder, name));
    writeFileSync(join(folder, `${name}.br`), brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
    writeFileSync(join(folder, `${name}.gz`), gzipSync(bytes, { level: 9 }));
  }
}

const pending = new Map<Bundle, Promise<void>>();

/** Builds a bundle when it is missing or was made from other sources (once per process). */
function ensureBuilt(bundle: Bundle): Promise<void> {
  let done = pending.get(bundle);
  if (!done) {
    done = (async () => {
      const stamp = sourceStamp(bundle);
      if (!isCurrent(bundle, stamp)) await build(bundle, stamp);
    })().catch((error: unknown) => {
      pending.delete(bundle);
      throw error;
    });
    pending.set(bundle, done);
  }
  return done;
}

/** Builds GraphiQL when the bundle is missing or was made from other sources (once per process). */
export function ensureGraphiqlBuilt(): Promise<void> {
  return ensureBuilt(graphiql);
}

/** Builds the console (/console) when the bundle is missing or was made from other sources (once per process). */
export function ensureConsoleBuilt(): Promise<void> {
  return ensureBuilt(consoleApp);
}
