/**
 * Real-scale synthetic catalog data (benchmarks): N enterprises and M LISTED, unexpired products
 * spread over the 8 counties of 湘西州 and their villages.
 *
 * Deterministic: the same `seed` and the same seed day (`today`, UTC) give the same rows, ids included.
 * Needs the reference divisions (`seedDemoData` or at least `divisionSeeds`) already in the database.
 * Catalog numbers continue after the highest sequence already used per county, so it can run on
 * top of the demo seed (and `catalog_sequences`, where it exists, is moved past them). Rows go in with
 * batched multi-row inserts, then the tables are ANALYZEd.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { divisions, enterprises, products } from "../src/db/schema.js";
import { USCC_ALPHABET, usccCheckCharacter } from "../src/modules/enterprises/index.js";
import type { EnterpriseKind, ProductCategory } from "./demo.js";
import { countyCodes, divisionSeeds } from "./xiangxi.js";
import { Random } from "./random.js";

export interface ScaleCatalogOptions {
  enterprises: number;
  products: number;
  /** PRNG seed */
  seed: number;
  /** dates are laid relative to this day (UTC); default now */
  today?: Date;
  /** rows per INSERT statement */
  batchSize?: number;
}

export interface ScaleCatalogCounts {
  enterprises: number;
  products: number;
}

type EnterpriseInsert = typeof enterprises.$inferInsert;
type ProductInsert = typeof products.$inferInsert;

const DAY_MS = 86_400_000;
const BATCH_NAMES = ["一", "二", "三", "四"] as const;


const countyEntries = Object.entries(countyCodes) as [keyof typeof countyCodes, string][];

/** Villages of each county, from the reference divisions. */
const villagesByCounty: Map<string, string[]> = new Map(
  countyEntries.map(([, code]) => [code, divisionSeeds.filter((d) => d.level === "VILLAGE" && d.code.startsWith(code)).map((d) => d.code)]),
);
const townNamesByCounty: Map<string, string[]> = new Map(
  countyEntries.map(([, code]) => [code, divisionSeeds.filter((d) => d.level === "TOWNSHIP" && d.parentCode === code).map((d) => d.name)]),
);

const kinds: { kind: EnterpriseKind; prefix: string; suffix: string; weight: number }[] = [
  { kind: "LEADING_NATIONAL", prefix: "91", suffix: "生物科技有限公司", weight: 1 },
  { kind: "LEADING_PROVINCIAL", prefix: "91", suffix: "农业开发有限公司", weight: 3 },
  { kind: "LEADING_PREFECTURE", prefix: "91", suffix: "食品有限公司", weight: 6 },
  { kind: "SCALE", prefix: "91", suffix: "农产品有限责任公司", weight: 15 },
  { kind: "COOPERATIVE", prefix: "93", suffix: "专业合作社", weight: 35 },
  { kind: "FAMILY_FARM", prefix: "92", suffix: "家庭农场", weight: 25 },
  { kind: "VILLAGE_COLLECTIVE", prefix: "N2", suffix: "村股份经济合作社", weight: 10 },
  { kind: "OTHER", prefix: "91", suffix: "工艺品有限公司", weight: 5 },
];
const kindWheel = kinds.flatMap((k) => Array.from({ length: k.weight }, () => k));

const nameWords = ["苗乡", "土家", "武陵", "酉水", "沱江", "峒河", "山水", "金秋", "兴农", "福源", "德丰", "惠民", "青山", "云雾", "绿源", "吉祥"];
const trades = ["茶叶", "果业", "蔬菜", "养殖", "粮油", "中药材", "蜂业", "食品", "腊味", "特产"];

interface ProductTemplate {
  category: ProductCategory;
  names: readonly string[];
  specs: readonly (readonly [spec: string, unit: string, minYuan: number, maxYuan: number])[];
}

