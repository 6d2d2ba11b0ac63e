/**
 * Real-prefecture-scale synthetic data for the whole platform (the indicator benchmarks, load tests):
 * 湘西州 and its 8 counties (official codes), generated towns and villages, enterprises of every kind,
 * products in every certification state, registered households (建档立卡户), pairings (千企帮千村),
 * benefit links (利益联结), budget units with quotas, and orders.
 *
 * At `households: 190_000` (the real prefecture): ~115 towns, 1,900 villages of which 1,110 poor,
 * 1,200 enterprises, 5,000 products (about 70 % LISTED), 1,500 pairings, 250,000 benefit links,
 * 2,000 budget units with this and last year's quotas, 100,000 orders. Every count scales linearly
 * with `households` (with small floors so tiny runs still have one of everything).
 *
 * Every product that left DRAFT has its certification events (申报, 认定/驳回, 入录, 撤销) at times
 * that agree with its status and dates: submitted after it was created, certified before its
 * validFrom, listed on validFrom in China business hours, revoked after that; so indicators asOf a
 * past day rebuild the statuses truly. (Drawn from a second PRNG, so every other row is as before
 * the events existed, except a product's updatedAt, raised to its last event when earlier.)
 *
 * Deterministic: the same `households`, `seed` and seed day (`today`, UTC) give the same rows, ids
 * included. Dates are laid relative to `today` (orders and quotas in its year and the year before),
 * so the default `asOf` of the indicators (today) sees active pairings and links.
 *
 * ID numbers are checksum-valid (GB 11643) and unique; only their keyed hash (the key the server uses:
 * ID_HASH_KEY, else the development key of src/graphql/context.ts) and masked form are stored.
 *
 * Needs an empty migrated database (no divisions). Everything goes in inside one transaction with
 * multi-row `insert … select … from json_to_recordset($1)` statements (one parameter per statement:
 * the same SQL runs on postgres.js and PGlite), then the tables are VACUUM ANALYZEd (statistics for
 * the planner, and the visibility map so index-only scans work as they do on a settled database).
 */
import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { loadConfig } from "../src/config.js";
import type { Database, Drizzle } from "../src/db/client.js";
import { USCC_ALPHABET, usccCheckCharacter } from "../src/modules/enterprises/index.js";
import { IdNumberHasher, idCheckCharacter, maskIdNumber } from "../src/modules/households/index.js";
import { PREFECTURE_CODE, countyCodes, divisionSeeds } from "./xiangxi.js";
import { buildSalesRows } from "./scale-sales.js";
import { Random } from "./random.js";

/** The key src/graphql/context.ts falls back to when ID_HASH_KEY is not set. */
export const DEVELOPMENT_ID_HASH_KEY = "development-only-id-hash-key-xxxxxxxxxxxx";

export interface ScaleOptions {
  /** registered households; every other count scales with it (190 000 = the real prefecture) */
  households: number;
  /** PRNG seed (default 2020) */
  seed?: number;
  /** dates are laid relative to this day (UTC); default now */
  today?: Date;
  /** key of the ID-number hash; default ID_HASH_KEY as the server reads it, else the development key */
  idHashKey?: string;
  /** rows per INSERT statement (default 5000) */
  batchSize?: number;
  /** progress lines (default console.log; pass () => {} for silence) */
  log?: (line: string) => void;
}

export interface ScaleSizes {
  towns: number;
  villages: number;
  poorVillages: number;
  enterprises: number;
  products: number;
  households: number;
  pairings: number;
  benefitLinks: number;
  budgetUnits: number;
  orders: number;
}

export interface ScaleCounts {
  divisions: number;
  towns: number;
  villages: number;
  poorVillages: number;
  enterprises: number;
  products: number;
  listedProducts: number;
  certificationEvents: number;
  households: number;
  ableAndWilling: number;
  pairings: number;
  benefitLinks: number;
  budgetUnits: number;
  quotas: number;
  orders: number;
  /** partners' and offices' sales reports (some superseded by corrections), their lines, village collective incomes */
  salesReports: number;
  salesLines: number;
  collectiveIncomes: number;
  /** the seed day (YYYY-MM-DD): a good `asOf` */
  asOf: string;
  /** the year of most orders and quotas (the seed day's year) */
  year: number;
  /** seconds: building the rows in JS, inserting, VACUUM ANALYZE, total */
  seconds: { build: number; insert: number; analyze: number; total: number };
}

/** Target counts for `households` registered households (linear, with small floors). */
export function scaleSizes(households: number): ScaleSizes {
  if (!Number.isInteger(households) || households < 1) throw new RangeError(`households must be a positive integer (got ${households})`);
  const f = households / 190_000;
  const villages = Math.max(16, Math.round(1900 * f));
  return {
    towns: Math.max(8, Math.round(115 * f)),
    villages,
    poorVillages: Math.min(villages, Math.max(1, Math.round(1110 * f))),
    enterprises: Math.max(16, Math.round(1200 * f)),
    products: Math.max(20, Math.round(5000 * f)),
    households,
    pairings: Math.max(8, Math.round(1500 * f)),
    benefitLinks: Math.round(250_000 * f),
    budgetUnits: Math.max(8, Math.round(2000 * f)),
    orders: Math.round(100_000 * f),
  };
}

// ── randomness ────────────────────────────────────────────────────────────────


