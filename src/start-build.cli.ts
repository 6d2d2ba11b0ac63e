import { ensureConsoleBuilt, ensureGraphiqlBuilt } from "./console/build.js";
import { ensureServerBuilt, serverDist } from "./server-build.js";

/**
 * `npm start`'s first step: the server's build (dist/server) and the browser bundles, each only when
 * missing or stale, in this short-lived process, so Vite and esbuild never load into the server's
 * (a first build there left ~400 MB of RSS behind). The server checks the bundles again at start-up
 * (src/main.ts) and finds them current.
 */
const started = Date.now();
if (await ensureServerBuilt()) console.log(`built the server into ${serverDist} in ${Date.now() - started} ms`);
if (process.env.NODE_ENV !== "production" || process.env.GRAPHIQL === "true") await ensureGraphiqlBuilt();
await ensureConsoleBuilt();
