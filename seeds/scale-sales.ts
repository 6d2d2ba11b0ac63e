/**
 * The scale data set's partner sales reports (销售报送) and village collective incomes (村级集体经济收入),
 * built from the products and villages `buildScaleRows` made. A random stream of its own (seed + 15),
 * so every other table stays exactly as it was.
 *
 * At 190,000 households: 2,000 reports of 100 lines (200,000 lines) from three partners and the county
 * offices (fairs), about 5 % of them corrected by a later report; collective incomes of this and last
 * year for every poor village and a third of the others, one to three sources each, about 70 % of the
 * poor villages at or above 50,000 yuan this year.
 */
import { createHash } from "node:crypto";
import { Random } from "./random.js";

type Row = Record<string, unknown>;

const DAY_MS = 86_400_000;
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();

const PARTNERS = [
  { name: "扶贫832平台", channels: [["E_COMMERCE", 70], ["PAIRED_ASSISTANCE", 20], ["OTHER", 10]] },
  { name: "济南扶贫馆", channels: [["EAST_WEST_COOPERATION", 85], ["E_COMMERCE", 15]] },
  { name: "湘西电商联盟", channels: [["E_COMMERCE", 60], ["FAIR", 25], ["PAIRED_ASSISTANCE", 15]] },
] as const;
const REGIONS = ["济南市", "长沙市", "济南市", "湘西州", "北京市", null, null];
const SOURCES = ["PHOTOVOLTAIC", "RESOURCE_LEASE", "COOPERATIVE_DIVIDEND", "ASSET_INCOME", "SERVICE", "OTHER"] as const;

export interface SalesRows {
  salesReports: Row[];
  salesLines: Row[];
  collectiveIncomes: Row[];
}

export function buildSalesRows(input: { products: readonly Row[]; divisions: readonly Row[]; households: number; seed: number; base: number }): SalesRows {
  const random = new Random(input.seed + 15);
  const { base } = input;
  const year = new Date(base).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const f = input.households / 190_000;

  // Products in the catalog at some day of this year up to yesterday: a sale's day lies in their listing.
  const sellable = input.products
    .filter((p) => p.status === "LISTED" && p.valid_from != null)
    .map((p) => {
      const from = Math.max(Date.parse(`${p.valid_from as string}T00:00:00Z`) + DAY_MS, yearStart);
      const until = Math.min(Date.parse(`${p.valid_until as string}T00:00:00Z`), base - DAY_MS);
      const [whole, cents] = String(p.unit_price).split(".");
      return { id: p.id as string, county: p.origin_county_code as string, priceFen: Number(whole) * 100 + Number(cents ?? 0), from, until };
    })
    .filter((p) => p.from <= p.until);

  const salesReports: Row[] = [];
  const salesLines: Row[] = [];
  const reports = sellable.length === 0 ? 0 : Math.max(4, Math.round(2000 * f));
  const offices = [...new Set(sellable.map((p) => p.county))];
  for (let r = 0; r < reports; r++) {
    // Nine in ten from a partner (any channel); the others a county office's fair of its own products.
    const byOffice = random.chance(0.1);
    const partner = random.pick(PARTNERS);
    const office = random.pick(offices);
    const pool = byOffice ? sellable.filter((p) => p.county === office) : sellable;
    const id = random.uuid();
    const reporterId = byOffice ? `00000000-4331-4000-8000-${office.padStart(12, "0")}` : `00000000-0832-4000-8000-${String(PARTNERS.indexOf(partner) + 1).padStart(12, "0")}`;
    const lines: Row[] = [];
    let totalFen = 0;
    for (let n = 0; n < 100; n++) {
      const product = random.pick(pool);
      const quantity = random.int(1, 60);
      const priceFen = Math.round(product.priceFen * (0.85 + random.next() * 0.3)); // within the ±30 % band
      const soldMs = product.from + Math.floor(random.next() * ((product.until - product.from) / DAY_MS + 1)) * DAY_MS;
      const channel = byOffice ? "FAIR" : random.weighted(partner.channels as unknown as [string, number][]);
      lines.push({ report_id: id, line_no: n, product_id: product.id, quantity, amount: yuan(priceFen * quantity), sold_on: isoDate(soldMs), channel, buyer_region: random.pick(REGIONS) });
      totalFen += priceFen * quantity;
    }
    const createdMs = Math.min(base - 1000, Date.parse(`${lines.map((l) => l.sold_on as string).sort().at(-1)}T12:00:00Z`) + random.int(1, 72) * 3_600_000);
    const report: Row = {
      id,
      reporter: byOffice ? `user:${reporterId}` : `apiKey:${reporterId}`,
      reporter_api_key_id: byOffice ? null : reporterId,
      reporter_user_id: byOffice ? reporterId : null,
      reporter_name: byOffice ? office : partner.name,
      idempotency_key: `scale-sales-${r + 1}`,
      request_hash: createHash("sha256").update(`scale-sales-${r + 1}`).digest("hex"),
      corrects_id: null,
      superseded_by_id: null,
      superseded_at: null,
      line_count: lines.length,
      total_amount: yuan(totalFen),
      created_at: isoTime(createdMs),
    };
    // One in twenty is corrected by the next report of the same reporter (same lines, fewer of them).
    const previous = salesReports.at(-1);
    if (previous && previous.reporter === report.reporter && previous.superseded_by_id === null && previous.corrects_id === null && random.chance(0.5)) {
      report.corrects_id = previous.id;
      // A correction is made after the report it corrects: when its own time is not later, an hour after that one
      // (no random draw, so every later row stays as it was).
      const previousMs = Date.parse(previous.created_at as string);
      if (createdMs <= previousMs) report.created_at = isoTime(Math.min(base - 1, previousMs + 3_600_000));
      previous.superseded_by_id = id;
      previous.superseded_at = report.created_at;
    }
    salesReports.push(report);
    salesLines.push(...lines);
  }

  // Collective incomes: every poor village, a third of the others, this year and last.
  const collectiveIncomes: Row[] = [];
  for (const v of input.divisions) {
    if (v.level !== "VILLAGE") continue;
    const poor = v.is_poor_village === true;
    if (!poor && !random.chance(1 / 3)) continue;
    for (const y of [year - 1, year]) {
      // The target: most poor villages reach 50,000 yuan; some fall short, a few have nothing yet.
      const totalFen = random.weighted([[random.int(50_000, 160_000) * 100, 70], [random.int(8_000, 49_999) * 100, 25], [0, 5]]);
      if (totalFen === 0) continue;
      const sources = random.shuffle([...SOURCES]).slice(0, random.int(1, 3));
      let left = totalFen;
      sources.forEach((source, i) => {
        const fen = i === sources.length - 1 ? left : Math.floor((left * random.int(30, 70)) / 100);
        left -= fen;
        const at = isoTime(Math.min(base - 1000, Date.UTC(y, 11, 20) + random.int(0, 40) * DAY_MS));
        collectiveIncomes.push({ id: random.uuid(), village_code: v.code, year: y, source, amount: yuan(fen), note: null, recorded_by: null, recorded_at: at, updated_at: at });
      });
    }
  }
  return { salesReports, salesLines, collectiveIncomes };
}