const templates: ProductTemplate[] = [
  { category: "TEA", names: ["黄金茶", "古丈毛尖", "莓茶", "红茶", "白茶", "绿茶"], specs: [["250克/罐", "罐", 60, 380], ["100克/盒", "盒", 30, 200]] },
  { category: "FRUIT", names: ["椪柑", "猕猴桃", "脐橙", "金秋梨", "葡萄", "杨梅"], specs: [["10斤/箱", "箱", 30, 90], ["5斤/箱", "箱", 20, 60]] },
  { category: "VEGETABLE", names: ["百合干", "萝卜干", "野生蕨菜", "竹笋", "香菇", "木耳", "辣椒"], specs: [["500克/袋", "袋", 12, 80], ["2.5千克/箱", "箱", 50, 220]] },
  { category: "GRAIN_OIL", names: ["贡米", "山茶油", "菜籽油", "糯米", "小米"], specs: [["5千克/袋", "袋", 35, 120], ["5升/桶", "桶", 80, 260]] },
  { category: "MEAT_POULTRY_EGG", names: ["腊肉", "香肠", "黄牛肉干", "土鸡蛋", "腊猪脚", "酸肉"], specs: [["500克/袋", "袋", 38, 128], ["30枚/盒", "盒", 30, 60]] },
  { category: "AQUATIC", names: ["酸鱼", "稻花鱼", "腊鱼"], specs: [["500克/袋", "袋", 35, 90]] },
  { category: "HERBAL", names: ["杜仲茶", "金银花", "蜂蜜", "天麻", "黄精"], specs: [["250克/罐", "罐", 40, 260], ["500克/瓶", "瓶", 50, 180]] },
  { category: "PROCESSED_FOOD", names: ["姜糖", "果脯", "米豆腐", "酸萝卜", "果汁", "糍粑"], specs: [["250克/盒", "盒", 15, 60], ["1升×6瓶/箱", "箱", 40, 120]] },
  { category: "HANDICRAFT", names: ["苗绣挂画", "土家织锦", "银饰手镯", "竹编果篮", "蜡染桌旗"], specs: [["件", "件", 60, 980]] },
  { category: "OTHER", names: ["竹炭包", "艾草香包", "茶籽洗发皂"], specs: [["个", "个", 10, 80]] },
];
const brands = ["湘西印象", "武陵山珍", "苗家味道", "土家坊", "酉水人家", "沱江", "十八洞", "里耶", "芙蓉镇", "矮寨"];

/** A checksum-valid USCC with a unique organisation code derived from `index`. */
function usccFor(prefix: string, countyCode: string, index: number, random: Random): string {
  // 3 characters of the index in base 31 (up to 29 791 enterprises), then 4 random ones.
  let serial = "";
  let n = index;
  for (let i = 0; i < 3; i++) {
    serial = USCC_ALPHABET[n % 31]! + serial;
    n = Math.floor(n / 31);
  }
  if (n > 0) throw new RangeError(`too many enterprises for the USCC serial (${index})`);
  let tail = "";
  for (let i = 0; i < 4; i++) tail += random.pick(Array.from(USCC_ALPHABET));
  const first17 = `${prefix}${countyCode}MB${serial}${tail}`;
  return first17 + usccCheckCharacter(first17);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** validFrom + 2 years − 1 day (as the demo seed does). */
function twoYearsMinusOneDay(fromMs: number): number {
  const from = new Date(fromMs);
  return Date.UTC(from.getUTCFullYear() + 2, from.getUTCMonth(), from.getUTCDate()) - DAY_MS;
}

function price(random: Random, min: number, max: number): string {
  const fen = random.int(min * 100, max * 100);
  // prices end in .00, .80 or .90 mostly, like real listings
  const rounded = random.chance(0.7) ? Math.round(fen / 10) * 10 : fen;
  return (rounded / 100).toFixed(2);
}

/** Builds the rows (pure); `catalogSeqStart` is the first free sequence per county. */
export function buildScaleCatalogRows(
  options: ScaleCatalogOptions,
  catalogSeqStart: ReadonlyMap<string, number> = new Map(),
): { enterprises: EnterpriseInsert[]; products: ProductInsert[] } {
  const random = new Random(options.seed);
  const today = options.today ?? new Date();
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());

  const enterpriseRows: EnterpriseInsert[] = [];
  for (let i = 0; i < options.enterprises; i++) {
    const [countyName, countyCode] = countyEntries[i % countyEntries.length]!;
    const k = random.pick(kindWheel);
    const place = k.kind === "VILLAGE_COLLECTIVE" || k.kind === "FAMILY_FARM" ? random.pick(townNamesByCounty.get(countyCode)!) : "";
    const name =
      k.kind === "VILLAGE_COLLECTIVE"
        ? `${countyName}${place}${random.pick(nameWords)}${k.suffix}`
        : `${countyName}${place}${random.pick(nameWords)}${random.pick(trades)}${k.suffix}`;
    const createdAt = new Date(base - random.int(200, 2000) * DAY_MS + random.int(0, DAY_MS - 1));
    const updatedAt = new Date(Math.min(base - DAY_MS, createdAt.getTime() + random.int(0, 150) * DAY_MS));
    enterpriseRows.push({
      id: random.uuid(),
      name,
      uscc: usccFor(k.prefix, countyCode, i, random),
      kind: k.kind,
      status: "VERIFIED",
      countyCode,
      createdAt,
      updatedAt: updatedAt < createdAt ? createdAt : updatedAt,
    });
  }
  if (enterpriseRows.length === 0 && options.products > 0) throw new RangeError("products need at least one enterprise");

  const nextSeq = new Map<string, number>(countyEntries.map(([, code]) => [code, catalogSeqStart.get(code) ?? 1]));
  const productRows: ProductInsert[] = [];
  for (let i = 0; i < options.products; i++) {
    const enterprise = random.pick(enterpriseRows);
    const countyCode = enterprise.countyCode;
    const t = random.pick(templates);
    const [spec, unit, minYuan, maxYuan] = random.pick(t.specs);
    const productName = random.pick(t.names);
    // listed between 1 and 700 days ago: valid for 2 years, so still unexpired today
    const fromMs = base - random.int(1, 700) * DAY_MS;
    const year = new Date(fromMs).getUTCFullYear();
    const seq = nextSeq.get(countyCode)!;
    if (seq > 999_999) throw new RangeError(`catalog sequence of ${countyCode} exhausted`);
    nextSeq.set(countyCode, seq + 1);
    // last change: within the last 180 days, on or after the listing day, before today (UTC)
    const updatedAt = new Date(Math.max(fromMs, base - random.int(1, 180) * DAY_MS) + random.int(0, DAY_MS - 1));
    const createdAt = new Date(Math.min(updatedAt.getTime(), fromMs) - random.int(7, 120) * DAY_MS + random.int(0, DAY_MS - 1));
    const annualSupplyCapacity = random.int(1, 400) * 100;
    const villages = villagesByCounty.get(countyCode)!;
    productRows.push({
      id: random.uuid(),
      name: random.chance(0.5) ? productName : `${countyEntries.find(([, c]) => c === countyCode)![0].slice(0, 2)}${productName}`,
      brand: random.chance(0.7) ? random.pick(brands) : null,
      category: t.category,
      spec,
      unit,
      unitPrice: price(random, minYuan, maxYuan),
      enterpriseId: enterprise.id!,
      originCountyCode: countyCode,
      originVillageCode: random.chance(0.6) ? random.pick(villages) : null,
      status: "LISTED",
      catalogNo: `${countyCode}-${year}-${String(seq).padStart(6, "0")}`,
      batch: `${year}年第${BATCH_NAMES[random.int(0, 3)]}批`,
      validFrom: isoDate(fromMs),
      validUntil: isoDate(twoYearsMinusOneDay(fromMs)),
      annualSupplyCapacity,
      availableSupply: random.int(0, annualSupplyCapacity),
      description: `${enterprise.name}出品的${productName}，产地直供，带动当地脱贫户增收。`,
      imageUrls: [`https://img.example.cn/products/scale-${i}.jpg`],
      createdAt,
      updatedAt,
    });
  }
  // Listed: certified at the price they have (after generation, so the random sequence is unchanged).
  for (const row of productRows) row.certifiedUnitPrice = row.unitPrice;
  return { enterprises: enterpriseRows, products: productRows };
}

