import { ensureGraphiqlBuilt } from "../../src/console/build.js";

/** vitest globalSetup: GraphiQL's bundle, built when missing or stale (~6 s), before any worker starts. */
export default async function setup(): Promise<void> {
  await ensureGraphiqlBuilt();
}
