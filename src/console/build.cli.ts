import { consoleDist, ensureConsoleBuilt, ensureGraphiqlBuilt, graphiqlDist } from "./build.js";

for (const [name, build, dist] of [
  ["GraphiQL", ensureGraphiqlBuilt, graphiqlDist],
  ["console", ensureConsoleBuilt, consoleDist],
] as const) {
  const started = Date.now();
  await build();
  console.log(`${name} bundle ready in ${dist} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
