// First: the modules' faces declare GraphQL types, whose decorators need the metadata polyfill.
import "reflect-metadata";
/**
 * npm run seed:scale -- --households 190000 [--seed 2020] [--today 2026-06-30] [--batch 5000]
 *
 * Applies the migrations, then fills an EMPTY database with real-prefecture-scale synthetic data
 * (seeds/scale.ts). Uses DATABASE_URL (PostgreSQL) or PGlite in DATA_DIR, like the server, and the
 * server's ID_HASH_KEY (or its development key) for the households' ID-number hashes.
 * Refuses (exit 1) when the database already has divisions.
 */
import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { DEVELOPMENT_ID_HASH_KEY, seedScale } from "./scale.js";
import { isDatabaseEmpty } from "./seed.js";

function usage(message: string): never {
  console.error(`seed:scale: ${message}`);
  console.error("usage: npm run seed:scale -- [--households 190000] [--seed 2020] [--today YYYY-MM-DD] [--batch 5000]");
  process.exit(1);
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      households: { type: "string" },
      seed: { type: "string" },
      today: { type: "string" },
      batch: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}
try {
  args = parse();
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (args.values.help) {
  console.log("usage: npm run seed:scale -- [--households 190000] [--seed 2020] [--today YYYY-MM-DD] [--batch 5000]");
  process.exit(0);
}
const households = positiveInteger("households", args.values.households, 190_000);
const seed = positiveInteger("seed", args.values.seed, 2020);
const batchSize = positiveInteger("batch", args.values.batch, 5000);
let today: Date | undefined;
if (args.values.today !== undefined) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(args.values.today) || Number.isNaN(Date.parse(`${args.values.today}T00:00:00Z`))) {
    usage(`--today must be a date YYYY-MM-DD (got ${JSON.stringify(args.values.today)})`);
  }
  today = new Date(`${args.values.today}T00:00:00Z`);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) usage(error.message);
  throw error;
}

const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
let exitCode = 0;
try {
  await database.migrate();
  if (!(await isDatabaseEmpty(database))) {
    console.error(
      `seed:scale: refused: the database (${config.DATABASE_URL ? "DATABASE_URL" : `PGlite in ${config.DATA_DIR}`}) already has divisions. ` +
        "The scale seed only fills an empty database: use a fresh one (a new PostgreSQL database or DATA_DIR).",
    );
    exitCode = 1;
  } else {
    console.log(
      `seed:scale: ${households} households into ${config.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${config.DATA_DIR}`}, ` +
        `ID hashes with ${config.ID_HASH_KEY ? "ID_HASH_KEY" : "the development key"}`,
    );
    await seedScale(database, { households, seed, today, batchSize, idHashKey: config.ID_HASH_KEY ?? DEVELOPMENT_ID_HASH_KEY });
  }
} catch (error) {
  console.error("seed:scale failed:", error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
