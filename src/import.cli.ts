// First: the modules' faces declare GraphQL types, whose decorators need the metadata polyfill.
import "reflect-metadata";
/**
 * npm run import -- households FILE [--dry-run] [--compare] [--county CODE] [--as USERNAME] [--out REPORT.csv]
 * npm run import -- collective-incomes FILE [--dry-run] [--county CODE] [--as USERNAME]
 *
 * Imports (or, with --compare, compares) a household file from the national poverty information
 * system, exactly as POST /imports/households does, or a file of village collective incomes (村级集体经济收入),
 * exactly as POST /imports/collective-incomes does, against DATABASE_URL (PostgreSQL) or PGlite in
 * DATA_DIR, with the server's ID_HASH_KEY. The CLI acts as a poverty office, and says which:
 * - `--as USERNAME`: that account (an enabled REVIEWER or ADMIN);
 * - else `--county CODE`: the county office's account (the first enabled REVIEWER of that county, by
 *   username), or, when the county has none, the prefecture office's account limited to that county;
 * - else the prefecture office's account (the first enabled REVIEWER of 433100): the whole prefecture.
 * The audit entry names that account. The import prints its JSON report; exit 0 when the file was
 * accepted, 2 when it was refused (its errors listed), 1 on failure. A comparison writes its CSV report
 * to --out (default FILE.compare.csv) and prints a summary.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { access } from "node:fs/promises";
import { parseArgs } from "node:util";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { UserActor } from "./actor.js";
import { createServices } from "./app.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { actorOf, users } from "./modules/accounts/index.js";
import { PREFECTURE_CODE } from "./modules/geography/index.js";
import { sniffFormat, writeComparisonCsv } from "./modules/household-import/index.js";

const USAGE = [
  "usage: npm run import -- households FILE [--dry-run] [--compare] [--county CODE] [--as USERNAME] [--out REPORT.csv]",
  "       npm run import -- collective-incomes FILE [--dry-run] [--county CODE] [--as USERNAME]",
].join("\n");

function usage(message: string): never {
  console.error(`import: ${message}`);
  console.error(USAGE);
  process.exit(1);
}

function parse() {
  return parseArgs({
    options: {
      "dry-run": { type: "boolean" },
      compare: { type: "boolean" },
      county: { type: "string" },
      as: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
}

let args: ReturnType<typeof parse>;
try {
  args = parse();
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [what, file, ...rest] = args.positionals;
if (what !== "households" && what !== "collective-incomes") usage(`the first argument names what to import: households or collective-incomes (got ${JSON.stringify(what ?? "")})`);
if (what === "collective-incomes" && (args.values.compare || args.values.out)) usage("--compare and --out are for households only");
if (!file || rest.length > 0) usage("give exactly one FILE");
const county = args.values.county;
if (county !== undefined && !/^\d{6}$/.test(county)) usage(`--county must be a 6-digit county code such as 433124 (got ${JSON.stringify(county)})`);
if (args.values["dry-run"] && args.values.compare) usage("--compare changes nothing already: drop --dry-run");
try {
  await access(file);
} catch {
  usage(`cannot read ${file}`);
}

/** The account the CLI acts as (see the header), with the county it is limited to. */
async function actingOffice(database: Database): Promise<{ actor: UserActor; countyCode?: string }> {
  const enabled = eq(users.disabled, false);
  if (args.values.as) {
    const [row] = await database.db.select().from(users).where(and(enabled, eq(sql`lower(${users.username})`, args.values.as.toLowerCase())));
    if (!row || !(row.role === "ADMIN" || row.role === "REVIEWER")) usage(`--as ${args.values.as}: no enabled REVIEWER or ADMIN account of that name`);
    return { actor: actorOf(row), countyCode: county };
  }
  const reviewersOf = (codes: string[]) =>
    database.db.select().from(users).where(and(enabled, eq(users.role, "REVIEWER"), inArray(users.divisionCode, codes))).orderBy(asc(users.username));
  if (county) {
    const [own] = await reviewersOf([county]);
    if (own) return { actor: actorOf(own) };
  }
  const [prefecture] = await reviewersOf([PREFECTURE_CODE]);
  if (!prefecture) usage(`no enabled REVIEWER account of ${county ? `${county} or ` : ""}the prefecture (${PREFECTURE_CODE}); name one with --as`);
  return { actor: actorOf(prefecture), countyCode: county };
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
  const services = createServices(database, config);
  const { actor, countyCode } = await actingOffice(database);
  const command = { actor, requestId: `cli-${randomUUID()}` };
  const source = { path: file, format: await sniffFormat(file) };
  const started = performance.now();
  console.error(`import: acting as ${actor.username} (${actor.role}${actor.divisionCode ? ` ${actor.divisionCode}` : ""})${countyCode ? `, limited to ${countyCode}` : ""}; ${source.format.toUpperCase()} file`);
  if (args.values.compare) {
    const out = args.values.out ?? `${file}.compare.csv`;
    const summary = await services.householdImport.compareHouseholds(command, source, { countyCode }, (lines) => writeComparisonCsv(lines, createWriteStream(out)));
    console.log(JSON.stringify({ report: out, ...summary }, null, 2));
  } else {
    const importer = what === "households" ? services.householdImport : services.collectiveIncomeImport;
    const report = await importer.importFile(command, source, { dryRun: Boolean(args.values["dry-run"]), countyCode });
    console.log(JSON.stringify(report, null, 2));
    console.error(`import: ${report.rows} rows in ${((performance.now() - started) / 1000).toFixed(2)} s${report.dryRun ? " (dry run)" : ""}`);
    if (report.errors.length > 0) exitCode = 2;
  }
} catch (error) {
  // The message only: a driver's error text may quote the statement, never a row of the file.
  console.error("import failed:", error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
