import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoAccounts } from "../seeds/accounts.js";
import { seedDemoData } from "../seeds/seed.js";
import { openDatabase } from "../src/db/client.js";
import { idCheckCharacter } from "../src/modules/households/index.js";
import { SEED_DATE, type TestDatabase, onPostgres, openTestDatabase } from "./support/database.js";

/**
 * `npm run import -- households FILE [--dry-run] [--compare]` (src/import.cli.ts) as an office runs it:
 * a child process against the test's database (PostgreSQL of TEST_DATABASE_URL, or a PGlite folder),
 * with its own ID_HASH_KEY. Its JSON report, its exit codes, what it stores (keyed hash and masked
 * form only), its one audit entry, and the comparison's CSV report.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLE = fileURLToPath(new URL("../seeds/samples/households.csv", import.meta.url));
const ID_HASH_KEY = "import-cli-test-key-0123456789abcdefghij";
const HEADER = "户编号,行政村代码,户主姓名,户主证件号码,家庭人口数,劳动能力,发展意愿,户状态,监测原因";

let folder: string;
let tdb: TestDatabase | undefined;
let dataDir: string | undefined;
const env: Record<string, string> = {};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "fupin-import-cli-"));
  if (onPostgres) {
    tdb = await openTestDatabase({ seed: true });
    await seedDemoAccounts(tdb.database);
    env.DATABASE_URL = tdb.url!;
  } else {
    // PGlite: one process at a time on a folder, so the test closes it before each run of the CLI.
    dataDir = join(folder, "data");
    const database = await openDatabase({ dataDir });
    await database.migrate();
    await seedDemoData(database, SEED_DATE);
    await seedDemoAccounts(database);
    await database.close();
    env.DATA_DIR = dataDir;
  }
}, 180_000);

afterAll(async () => {
  await tdb?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The rows of a statement against the test's database (PGlite: opened for it, then closed again). */
async function rows<T>(query: SQL): Promise<T[]> {
  if (tdb) return tdb.database.rows<T & Record<string, unknown>>(query) as Promise<T[]>;
  const database = await openDatabase({ dataDir });
  try {
    return (await database.rows<T & Record<string, unknown>>(query)) as T[];
  } finally {
    await database.close();
  }
}

