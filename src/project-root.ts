import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder (the one holding package.json), found from this file's place: the same whether
 * the server runs from its sources (src/, under tsx or vitest) or from the build `npm start` runs
 * (dist/server/src/, src/server-build.ts), so files read at run time (migrations, the console's
 * sources) are found either way.
 */
function findProjectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(folder, "package.json"))) return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error("project root not found: no package.json above src/project-root");
    folder = parent;
  }
}

export const projectRoot = findProjectRoot();
