import { ensureConsoleBuilt, ensureGraphiqlBuilt } from "../../src/console/build.js";
import { ensureServerBuilt } from "../../src/server-build.js";

/**
 * vitest globalSetup: the server's build (dist/server), then GraphiQL's and the console's bundles, each
 * built when missing or stale (~1 s, ~6 s each), before any worker starts. A checkout whose node_modules predates a bundled package (a shared, not
 * yet reinstalled folder) still runs the other test files: this warns, and the tests of that bundle
 * (test/graphiql*.test.ts, test/console*.test.ts) fail on their own.
 */
export default async function setup(): Promise<void> {
  // The server's build, which test/support/server-process.ts starts as `npm start` does (about a second).
  await ensureServerBuilt();
  for (const [name, build] of [
    ["GraphiQL", ensureGraphiqlBuilt],
    ["console", ensureConsoleBuilt],
  ] as const) {
    try {
      await build();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") throw error;
      console.warn(`${name} bundle not built: ${(error as Error).message.split("\n")[0]} (run npm install)`);
    }
  }
}
