import { ensureGraphiqlBuilt } from "../../src/console/build.js";

/**
 * vitest globalSetup: GraphiQL's bundle, built when missing or stale (~6 s), before any worker starts.
 * A checkout whose node_modules predates graphiql (a shared, not yet reinstalled folder) still runs
 * the other test files: this warns, and test/graphiql*.test.ts fail on their own.
 */
export default async function setup(): Promise<void> {
  try {
    await ensureGraphiqlBuilt();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") throw error;
    console.warn(`GraphiQL bundle not built: ${(error as Error).message.split("\n")[0]} (run npm install)`);
  }
}
