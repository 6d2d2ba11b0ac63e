// First: the modules' faces declare GraphQL types, whose decorators need the metadata polyfill.
import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { apiSchema } from "./app.js";
import { printApiSchema } from "./graphql/print-schema.js";

/** `npm run schema:emit`: writes the published contract, schema/schema.graphql. */
const target = fileURLToPath(new URL("../schema/schema.graphql", import.meta.url));
await writeFile(target, printApiSchema(await apiSchema()));
console.log(`wrote ${target}`);
