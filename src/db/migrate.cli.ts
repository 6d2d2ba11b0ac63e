// First: the modules' faces declare GraphQL types, whose decorators need the metadata polyfill.
import "reflect-metadata";
import { loadConfig } from "../config.js";
import { openDatabase } from "./client.js";

/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to PGlite in DATA_DIR. */
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  await database.migrate();
  console.log(`migrated (${database.kind})`);
} finally {
  await database.close();
}