/** Runs the CLI to its end: exit code, stdout, stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, TEST_DATABASE_URL: _test, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/import.cli.ts", ...args], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: "development", LOG_LEVEL: "warn", ID_HASH_KEY, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const [code] = (await once(child, "exit")) as [number];
  return { code, stdout, stderr };
}

const sampleLines = async () => (await readFile(SAMPLE, "utf8")).replace(/^\uFEFF/, "").trim().split(/\r?\n/).slice(1);
const sampleNumbers = async () => (await sampleLines()).map((l) => l.split(",")[0]!);

async function storedSample(): Promise<{ household_no: string; version: number; members: number; updated_at: string }[]> {
  const numbers = await sampleNumbers();
  return rows(sql`select household_no, version, members, updated_at::text from households
    where household_no in (${sql.join(numbers.map((n) => sql`${n}`), sql`, `)}) order by household_no`);
}

const importAudits = () =>
  rows<{ username: string; entity_type: string; changes: Record<string, { after: unknown }> }>(sql`select u.username, a.entity_type, a.changes
    from audit_log a join users u on u.id = a.actor_user_id where a.operation = 'importHouseholds' order by a.id`);

describe("npm run import -- households", () => {
  it("--dry-run checks the file and counts what would change, as the county's office, writing nothing", async () => {
    const run = await cli("households", SAMPLE, "--county", "433124", "--dry-run");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ dryRun: true, rows: 12, inserted: 12, updated: 0, unchanged: 0, errors: [] });
    expect(run.stderr).toContain("acting as huayuan_reviewer (REVIEWER 433124)");
    expect(await storedSample()).toEqual([]);
    expect(await importAudits()).toEqual([]);
  }, 120_000);

  it("imports the file: ID numbers stored only as the HMAC with ID_HASH_KEY and the masked form; one audit entry with the counts", async () => {
    const run = await cli("households", SAMPLE, "--county", "433124");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ dryRun: false, rows: 12, inserted: 12, updated: 0, unchanged: 0, errors: [] });

    const ids = (await sampleLines()).map((l) => l.split(",")[3]!);
    const stored = await rows<{ household_no: string; head_id_hash: string; head_id_masked: string; whole: string }>(sql`select household_no, head_id_hash, head_id_masked,
        row_to_json(h)::text as whole from households h
      where household_no in (${sql.join((await sampleNumbers()).map((n) => sql`${n}`), sql`, `)}) order by household_no`);
    expect(stored).toHaveLength(12);
    const byNumber = new Map((await sampleLines()).map((l) => [l.split(",")[0]!, l.split(",")[3]!]));
    for (const row of stored) {
      const id = byNumber.get(row.household_no)!;
      expect(row.head_id_hash).toBe(createHmac("sha256", ID_HASH_KEY).update(id, "utf8").digest("hex"));
      expect(row.head_id_masked).toBe(`${id.slice(0, 4)}**********${id.slice(14)}`);
      // No column holds the whole number, nor its middle digits.
      for (const whole of ids) expect(row.whole).not.toContain(whole.slice(4, 14));
    }

    const audits = await importAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ username: "huayuan_reviewer", entity_type: "HouseholdImport" });
    expect(Object.fromEntries(Object.entries(audits[0]!.changes).map(([k, v]) => [k, v.after]))).toEqual({
      format: "csv",
      jurisdiction: "433124",
      rows: 12,
      inserted: 12,
      updated: 0,
      unchanged: 0,
    });
    expect(JSON.stringify(audits[0]!.changes)).not.toMatch(/龙先兰|\d{17}[\dX]/);
  }, 120_000);

  it("the same file again changes nothing: every row unchanged, no version or timestamp moved", async () => {
    const before = await storedSample();
    const run = await cli("households", SAMPLE, "--county", "433124");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ dryRun: false, rows: 12, inserted: 0, updated: 0, unchanged: 12, errors: [] });
    expect(await storedSample()).toEqual(before);
    expect(before.every((h) => h.version === 1)).toBe(true);
  }, 120_000);

  it("a file with bad rows exits 2 with each error's line and column, and writes nothing", async () => {
    const [first, second] = await sampleLines();
    const cells = second!.split(",");
    const file = join(folder, "bad.csv");
    await writeFile(
      file,
      [
        HEADER,
        first!.replace(",4,有,有,", ",21,有,有,"), // 2: members 21
        "4331241032019999,433124103201,龙先兰,433124198003121016,4,有,有,已脱贫,", // 3: check character wrong
        [cells[0], cells[1], cells[2], cells[3], "2", "是", "无", "已脱贫", ""].join(","), // 4: 劳动能力 not 有/无
      ].join("\r\n"),
    );
    const before = await storedSample();
    const audits = (await importAudits()).length;
    const run = await cli("households", file, "--county", "433124");
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dryRun: false, rows: 3, inserted: 0, updated: 0, unchanged: 0 });
    expect(report.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [2, "家庭人口数"],
      [3, "户主证件号码"],
      [4, "劳动能力"],
    ]);
    expect(await storedSample()).toEqual(before);
    expect((await importAudits()).length).toBe(audits);
  }, 120_000);

  it("--compare writes the CSV report to --out (only in the file, only in the platform, changed fields) and changes nothing", async () => {
    const [first, second, ...others] = await sampleLines();
    const freshId = `43312419850707101${idCheckCharacter("43312419850707101")}`;
    const fresh = `4331241032019001,433124103201,向春花,${freshId},3,有,有,未脱贫,`;
    const file = join(folder, "compare.csv");
    // The first household now has 5 members; the second is left out; one household is new.
    await writeFile(file, [HEADER, first!.replace(",4,有,有,", ",5,有,有,"), ...others, fresh].join("\r\n"));
    const out = join(folder, "比对结果.csv");
    const before = await storedSample();
    const platformOnly = (
      await rows<{ household_no: string }>(sql`select household_no from households where county_code = '433124'
        and household_no not in (${sql.join([first!, ...others].map((l) => sql`${l.split(",")[0]}`), sql`, `)}) order by household_no`)
    ).map((r) => r.household_no);
    expect(platformOnly).toContain(second!.split(",")[0]);

    const run = await cli("households", file, "--county", "433124", "--compare", "--out", out);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      report: out,
      rows: 12,
      fileErrors: 0,
      onlyInFile: 1,
      onlyInPlatform: platformOnly.length,
      householdsDiffering: 1,
      fieldsDiffering: 1,
    });
    const bytes = await readFile(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = parse(bytes.toString("utf8"), { bom: true }) as string[][];
    expect(header).toEqual(["差异类型", "文件行号", "户编号", "行政村代码", "户主姓名", "户主证件号码（脱敏）", "字段", "文件中的值", "平台中的值", "说明"]);
    expect(lines.filter((l) => l[0] === "字段不同")).toEqual([["字段不同", "2", "4331241032010001", "433124103201", "龙先兰", "4331**********1015", "家庭人口数", "5", "4", ""]]);
    expect(lines.filter((l) => l[0] === "仅在文件中")).toEqual([["仅在文件中", "13", "4331241032019001", "433124103201", "向春花", `4331**********${freshId.slice(14)}`, "", "", "", ""]]);
    expect(lines.filter((l) => l[0] === "仅在平台中").map((l) => l[2])).toEqual(platformOnly);
    expect(lines).toHaveLength(2 + platformOnly.length);
    expect(bytes.toString("utf8")).not.toMatch(/\d{17}[\dX]/);
    expect(await storedSample()).toEqual(before);
  }, 120_000);

  it("refuses what it cannot do with exit 1 and the usage", async () => {
    const both = await cli("households", SAMPLE, "--dry-run", "--compare");
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("--compare changes nothing already");
    expect(both.stderr).toContain("usage: npm run import -- households FILE [--dry-run] [--compare]");
    const county = await cli("households", SAMPLE, "--county", "4331");
    expect(county.code).toBe(1);
    expect(county.stderr).toContain("--county must be a 6-digit county code");
    const missing = await cli("households", join(folder, "no-such-file.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
  }, 120_000);
});
