import { ensureGraphiqlBuilt, graphiqlDist } from "./build.js";

const started = Date.now();
await ensureGraphiqlBuilt();
console.log(`GraphiQL bundle ready in ${graphiqlDist} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