/** The first free catalog sequence per county (after any catalog number already in the database). */
async function catalogSequenceStart(database: Database): Promise<Map<string, number>> {
  const rows = await database.rows<{ county: string; max_seq: number | null }>(sql`
    select split_part(${products.catalogNo}, '-', 1) as county,
           max(split_part(${products.catalogNo}, '-', 3)::int) as max_seq
    from ${products}
    where ${products.catalogNo} ~ '^[0-9]{6}-[0-9]{4}-[0-9]{6}$'
    group by 1`);
  return new Map(rows.map((r) => [r.county, Number(r.max_seq ?? 0) + 1]));
}

/**
 * Where the schema has per-county, per-year catalog sequences (`catalog_sequences`), moves them past
 * the catalog numbers inserted here, so numbers issued later by the listing workflow never collide.
 */
async function syncCatalogSequences(database: Database): Promise<void> {
  const [found] = await database.rows<{ present: boolean }>(sql`select to_regclass('catalog_sequences') is not null as present`);
  if (!found?.present) return;
  await database.rows(sql`
    insert into catalog_sequences (county_code, year, last_value)
    select split_part(catalog_no, '-', 1), split_part(catalog_no, '-', 2)::smallint, max(split_part(catalog_no, '-', 3)::int)
    from ${products} where catalog_no ~ '^[0-9]{6}-[0-9]{4}-[0-9]{6}$'
    group by 1, 2
    on conflict (county_code, year) do update set last_value = greatest(catalog_sequences.last_value, excluded.last_value)`);
}

/** Inserts the synthetic enterprises and products in batches, then ANALYZEs the tables. */
export async function seedScaleCatalog(
  database: Database,
  options: ScaleCatalogOptions = { enterprises: 1000, products: 10000, seed: 42 },
): Promise<ScaleCatalogCounts> {
  const batchSize = options.batchSize ?? 1000;
  const rows = buildScaleCatalogRows(options, await catalogSequenceStart(database));
  for (let i = 0; i < rows.enterprises.length; i += batchSize) {
    await database.db.insert(enterprises).values(rows.enterprises.slice(i, i + batchSize));
  }
  for (let i = 0; i < rows.products.length; i += batchSize) {
    await database.db.insert(products).values(rows.products.slice(i, i + batchSize));
  }
  await syncCatalogSequences(database);
  await database.db.execute(sql`analyze ${divisions}, ${enterprises}, ${products}`);
  return { enterprises: rows.enterprises.length, products: rows.products.length };
}