/** Splits `total` into integers proportional to `weights` (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}

/** Picks indexes with probability proportional to fixed weights (cumulative sums, binary search). */
class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let s = 0;
    for (const w of weights) this.cumulative.push((s += w));
  }
  pick(random: Random): T {
    const r = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

// ── dates and money ───────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
const fenOf = (price: string) => {
  const [whole, frac = ""] = price.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0").slice(0, 2));
};

// ── reference data ────────────────────────────────────────────────────────────

type CountyName = keyof typeof countyCodes;
const counties = Object.entries(countyCodes) as [CountyName, string][];
/** Rough share of each county in villages and households (永顺、龙山 are the largest). */
const countyWeight: Record<CountyName, number> = {
  吉首市: 0.1, 泸溪县: 0.1, 凤凰县: 0.14, 花垣县: 0.11, 保靖县: 0.1, 古丈县: 0.05, 永顺县: 0.19, 龙山县: 0.21,
};
/** Per county: share of poor villages with an active leading/scale pairing, share of able households linked. */
const countyRates: Record<CountyName, { pairing: number; link: number }> = {
  吉首市: { pairing: 0.78, link: 0.97 },
  泸溪县: { pairing: 0.62, link: 0.93 },
  凤凰县: { pairing: 0.7, link: 0.95 },
  花垣县: { pairing: 0.84, link: 0.98 },
  保靖县: { pairing: 0.55, link: 0.9 },
  古丈县: { pairing: 0.5, link: 0.88 },
  永顺县: { pairing: 0.66, link: 0.92 },
  龙山县: { pairing: 0.6, link: 0.91 },
};
const countyNameOf = new Map(counties.map(([name, code]) => [code, name]));
const realNames = new Map(divisionSeeds.map((d) => [d.code, d.name]));
/** 十八洞村 stays a poor village (exit 2017) whenever its code is generated. */
const SHIBADONG = "433124103201";

const placeSyllables = [..."龙溪坪潭岩寨河山坡桥湾田竹松茶花水云石塘洞坝垭冲沟峒林枫桃柳梨湖洲坳岗杉椒家排坨堡口"];
const surnames = [..."向彭田杨龙吴石麻张王李刘陈黄谭覃符姚滕梁宋唐胡周舒邓贾侯"];
const givenChars = [..."明华建国平志春秀英兰芳玉光金成福贵德清云海林生军红梅凤桂珍富顺"];
const nameWords = ["苗乡", "土家", "武陵", "酉水", "沱江", "峒河", "山水", "金秋", "兴农", "福源", "德丰", "惠民", "青山", "云雾", "绿源", "吉祥"];
const trades = ["茶叶", "果业", "蔬菜", "养殖", "粮油", "中药材", "蜂业", "食品", "腊味", "特产"];
const brands = ["湘西印象", "武陵山珍", "苗家味道", "土家坊", "酉水人家", "沱江", "十八洞", "里耶", "芙蓉镇", "矮寨"];

type EnterpriseKind = "LEADING_NATIONAL" | "LEADING_PROVINCIAL" | "LEADING_PREFECTURE" | "SCALE" | "COOPERATIVE" | "FAMILY_FARM" | "VILLAGE_COLLECTIVE" | "OTHER";
const LEADING_OR_SCALE = new Set<EnterpriseKind>(["LEADING_NATIONAL", "LEADING_PROVINCIAL", "LEADING_PREFECTURE", "SCALE"]);
const kinds: { kind: EnterpriseKind; prefix: string; suffix: string; weight: number }[] = [
  { kind: "LEADING_NATIONAL", prefix: "91", suffix: "生物科技有限公司", weight: 1 },
  { kind: "LEADING_PROVINCIAL", prefix: "91", suffix: "农业开发有限公司", weight: 4 },
  { kind: "LEADING_PREFECTURE", prefix: "91", suffix: "食品有限公司", weight: 8 },
  { kind: "SCALE", prefix: "91", suffix: "农产品有限责任公司", weight: 15 },
  { kind: "COOPERATIVE", prefix: "93", suffix: "专业合作社", weight: 34 },
  { kind: "FAMILY_FARM", prefix: "92", suffix: "家庭农场", weight: 22 },
  { kind: "VILLAGE_COLLECTIVE", prefix: "N2", suffix: "村股份经济合作社", weight: 10 },
  { kind: "OTHER", prefix: "91", suffix: "工艺品有限公司", weight: 6 },
];

interface ProductTemplate {
  category: string;
  names: readonly string[];
  specs: readonly (readonly [spec: string, unit: string, minYuan: number, maxYuan: number])[];
}
const templates: ProductTemplate[] = [
  { category: "TEA", names: ["黄金茶", "古丈毛尖", "莓茶", "红茶", "白茶"], specs: [["250克/罐", "罐", 60, 380], ["100克/盒", "盒", 30, 200]] },
  { category: "FRUIT", names: ["椪柑", "猕猴桃", "脐橙", "金秋梨", "葡萄"], specs: [["10斤/箱", "箱", 30, 90], ["5斤/箱", "箱", 20, 60]] },
  { category: "VEGETABLE", names: ["百合干", "萝卜干", "野生蕨菜", "竹笋", "香菇"], specs: [["500克/袋", "袋", 12, 80], ["2.5千克/箱", "箱", 50, 220]] },
  { category: "GRAIN_OIL", names: ["贡米", "山茶油", "菜籽油", "糯米"], specs: [["5千克/袋", "袋", 35, 120], ["5升/桶", "桶", 80, 260]] },
  { category: "MEAT_POULTRY_EGG", names: ["腊肉", "香肠", "黄牛肉干", "土鸡蛋"], specs: [["500克/袋", "袋", 38, 128], ["30枚/盒", "盒", 30, 60]] },
  { category: "AQUATIC", names: ["酸鱼", "稻花鱼", "腊鱼"], specs: [["500克/袋", "袋", 35, 90]] },
  { category: "HERBAL", names: ["杜仲茶", "金银花", "蜂蜜", "黄精"], specs: [["250克/罐", "罐", 40, 260], ["500克/瓶", "瓶", 50, 180]] },
  { category: "PROCESSED_FOOD", names: ["姜糖", "果脯", "米豆腐", "酸萝卜"], specs: [["250克/盒", "盒", 15, 60], ["1升×6瓶/箱", "箱", 40, 120]] },
  { category: "HANDICRAFT", names: ["苗绣挂画", "土家织锦", "银饰手镯", "竹编果篮"], specs: [["件", "件", 60, 980]] },
  { category: "OTHER", names: ["竹炭包", "艾草香包"], specs: [["个", "个", 10, 80]] },
];
const BATCH_NAMES = ["一", "二", "三", "四"] as const;

const departments = ["财政局", "教育和体育局", "卫生健康委员会", "农业农村局", "民政局", "公安局", "交通运输局", "住房和城乡建设局", "水利局", "林业局", "商务局", "文化旅游广电局", "人力资源和社会保障局", "市场监督管理局", "自然资源和规划局", "生态环境局", "审计局", "统计局", "乡村振兴局", "发展和改革委员会"];
const subordinates = ["第一中学", "第二中学", "民族中学", "实验小学", "中心小学", "人民医院", "中医医院", "妇幼保健院", "疾病预防控制中心", "职业技术学校", "机关幼儿园", "服务中心", "综合执法大队", "管理站"];
const centralUnits = ["国家税务总局湘西州税务局", "中国人民银行湘西州中心支行", "国家统计局湘西调查队", "湖南省湘西公路局", "湘西州气象局", "湘西海关", "湘西州邮政管理局", "湘西银保监分局"];

// ── rows ──────────────────────────────────────────────────────────────────────

type Row = Record<string, unknown>;

interface Household {
  id: string;
  villageCode: string;
  countyCode: string;
  ableAndWilling: boolean;
}

export interface ScaleRows {
  divisions: Row[];
  enterprises: Row[];
  /** the status history of the VERIFIED and SUSPENDED enterprises (see statusHistoryRows) */
  enterpriseStatusHistory: Row[];
  products: Row[];
  certificationEvents: Row[];
  households: Row[];
  pairings: Row[];
  benefitLinks: Row[];
  budgetUnits: Row[];
  quotas: Row[];
  orders: Row[];
  meta: { towns: number; villages: number; poorVillages: number; listedProducts: number; ableAndWilling: number; asOf: string; year: number };
}

const MECHANISMS = ["ORDER_PURCHASE", "EMPLOYMENT", "LAND_RENT", "EQUITY_DIVIDEND", "ASSET_INCOME", "TRUSTEESHIP", "OTHER"] as const;

/** A household's links so far: enterprise, mechanism and days (end null = open). */
interface Taken {
  enterpriseId: string;
  mechanism: string;
  startMs: number;
  endMs: number | null;
}

/**
 * The drawn mechanism, or the next one in MECHANISMS if the household already has a link with this
 * enterprise and mechanism sharing a day (benefit_links_no_overlap would refuse it). Chosen without
 * drawing again, so the random sequence, and every other row, stays as it was.
 */
function freeMechanism(taken: Taken[], enterpriseId: string, drawn: string, startMs: number, endMs: number | null): string {
  const overlaps = (t: Taken) => t.startMs <= (endMs ?? Infinity) && startMs <= (t.endMs ?? Infinity);
  const from = MECHANISMS.indexOf(drawn as (typeof MECHANISMS)[number]);
  for (let step = 0; step < MECHANISMS.length; step++) {
    const mechanism = MECHANISMS[(from + step) % MECHANISMS.length]!;
    if (!taken.some((t) => t.enterpriseId === enterpriseId && t.mechanism === mechanism && overlaps(t))) {
      taken.push({ enterpriseId, mechanism, startMs, endMs });
      return mechanism;
    }
  }
  throw new Error(`scale seed: no free mechanism for a link with enterprise ${enterpriseId}`);
}

/**
 * A product's certification events, oldest first (see the file comment). Days are UTC midnights; a
 * step happens at 09:00–17:00 China time (01:00–09:00 UTC), on the same calendar day in Beijing.
 * `fromMs`: validFrom of a listed (or revoked) product, else null.
 */
function scaleEvents(er: Random, productId: string, status: string, createdMs: number, fromMs: number | null, base: number, batch: string | null): Row[] {
  const at = (dayMs: number) => dayMs + er.int(1 * 3600_000, 9 * 3600_000);
  const days = (ms: number) => Math.round(ms / DAY_MS);
  const steps: [from: string, to: string, at: number, comment: string | null][] = [];
  if (status === "DRAFT") return [];
  if (fromMs === null) {
    // SUBMITTED, CERTIFIED, REJECTED: created 30–900 days ago
    const age = days(base - createdMs);
    const submitDay = createdMs + er.int(1, Math.min(30, age - 2)) * DAY_MS;
    steps.push(["DRAFT", "SUBMITTED", at(submitDay), null]);
    if (status !== "SUBMITTED") {
      const decided = at(submitDay + er.int(1, Math.min(60, days(base - submitDay) - 1)) * DAY_MS);
      steps.push(status === "REJECTED" ? ["SUBMITTED", "REJECTED", decided, "申报材料不全"] : ["SUBMITTED", "CERTIFIED", decided, null]);
    }
  } else {
    // LISTED, LISTED_EXPIRED, REVOKED: created 7–120 days before validFrom
    const submitDay = createdMs + er.int(1, days(fromMs - createdMs) - 2) * DAY_MS;
    const certifyDay = submitDay + er.int(1, days(fromMs - submitDay) - 1) * DAY_MS;
    steps.push(["DRAFT", "SUBMITTED", at(submitDay), null]);
    steps.push(["SUBMITTED", "CERTIFIED", at(certifyDay), null]);
    const listed = fromMs + er.int(1 * 3600_000, 4 * 3600_000);
    steps.push(["CERTIFIED", "LISTED", listed, `入录 ${batch}`]);
    if (status === "REVOKED") {
      const room = days(base - fromMs) - 1;
      const revoked = room >= 1 ? at(fromMs + er.int(1, room) * DAY_MS) : fromMs + er.int(5 * 3600_000, 9 * 3600_000);
      steps.push(["LISTED", "REVOKED", revoked, "带贫机制未落实，撤销认定"]);
    }
  }
  return steps.map(([from, to, ms, comment]) => ({
    id: er.uuid(),
    product_id: productId,
    from_status: from,
    to_status: to,
    actor_user_id: null,
    comment,
    at: isoTime(ms),
  }));
}

/** Builds every row (pure, deterministic); snake_case keys, the columns' names. */
export function buildScaleRows(options: ScaleOptions & { idHashKey: string }): ScaleRows {
  const sizes = scaleSizes(options.households);
  const random = new Random(options.seed ?? 2020);
  // The certification events' own sequence: drawing them leaves every other row as it was.
  const eventRandom = new Random((options.seed ?? 2020) + 7919);
  const now = options.today ?? new Date();
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const year = now.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const lastYearStart = Date.UTC(year - 1, 0, 1);
  const daysAgo = (min: number, max: number) => base - random.int(min, max) * DAY_MS;
  const stamp = (dayMs: number) => isoTime(dayMs + random.int(8 * 3600_000, 18 * 3600_000));

  // ── divisions ──
  const divisions: Row[] = [
    { code: PREFECTURE_CODE, name: "湘西土家族苗族自治州", level: "PREFECTURE", parent_code: null, is_poor_village: false, exit_year: null },
  ];
  for (const [name, code] of counties) divisions.push({ code, name, level: "COUNTY", parent_code: PREFECTURE_CODE, is_poor_village: false, exit_year: null });
  const weights = counties.map(([name]) => countyWeight[name]);
  const villagesPerCounty = apportion(sizes.villages - counties.length, weights).map((n) => n + 1);
  const townsPerCounty = apportion(sizes.towns - counties.length, weights).map((n, i) => Math.min(n + 1, villagesPerCounty[i]!));
  const villages: { code: string; countyCode: string; row: Row }[] = [];
  let towns = 0;
  counties.forEach(([, countyCode], c) => {
    const townNames = new Set<string>();
    const townCount = townsPerCounty[c]!;
    const perTown = apportion(villagesPerCounty[c]! - townCount, Array.from({ length: townCount }, () => 0.6 + random.next() * 0.8)).map((n) => n + 1);
    for (let t = 0; t < townCount; t++) {
      const townCode = countyCode + String(101 + t);
      let townName = realNames.get(townCode);
      while (!townName || townNames.has(townName)) townName = `${random.pick(placeSyllables)}${random.pick(placeSyllables)}${random.chance(0.7) ? "镇" : "乡"}`;
      townNames.add(townName);
      divisions.push({ code: townCode, name: townName, level: "TOWNSHIP", parent_code: countyCode, is_poor_village: false, exit_year: null });
      towns += 1;
      const villageNames = new Set<string>();
      for (let v = 0; v < perTown[t]!; v++) {
        const code = townCode + String(201 + v);
        let name = realNames.get(code);
        for (let attempt = 0; !name || villageNames.has(name); attempt++) {
          name = `${random.pick(placeSyllables)}${random.pick(placeSyllables)}${attempt > 20 ? attempt : ""}村`;
        }
        villageNames.add(name);
        const row: Row = { code, name, level: "VILLAGE", parent_code: townCode, is_poor_village: false, exit_year: null };
        divisions.push(row);
        villages.push({ code, countyCode, row });
      }
    }
  });
  const poorOrder = random.shuffle([...villages]);
  const shibadong = poorOrder.findIndex((v) => v.code === SHIBADONG);
  if (shibadong >= sizes.poorVillages) [poorOrder[0], poorOrder[shibadong]] = [poorOrder[shibadong]!, poorOrder[0]!];
  const poorVillages = poorOrder.slice(0, sizes.poorVillages);
  for (const v of poorVillages) {
    v.row.is_poor_village = true;
    v.row.exit_year = v.code === SHIBADONG ? 2017 : random.weighted([[2015, 1], [2016, 3], [2017, 4], [2018, 4], [2019, 3], [2020, 2]]);
  }
  poorVillages.sort((a, b) => (a.code < b.code ? -1 : 1));
  const villagesByCounty = new Map(counties.map(([, code]) => [code, villages.filter((v) => v.countyCode === code).map((v) => v.code)]));
  const villageNameOf = new Map(villages.map((v) => [v.code, v.row.name as string]));

  // ── enterprises ──
  const kindWheel = kinds.flatMap((k) => Array.from({ length: k.weight }, () => k));
  const enterpriseCounties = apportion(sizes.enterprises, weights).flatMap((n, c) => Array.from({ length: n }, () => counties[c]!));
  const enterprises: Row[] = [];
  const enterpriseInfo: { id: string; countyCode: string; kind: EnterpriseKind; name: string }[] = [];
  enterpriseCounties.forEach(([countyName, countyCode], i) => {
    const k = random.pick(kindWheel);
    const place = k.kind === "VILLAGE_COLLECTIVE" || k.kind === "FAMILY_FARM" ? random.pick(villagesByCounty.get(countyCode)!) : "";
    const placeName = place ? villageNameOf.get(place)!.replace(/村$/, "") : "";
    const name =
      k.kind === "VILLAGE_COLLECTIVE"
        ? `${countyName}${placeName}${k.suffix}`
        : `${countyName}${placeName}${random.pick(nameWords)}${random.pick(trades)}${k.suffix}`;
    // 4 characters of the index in base 31, then 3 random ones: unique organisation codes.
    let serial = "";
    for (let n = i, d = 0; d < 4; d++, n = Math.floor(n / 31)) serial = USCC_ALPHABET[n % 31]! + serial;
    let tail = "";
    for (let d = 0; d < 3; d++) tail += random.pick([...USCC_ALPHABET]);
    const first17 = `${k.prefix}${countyCode}MA${serial}${tail}`;
    const createdMs = daysAgo(200, 2500);
    const id = random.uuid();
    enterprises.push({
      id,
      name,
      uscc: first17 + usccCheckCharacter(first17),
      kind: k.kind,
      status: random.weighted([["VERIFIED", 92], ["PENDING", 6], ["SUSPENDED", 2]]),
      county_code: countyCode,
      created_at: stamp(createdMs),
      updated_at: stamp(Math.min(base - DAY_MS, createdMs + random.int(0, 150) * DAY_MS)),
    });
    enterpriseInfo.push({ id, countyCode, kind: k.kind, name });
  });
  if (enterpriseInfo.length >= 31 ** 4) throw new RangeError("too many enterprises for the USCC serial");
  const enterprisesByCounty = new Map(counties.map(([, code]) => [code, enterpriseInfo.filter((e) => e.countyCode === code)]));
  const leading = enterpriseInfo.filter((e) => LEADING_OR_SCALE.has(e.kind));
  const leadingByCounty = new Map(counties.map(([, code]) => [code, leading.filter((e) => e.countyCode === code)]));

  // ── products ──
  const products: Row[] = [];
  const certificationEvents: Row[] = [];
  const productsByEnterprise = new Map<string, string[]>();
  const orderable: { id: string; priceFen: number }[] = [];
  const nextSeq = new Map<string, number>();
  let listedProducts = 0;
  for (let i = 0; i < sizes.products; i++) {
    const enterprise = random.pick(enterpriseInfo);
    const countyCode = enterprise.countyCode;
    const t = random.pick(templates);
    const [spec, unit, minYuan, maxYuan] = random.pick(t.specs);
    const productName = random.pick(t.names);
    const status = random.weighted([["LISTED", 66], ["LISTED_EXPIRED", 5], ["CERTIFIED", 6], ["SUBMITTED", 7], ["DRAFT", 6], ["REJECTED", 4], ["REVOKED", 6]]);
    const fen = random.int(minYuan * 100, maxYuan * 100);
    const priceFen = random.chance(0.7) ? Math.round(fen / 10) * 10 : fen;
    let catalogNo: string | null = null;
    let batch: string | null = null;
    let validFrom: string | null = null;
    let validUntil: string | null = null;
    let createdMs = daysAgo(30, 900);
    let listedMs: number | null = null;
    if (status === "LISTED" || status === "LISTED_EXPIRED" || status === "REVOKED") {
      // listed 1–700 days ago: still valid (2 years); 731–1100 days ago: expired
      const fromMs = status === "LISTED_EXPIRED" ? daysAgo(731, 1100) : daysAgo(1, 700);
      const from = new Date(fromMs);
      const untilMs = Date.UTC(from.getUTCFullYear() + 2, from.getUTCMonth(), from.getUTCDate()) - DAY_MS;
      const key = `${countyCode}-${from.getUTCFullYear()}`;
      const seq = (nextSeq.get(key) ?? 0) + 1;
      nextSeq.set(key, seq);
      catalogNo = `${key}-${String(seq).padStart(6, "0")}`;
      batch = `${from.getUTCFullYear()}年第${BATCH_NAMES[random.int(0, 3)]}批`;
      validFrom = isoDate(fromMs);
      validUntil = isoDate(untilMs);
      createdMs = fromMs - random.int(7, 120) * DAY_MS;
      listedMs = fromMs;
    }
    const capacity = random.int(1, 400) * 100;
    const id = random.uuid();
    const dbStatus = status === "LISTED_EXPIRED" ? "LISTED" : status;
    products.push({
      id,
      name: random.chance(0.5) ? productName : `${countyNameOf.get(countyCode)!.slice(0, 2)}${productName}`,
      brand: random.chance(0.7) ? random.pick(brands) : null,
      category: t.category,
      spec,
      unit,
      unit_price: yuan(priceFen),
      // 认定 certifies the price of that moment (the price band's reference); never certified: none
      certified_unit_price: status === "DRAFT" || status === "SUBMITTED" || status === "REJECTED" ? null : yuan(priceFen),
      enterprise_id: enterprise.id,
      origin_county_code: countyCode,
      origin_village_code: random.chance(0.6) ? random.pick(villagesByCounty.get(countyCode)!) : null,
      status: dbStatus,
      catalog_no: catalogNo,
      batch,
      valid_from: validFrom,
      valid_until: validUntil,
      annual_supply_capacity: capacity,
      available_supply: random.int(0, capacity),
      description: `${enterprise.name}出品的${productName}，产地直供，带动当地脱贫户增收。`,
      image_urls: [`https://img.example.cn/products/scale-${i}.jpg`],
      created_at: stamp(createdMs),
      updated_at: stamp(Math.min(base - DAY_MS, createdMs + random.int(0, 200) * DAY_MS)),
    });
    const product = products[products.length - 1]!;
    const events = scaleEvents(eventRandom, id, status, createdMs, listedMs, base, batch);
    certificationEvents.push(...events);
    // A step moves updatedAt: never earlier than the last event.
    const lastEvent = events.at(-1)?.at as string | undefined;
    if (lastEvent && lastEvent > (product.updated_at as string)) product.updated_at = lastEvent;
    if (dbStatus === "LISTED") listedProducts += 1;
    if (status === "LISTED") orderable.push({ id, priceFen });
    const own = productsByEnterprise.get(enterprise.id) ?? [];
    own.push(id);
    productsByEnterprise.set(enterprise.id, own);
  }

  // ── households ──
  const hasher = new IdNumberHasher(options.idHashKey);
  const householdWeights = villages.map((v) => (v.row.is_poor_village ? 2.6 : 1) * (0.5 + random.next()));
  const perVillage = apportion(sizes.households, householdWeights);
  const households: Row[] = [];
  const householdInfo: Household[] = [];
  const usedIds = new Set<string>();
  let ableAndWilling = 0;
  villages.forEach((village, v) => {
    for (let k = 0; k < perVillage[v]!; k++) {
      let first17: string;
      do {
        const birth = Date.UTC(1940, 0, 1) + random.int(0, 58 * 365) * DAY_MS;
        first17 = `${village.countyCode}${new Date(birth).toISOString().slice(0, 10).replaceAll("-", "")}${String(random.int(1, 999)).padStart(3, "0")}`;
      } while (usedIds.has(first17));
      usedIds.add(first17);
      const idNumber = first17 + idCheckCharacter(first17);
      const labor = random.chance(0.7);
      const willing = random.chance(labor ? 0.86 : 0.3);
      const status = random.weighted([["OUT_OF_POVERTY", 87], ["IN_POVERTY", 6], ["MONITORED_UNSTABLE", 4], ["MONITORED_EDGE", 3]]);
      const createdMs = daysAgo(30, 720);
      const id = random.uuid();
      households.push({
        id,
        household_no: `${village.code}${String(k + 1).padStart(4, "0")}`,
        village_code: village.code,
        county_code: village.countyCode,
        head_name: `${random.pick(surnames)}${random.pick(givenChars)}${random.chance(0.7) ? random.pick(givenChars) : ""}`,
        head_id_hash: hasher.hash(idNumber),
        head_id_masked: maskIdNumber(idNumber),
        members: random.weighted([[1, 8], [2, 14], [3, 22], [4, 26], [5, 17], [6, 9], [7, 4]]),
        labor_capacity: labor,
        development_willingness: willing,
        status,
        monitoring_reason: status.startsWith("MONITORED") ? random.pick(["因病支出骤增", "因学支出较大", "人均纯收入低于扶贫标准1.5倍", "因灾损失", "务工收入不稳定"]) : null,
        exit_year: status === "OUT_OF_POVERTY" || status === "MONITORED_UNSTABLE" ? random.int(2014, 2020) : null,
        created_at: stamp(createdMs),
        updated_at: stamp(Math.min(base - DAY_MS, createdMs + random.int(0, 300) * DAY_MS)),
      });
      householdInfo.push({ id, villageCode: village.code, countyCode: village.countyCode, ableAndWilling: labor && willing });
      if (labor && willing) ableAndWilling += 1;
    }
  });
  usedIds.clear();

  // ── pairings ──
  const pairings: Row[] = [];
  const pairingsByVillage = new Map<string, { id: string; enterpriseId: string }[]>();
  const mode = () => random.weighted([["INDUSTRY", 40], ["EMPLOYMENT", 20], ["COMMERCE", 20], ["SKILLS", 10], ["PUBLIC_WELFARE", 10]] as const);
  const addPairing = (villageCode: string, enterpriseId: string, startMs: number, endMs: number | null) => {
    const id = random.uuid();
    const m = mode();
    const createdMs = Math.min(startMs, base - DAY_MS) - random.int(0, 30) * DAY_MS;
    pairings.push({
      id,
      enterprise_id: enterpriseId,
      village_code: villageCode,
      county_code: villageCode.slice(0, 6),
      mode: m,
      start_date: isoDate(startMs),
      end_date: endMs === null ? null : isoDate(endMs),
      industrial_investment: yuan(m === "INDUSTRY" ? random.int(50, 5000) * 100_000 : random.int(0, 50) * 100_000),
      welfare_investment: yuan(random.int(0, 500) * 100_000),
      jobs_provided: random.int(0, 80),
      people_trained: random.int(0, 300),
      end_reason: endMs !== null && endMs < base ? random.pick(["帮扶协议期满", "企业经营调整", "村已出列，转为常态帮扶"]) : null,
      created_at: stamp(createdMs),
      updated_at: stamp(createdMs),
    });
    const list = pairingsByVillage.get(villageCode) ?? [];
    list.push({ id, enterpriseId });
    pairingsByVillage.set(villageCode, list);
  };
  // Each poor village gets an active leading/scale pairing with its county's probability…
  for (const v of poorVillages) {
    if (pairings.length >= sizes.pairings || leading.length === 0) break;
    if (!random.chance(countyRates[countyNameOf.get(v.countyCode)!].pairing)) continue;
    const own = leadingByCounty.get(v.countyCode)!;
    const enterprise = own.length > 0 && random.chance(0.75) ? random.pick(own) : random.pick(leading);
    addPairing(v.code, enterprise.id, daysAgo(60, 1500), random.chance(0.85) ? null : base + random.int(0, 700) * DAY_MS);
  }
  // …the rest: any enterprise, poor villages mostly, some ended, some not yet started.
  const nonPoor = villages.filter((v) => !v.row.is_poor_village);
  while (pairings.length < sizes.pairings) {
    const v = nonPoor.length === 0 || random.chance(0.75) ? random.pick(poorVillages) : random.pick(nonPoor);
    const own = enterprisesByCounty.get(v.countyCode)!;
    const enterprise = own.length > 0 && random.chance(0.6) ? random.pick(own) : random.pick(enterpriseInfo);
    const state = random.weighted([["active", 62], ["ended", 30], ["future", 8]]);
    if (state === "active") addPairing(v.code, enterprise.id, daysAgo(1, 1500), random.chance(0.8) ? null : base + random.int(0, 700) * DAY_MS);
    else if (state === "ended") {
      const startMs = daysAgo(400, 2000);
      addPairing(v.code, enterprise.id, startMs, Math.min(base - DAY_MS, startMs + random.int(100, 1200) * DAY_MS));
    } else {
      const startMs = base + random.int(1, 120) * DAY_MS;
      addPairing(v.code, enterprise.id, startMs, random.chance(0.5) ? null : startMs + 3 * 365 * DAY_MS);
    }
  }

  // ── benefit links ──
  const linkCounts = new Uint16Array(householdInfo.length);
  const linkedAble: number[] = [];
  const linkedOther: number[] = [];
  householdInfo.forEach((h, i) => {
    const p = h.ableAndWilling ? countyRates[countyNameOf.get(h.countyCode)!].link : 0.28;
    if (random.chance(p)) {
      linkCounts[i] = 1;
      (h.ableAndWilling ? linkedAble : linkedOther).push(i);
    }
  });
  let extra = sizes.benefitLinks - linkedAble.length - linkedOther.length;
  while (extra-- > 0) {
    const pool = linkedOther.length === 0 || (linkedAble.length > 0 && random.chance(0.8)) ? linkedAble : linkedOther;
    if (pool.length === 0) break;
    linkCounts[random.pick(pool)]! += 1;
  }
  const benefitLinks: Row[] = [];
  householdInfo.forEach((h, i) => {
    const taken: Taken[] = [];
    for (let k = 0; k < linkCounts[i]!; k++) {
      const state =
        k === 0 && h.ableAndWilling
          ? random.weighted([["active", 92], ["ended", 4], ["future", 4]])
          : random.weighted([["active", 70], ["ended", 20], ["future", 10]]);
      let startMs: number;
      let endMs: number | null;
      let linkYear: number;
      if (state === "active") {
        startMs = daysAgo(0, 1400);
        endMs = random.chance(0.75) ? null : base + random.int(0, 900) * DAY_MS;
        linkYear = year;
      } else if (state === "ended") {
        startMs = daysAgo(400, 2000);
        endMs = Math.min(base - DAY_MS, startMs + random.int(30, 1000) * DAY_MS);
        linkYear = new Date(endMs).getUTCFullYear();
      } else {
        startMs = base + random.int(1, 180) * DAY_MS;
        endMs = random.chance(0.6) ? null : startMs + 365 * DAY_MS;
        linkYear = new Date(startMs).getUTCFullYear();
      }
      let enterpriseId: string;
      let pairingId: string | null = null;
      const villagePairings = pairingsByVillage.get(h.villageCode);
      if (villagePairings && random.chance(0.25)) {
        const p = random.pick(villagePairings);
        enterpriseId = p.enterpriseId;
        pairingId = p.id;
      } else {
        const own = enterprisesByCounty.get(h.countyCode)!;
        enterpriseId = (own.length > 0 && random.chance(0.85) ? random.pick(own) : random.pick(enterpriseInfo)).id;
      }
      const own = productsByEnterprise.get(enterpriseId);
      const createdMs = Math.min(startMs, base - DAY_MS) - random.int(0, 20) * DAY_MS;
      benefitLinks.push({
        id: random.uuid(),
        household_id: h.id,
        enterprise_id: enterpriseId,
        product_id: own && random.chance(0.35) ? random.pick(own) : null,
        pairing_id: pairingId,
        village_code: h.villageCode,
        county_code: h.countyCode,
        mechanism: freeMechanism(taken, enterpriseId, random.weighted([["ORDER_PURCHASE", 25], ["EMPLOYMENT", 25], ["LAND_RENT", 15], ["EQUITY_DIVIDEND", 15], ["ASSET_INCOME", 8], ["TRUSTEESHIP", 7], ["OTHER", 5]]), startMs, endMs),
        year: linkYear,
        income: yuan(random.int(300, 30_000) * 100),
        contract_ref: random.chance(0.7) ? `LJ-${h.countyCode}-${linkYear}-${String(benefitLinks.length + 1).padStart(7, "0")}` : null,
        start_date: isoDate(startMs),
        end_date: endMs === null ? null : isoDate(endMs),
        end_reason: state === "ended" ? random.pick(["合同到期", "企业经营调整", "农户退出", "土地收回"]) : null,
        created_at: stamp(createdMs),
        updated_at: stamp(createdMs),
      });
    }
  });

  // ── budget units and quotas ──
  const budgetUnits: Row[] = [];
  const units: { id: string; level: string; countyCode: string | null; name: string; hasCanteen: boolean; canParent: boolean }[] = [];
  const supervising = Math.max(1, Math.round(sizes.budgetUnits * 0.15));
  const parents: number[] = [];
  const countyPicker = new WeightedPicker(counties, weights);
  for (let i = 0; i < sizes.budgetUnits; i++) {
    const id = random.uuid();
    let level: string;
    let countyCode: string | null = null;
    let name: string;
    let parentIndex: number | null = null;
    if (i >= supervising && random.chance(0.8)) parentIndex = random.pick(parents);
    if (parentIndex !== null) {
      const parent = units[parentIndex]!;
      level = parent.level;
      countyCode = parent.countyCode;
      name = `${parent.name.replace(/(局|委员会)$/, "")}${random.pick(subordinates)}`;
    } else {
      level = random.weighted([["PREFECTURE_DIRECT", 35], ["COUNTY", 55], ["CENTRAL_PROVINCIAL", 10]]);
      if (level === "COUNTY") {
        const [countyName, code] = countyPicker.pick(random);
        countyCode = code;
        name = `${countyName}${random.pick(departments)}`;
      } else name = level === "CENTRAL_PROVINCIAL" ? random.pick(centralUnits) : `湘西州${random.pick(departments)}`;
    }
    const hasCanteen = random.chance(0.88);
    const canParent = i < supervising || random.chance(0.1);
    units.push({ id, level, countyCode, name, hasCanteen, canParent });
    if (canParent) parents.push(i);
    const createdMs = daysAgo(400, 1500);
    budgetUnits.push({
      id,
      code: `BU-${String(i + 1).padStart(6, "0")}`,
      name,
      level,
      county_code: countyCode,
      parent_id: parentIndex === null ? null : units[parentIndex]!.id,
      has_canteen: hasCanteen,
      created_at: stamp(createdMs),
      updated_at: stamp(createdMs),
    });
  }
  const quotas: Row[] = [];
  const orderUnits: { id: string; year: number; weight: number }[] = [];
  for (const u of units) {
    for (const [y, p] of [[year - 1, 0.75], [year, 0.92]] as const) {
      if (!random.chance(p)) continue;
      const declaredMs = Math.min(base - DAY_MS, Date.UTC(y, 0, 1) + random.int(0, 60) * DAY_MS);
      if (!u.hasCanteen) {
        quotas.push({ id: random.uuid(), budget_unit_id: u.id, year: y, canteen_food_total: "0.00", reserved_amount: "0.00", no_canteen: true, declared_at: stamp(declaredMs) });
        continue;
      }
      const totalFen = random.int(50, 3000) * 100_000;
      const reservedFen = Math.ceil((totalFen * random.int(1000, 2200)) / 10_000 / 100) * 100;
      quotas.push({ id: random.uuid(), budget_unit_id: u.id, year: y, canteen_food_total: yuan(totalFen), reserved_amount: yuan(reservedFen), no_canteen: false, declared_at: stamp(declaredMs) });
      orderUnits.push({ id: u.id, year: y, weight: reservedFen * (0.3 + random.next() * 1.4) });
    }
  }

  // ── orders ──
  const orders: Row[] = [];
  const thisYear = orderUnits.filter((u) => u.year === year);
  const lastYear = orderUnits.filter((u) => u.year === year - 1);
  const pickThis = new WeightedPicker(thisYear, thisYear.map((u) => u.weight));
  const pickLast = new WeightedPicker(lastYear, lastYear.map((u) => u.weight));
  const thisYearSpan = Math.max(0, base - 8 * DAY_MS - yearStart);
  for (let i = 0; i < sizes.orders && orderable.length > 0 && (thisYear.length > 0 || lastYear.length > 0); i++) {
    const current = lastYear.length === 0 || (thisYear.length > 0 && random.chance(0.88));
    const unit = (current ? pickThis : pickLast).pick(random);
    const product = random.pick(orderable);
    const quantity = Math.min(2000, Math.max(1, Math.round((random.int(1500, 12_000) * 100) / product.priceFen)));
    const status = current
      ? random.weighted([["DELIVERED", 55], ["RESERVED", 18], ["SHIPPED", 10], ["CANCELLED", 17]])
      : random.weighted([["DELIVERED", 85], ["CANCELLED", 15]]);
    const createdMs = current ? yearStart + Math.floor(random.next() * thisYearSpan) : lastYearStart + Math.floor(random.next() * 355 * DAY_MS);
    const shippedMs = createdMs + random.int(12, 72) * 3600_000;
    const deliveredMs = shippedMs + random.int(12, 120) * 3600_000;
    orders.push({
      id: random.uuid(),
      budget_unit_id: unit.id,
      product_id: product.id,
      year: unit.year,
      quantity,
      unit_price: yuan(product.priceFen),
      amount: yuan(product.priceFen * quantity),
      status,
      channel: random.chance(0.85) ? "CANTEEN" : "TRADE_UNION",
      idempotency_key: `scale-${i + 1}`,
      request_hash: createHash("sha256").update(`scale-${i + 1}`).digest("hex"),
      created_by: null,
      created_at: isoTime(createdMs),
      shipped_at: status === "SHIPPED" || status === "DELIVERED" ? isoTime(shippedMs) : null,
      delivered_at: status === "DELIVERED" ? isoTime(deliveredMs) : null,
      cancelled_at: status === "CANCELLED" ? isoTime(createdMs + random.int(1, 240) * 3600_000) : null,
    });
  }

  return {
    divisions,
    enterprises,
    enterpriseStatusHistory: statusHistoryRows(enterprises, pairings, benefitLinks),
    products,
    certificationEvents,
    households,
    pairings,
    benefitLinks,
    budgetUnits,
    quotas,
    orders,
    meta: { towns, villages: villages.length, poorVillages: poorVillages.length, listedProducts, ableAndWilling, asOf: isoDate(base), year },
  };
}

/**
 * The status history the enterprises' statuses imply, as the migration that began the history
 * backfills it (drizzle/0015_enterprise_status_history_rules.sql): VERIFIED (with the kind as
 * confirmed) at the earliest of its registration and the start of its first pairing or benefit link
 * (midnight China time); a SUSPENDED one verified so, then suspended at its last update. PENDING
 * ones have none. Ids derive from the enterprise's: no draw from the random stream.
 */
function statusHistoryRows(enterprises: readonly Row[], pairings: readonly Row[], benefitLinks: readonly Row[]): Row[] {
  const firstStart = new Map<string, number>();
  for (const row of [...pairings, ...benefitLinks]) {
    const ms = Date.parse(`${row.start_date as string}T00:00:00+08:00`);
    const id = row.enterprise_id as string;
    if (ms < (firstStart.get(id) ?? Infinity)) firstStart.set(id, ms);
  }
  const idOf = (enterpriseId: string, n: number) => {
    const hex = createHash("sha256").update(`enterprise-status:${enterpriseId}:${n}`).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const history: Row[] = [];
  for (const e of enterprises) {
    if (e.status !== "VERIFIED" && e.status !== "SUSPENDED") continue;
    const id = e.id as string;
    const verifiedMs = Math.min(Date.parse(e.created_at as string), firstStart.get(id) ?? Infinity);
    const row = { enterprise_id: id, kind: e.kind, actor_user_id: null };
    history.push({ ...row, id: idOf(id, 1), status: "VERIFIED", reason: null, at: isoTime(verifiedMs) });
    if (e.status === "SUSPENDED") {
      const suspendedMs = Math.max(Date.parse(e.updated_at as string), verifiedMs + 1);
      history.push({ ...row, id: idOf(id, 2), status: "SUSPENDED", reason: "带贫机制未落实 (scale seed)", at: isoTime(suspendedMs) });
    }
  }
  return history;
}

// ── inserting ─────────────────────────────────────────────────────────────────

type Columns = readonly (readonly [name: string, type: string])[];

const TS = "timestamptz";
const tables = {
  divisions: [["code", "varchar"], ["name", "varchar"], ["level", "division_level"], ["parent_code", "varchar"], ["is_poor_village", "boolean"], ["exit_year", "smallint"]],
  enterprises: [["id", "uuid"], ["name", "varchar"], ["uscc", "varchar"], ["kind", "enterprise_kind"], ["status", "enterprise_status"], ["county_code", "varchar"], ["created_at", TS], ["updated_at", TS]],
  enterprise_status_history: [["id", "uuid"], ["enterprise_id", "uuid"], ["status", "enterprise_status"], ["kind", "enterprise_kind"], ["reason", "text"], ["actor_user_id", "uuid"], ["at", TS]],
  products: [
    ["id", "uuid"], ["name", "varchar"], ["brand", "varchar"], ["category", "product_category"], ["spec", "varchar"], ["unit", "varchar"],
    ["unit_price", "numeric"], ["certified_unit_price", "numeric"], ["enterprise_id", "uuid"], ["origin_county_code", "varchar"], ["origin_village_code", "varchar"],
    ["status", "product_status"], ["catalog_no", "varchar"], ["batch", "varchar"], ["valid_from", "date"], ["valid_until", "date"],
    ["annual_supply_capacity", "integer"], ["available_supply", "integer"], ["description", "text"], ["image_urls", "text[]"],
    ["created_at", TS], ["updated_at", TS],
  ],
  certification_events: [
    ["id", "uuid"], ["product_id", "uuid"], ["from_status", "product_status"], ["to_status", "product_status"], ["actor_user_id", "uuid"],
    ["comment", "text"], ["at", TS],
  ],
  households: [
    ["id", "uuid"], ["household_no", "varchar"], ["village_code", "varchar"], ["county_code", "varchar"], ["head_name", "varchar"],
    ["head_id_hash", "varchar"], ["head_id_masked", "varchar"], ["members", "smallint"], ["labor_capacity", "boolean"],
    ["development_willingness", "boolean"], ["status", "household_status"], ["monitoring_reason", "text"], ["exit_year", "smallint"],
    ["created_at", TS], ["updated_at", TS],
  ],
  pairings: [
    ["id", "uuid"], ["enterprise_id", "uuid"], ["village_code", "varchar"], ["county_code", "varchar"], ["mode", "pairing_mode"],
    ["start_date", "date"], ["end_date", "date"], ["industrial_investment", "numeric"], ["welfare_investment", "numeric"],
    ["jobs_provided", "integer"], ["people_trained", "integer"], ["end_reason", "text"], ["created_at", TS], ["updated_at", TS],
  ],
  benefit_links: [
    ["id", "uuid"], ["household_id", "uuid"], ["enterprise_id", "uuid"], ["product_id", "uuid"], ["pairing_id", "uuid"],
    ["village_code", "varchar"], ["county_code", "varchar"], ["mechanism", "benefit_mechanism"], ["year", "smallint"], ["income", "numeric"],
    ["contract_ref", "varchar"], ["start_date", "date"], ["end_date", "date"], ["end_reason", "text"], ["created_at", TS], ["updated_at", TS],
  ],
  budget_units: [["id", "uuid"], ["code", "varchar"], ["name", "varchar"], ["level", "budget_unit_level"], ["county_code", "varchar"], ["parent_id", "uuid"], ["has_canteen", "boolean"], ["created_at", TS], ["updated_at", TS]],
  quotas: [["id", "uuid"], ["budget_unit_id", "uuid"], ["year", "smallint"], ["canteen_food_total", "numeric"], ["reserved_amount", "numeric"], ["no_canteen", "boolean"], ["declared_at", TS]],
  sales_reports: [
    ["id", "uuid"], ["reporter", "varchar"], ["reporter_api_key_id", "uuid"], ["reporter_user_id", "uuid"], ["reporter_name", "varchar"],
    ["idempotency_key", "varchar"], ["request_hash", "varchar"], ["corrects_id", "uuid"], ["superseded_by_id", "uuid"], ["superseded_at", TS],
    ["line_count", "integer"], ["total_amount", "numeric"], ["created_at", TS],
  ],
  sales_lines: [
    ["report_id", "uuid"], ["line_no", "integer"], ["product_id", "uuid"], ["quantity", "integer"], ["amount", "numeric"], ["sold_on", "date"],
    ["channel", "sales_channel"], ["buyer_region", "varchar"],
  ],
  collective_incomes: [
    ["id", "uuid"], ["village_code", "varchar"], ["year", "smallint"], ["source", "collective_income_source"], ["amount", "numeric"], ["note", "text"],
    ["recorded_by", "uuid"], ["recorded_at", TS], ["updated_at", TS],
  ],
  orders: [
    ["id", "uuid"], ["budget_unit_id", "uuid"], ["product_id", "uuid"], ["year", "smallint"], ["quantity", "integer"], ["unit_price", "numeric"],
    ["amount", "numeric"], ["status", "order_status"], ["channel", "order_channel"], ["idempotency_key", "varchar"], ["request_hash", "varchar"],
    ["created_by", "uuid"], ["created_at", TS], ["shipped_at", TS], ["delivered_at", TS], ["cancelled_at", TS],
  ],
} as const satisfies Record<string, Columns>;

/** `insert into <table> (…) select … from json_to_recordset($1)`, `batchSize` rows per statement. */
async function insertRows(tx: Drizzle, table: keyof typeof tables, rows: readonly Row[], batchSize: number): Promise<void> {
  const columns: Columns = tables[table];
  const names = columns.map(([name]) => name).join(", ");
  const definitions = columns.map(([name, type]) => `${name} ${type}`).join(", ");
  const statement = (json: string): SQL =>
    sql`${sql.raw(`insert into ${table} (${names}) select ${names} from json_to_recordset(`)}${json}${sql.raw(`::json) as r(${definitions})`)}`;
  for (let i = 0; i < rows.length; i += batchSize) await tx.execute(statement(JSON.stringify(rows.slice(i, i + batchSize))));
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Generates and inserts the data set (one transaction), then VACUUM ANALYZEs it. Prints what it does
 * and how long each part takes through `options.log`.
 */
export async function seedScale(database: Database, options: ScaleOptions): Promise<ScaleCounts> {
  const log = options.log ?? ((line: string) => console.log(line));
  const batchSize = options.batchSize ?? 5000;
  const started = performance.now();
  const idHashKey = options.idHashKey ?? loadConfig().ID_HASH_KEY ?? DEVELOPMENT_ID_HASH_KEY;
  const rows = buildScaleRows({ ...options, idHashKey });
  const build = seconds(started);
  log(`seed:scale built the rows in ${build.toFixed(1)} s (households ${options.households}, seed ${options.seed ?? 2020}, day ${rows.meta.asOf})`);

  const insertStarted = performance.now();
  const today = options.today ?? new Date();
  const sales = buildSalesRows({ products: rows.products, divisions: rows.divisions, households: options.households, seed: options.seed ?? 2020, base: Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) });
  const order = ["divisions", "enterprises", "enterprise_status_history", "products", "certification_events", "households", "pairings", "benefit_links", "budget_units", "quotas", "orders", "sales_reports", "sales_lines", "collective_incomes"] as const;
  const byTable: Record<(typeof order)[number], Row[]> = {
    divisions: rows.divisions,
    enterprises: rows.enterprises,
    enterprise_status_history: rows.enterpriseStatusHistory,
    products: rows.products,
    certification_events: rows.certificationEvents,
    households: rows.households,
    pairings: rows.pairings,
    benefit_links: rows.benefitLinks,
    budget_units: rows.budgetUnits,
    quotas: rows.quotas,
    orders: rows.orders,
    sales_reports: sales.salesReports,
    sales_lines: sales.salesLines,
    collective_incomes: sales.collectiveIncomes,
  };
  await database.transaction(async (tx) => {
    for (const table of order) {
      const t = performance.now();
      await insertRows(tx, table, byTable[table], batchSize);
      log(`  ${table.padEnd(20)} ${String(byTable[table].length).padStart(8)} rows  ${seconds(t).toFixed(1).padStart(6)} s`);
    }
    // Each seeded declaration is its quota's first revision (as declareQuota writes it).
    await tx.execute(sql`
      insert into quota_revisions (quota_id, canteen_food_total, reserved_amount, no_canteen, at)
      select id, canteen_food_total, reserved_amount, no_canteen, declared_at from quotas
      where id not in (select quota_id from quota_revisions)`);
    // Catalog numbers issued later by the listing workflow continue after the seeded ones.
    await tx.execute(sql`
      insert into catalog_sequences (county_code, year, last_value)
      select substr(catalog_no, 1, 6), substr(catalog_no, 8, 4)::smallint, max(substr(catalog_no, 13)::int)
      from products where catalog_no ~ '^[0-9]{6}-[0-9]{4}-[0-9]{6}$'
      group by 1, 2
      on conflict (county_code, year) do update set last_value = greatest(catalog_sequences.last_value, excluded.last_value)`);
  });
  const insert = seconds(insertStarted);

  const analyzeStarted = performance.now();
  await database.rows(sql.raw(`vacuum (analyze) ${order.join(", ")}, catalog_sequences`));
  const analyze = seconds(analyzeStarted);
  const total = seconds(started);

  const counts: ScaleCounts = {
    divisions: rows.divisions.length,
    towns: rows.meta.towns,
    villages: rows.meta.villages,
    poorVillages: rows.meta.poorVillages,
    enterprises: rows.enterprises.length,
    products: rows.products.length,
    listedProducts: rows.meta.listedProducts,
    certificationEvents: rows.certificationEvents.length,
    households: rows.households.length,
    ableAndWilling: rows.meta.ableAndWilling,
    pairings: rows.pairings.length,
    benefitLinks: rows.benefitLinks.length,
    budgetUnits: rows.budgetUnits.length,
    quotas: rows.quotas.length,
    orders: rows.orders.length,
    salesReports: sales.salesReports.length,
    salesLines: sales.salesLines.length,
    collectiveIncomes: sales.collectiveIncomes.length,
    asOf: rows.meta.asOf,
    year: rows.meta.year,
    seconds: { build, insert, analyze, total },
  };
  log(
    `seed:scale done in ${total.toFixed(1)} s (build ${build.toFixed(1)} s, insert ${insert.toFixed(1)} s, vacuum analyze ${analyze.toFixed(1)} s): ` +
      `${counts.divisions} divisions (${counts.towns} towns, ${counts.villages} villages, ${counts.poorVillages} poor), ` +
      `${counts.enterprises} enterprises, ${counts.products} products (${counts.listedProducts} LISTED; ${counts.certificationEvents} certification events), ` +
      `${counts.households} households (${counts.ableAndWilling} able and willing), ${counts.pairings} pairings, ` +
      `${counts.benefitLinks} benefit links, ${counts.budgetUnits} budget units, ${counts.quotas} quotas, ${counts.orders} orders, ` +
      `${counts.salesReports} sales reports (${counts.salesLines} lines), ${counts.collectiveIncomes} collective incomes ` +
      `(orders mostly in ${counts.year}; a good asOf is ${counts.asOf})`,
  );
  return counts;
}
