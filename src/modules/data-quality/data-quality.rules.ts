import { type SQL, sql } from "drizzle-orm";
import { benefitLinks, householdsLinkedOn } from "../benefit-links/index.js";
import { products } from "../catalog/index.js";
import { enterprises } from "../enterprises/index.js";
import { PREFECTURE_CODE } from "../geography/index.js";
import { households } from "../households/index.js";
import { pairings } from "../pairings/index.js";
import { budgetUnits, orders, quotas } from "../procurement/index.js";

/** The named rules, in the order they are listed (the enum's order is the API's). */
export const DATA_QUALITY_RULES = [
  "DUPLICATE_HEAD_ID",
  "LINK_YEAR_OUTSIDE_DATES",
  "LINK_INCOME_OUT_OF_RANGE",
  "HOUSEHOLD_MEMBERS_OUT_OF_RANGE",
  "ABLE_WILLING_WITHOUT_LINK",
  "LINK_OF_UNVERIFIED_ENTERPRISE",
  "PAIRING_OF_UNVERIFIED_ENTERPRISE",
  "DELIVERED_WITHOUT_SHIPMENT",
  "RESERVED_ABOVE_CANTEEN_TOTAL",
  "LISTED_PAST_VALIDITY",
] as const;

export type DataQualityRuleName = (typeof DATA_QUALITY_RULES)[number];

/** What a rule's statement reads: China's today and the configured link-income ceiling. */
export interface RuleParameters {
  today: string;
  maxLinkIncome: string;
}

export interface RuleDefinition {
  /** the node type of the records it checks (the issue's `recordType`) */
  recordType: "Household" | "BenefitLink" | "Pairing" | "Order" | "Quota" | "Product";
  /**
   * One statement over a live table: every record the rule looks at, with
   * `record_id, county_code, fingerprint, detail, fires`. `fires` says whether the rule finds the record
   * suspicious; the fingerprint (md5 of the whole row) changes whenever the record does. The detail
   * carries no personal data.
   */
  source(p: RuleParameters): SQL;
}

/** md5 of a row as text: any change to the record changes it. */
const fingerprint = (alias: string) => sql.raw(`md5(${alias}::text)`);

export const RULES: Record<DataQualityRuleName, RuleDefinition> = {
  // The unique index households_head_id_hash_key makes this impossible for new rows; the rule still
  // guards imported and legacy data (a restore, an index dropped for a bulk load).
  DUPLICATE_HEAD_ID: {
    recordType: "Household",
    source: () => sql`select h.id as record_id, h.county_code, ${fingerprint("h")} as fingerprint,
      '户主身份证号与其他户重复 The head''s ID number is also the head''s of another household' as detail,
      exists (select 1 from ${households} o where o.head_id_hash = h.head_id_hash and o.id <> h.id) as fires
      from ${households} h`,
  },
  // As the service decides it: start year <= year <= end year, an open link ending no earlier than this year.
  LINK_YEAR_OUTSIDE_DATES: {
    recordType: "BenefitLink",
    source: ({ today }) => sql`select l.id as record_id, l.county_code, ${fingerprint("l")} as fingerprint,
      '联结年度不在起止日期内 The link''s year ' || l.year || ' lies outside its dates' as detail,
      (l.year < extract(year from l.start_date)
        or l.year > extract(year from coalesce(l.end_date, greatest(l.start_date, ${today}::date)))) as fires
      from ${benefitLinks} l`,
  },
  LINK_INCOME_OUT_OF_RANGE: {
    recordType: "BenefitLink",
    source: ({ maxLinkIncome }) => sql`select l.id as record_id, l.county_code, ${fingerprint("l")} as fingerprint,
      case when l.income <= 0 then '联结收益为零 The link''s income is 0'
        else '联结收益超过上限 The link''s income is above ' || ${maxLinkIncome}::numeric end as detail,
      (l.income <= 0 or l.income > ${maxLinkIncome}::numeric) as fires
      from ${benefitLinks} l`,
  },
  HOUSEHOLD_MEMBERS_OUT_OF_RANGE: {
    recordType: "Household",
    source: () => sql`select h.id as record_id, h.county_code, ${fingerprint("h")} as fingerprint,
      '家庭人口数异常 The household has ' || h.members || ' members (expected 1–20)' as detail,
      (h.members < 1 or h.members > 20) as fires
      from ${households} h`,
  },
  ABLE_WILLING_WITHOUT_LINK: {
    recordType: "Household",
    source: ({ today }) => sql`select h.id as record_id, h.county_code, ${fingerprint("h")} as fingerprint,
      '有劳动能力和发展意愿但无有效利益联结 Able and willing to work, but no active benefit link today' as detail,
      (h.labor_capacity and h.development_willingness and linked.household_id is null) as fires
      from ${households} h left join (${householdsLinkedOn(today)}) linked on linked.household_id = h.id`,
  },
  // Links and pairings that have not ended before today.
  LINK_OF_UNVERIFIED_ENTERPRISE: {
    recordType: "BenefitLink",
    source: ({ today }) => sql`select l.id as record_id, l.county_code, ${fingerprint("l")} as fingerprint,
      '联结的经营主体未通过认定 The link''s enterprise is ' || e.status as detail,
      (e.status <> 'VERIFIED' and (l.end_date is null or l.end_date >= ${today}::date)) as fires
      from ${benefitLinks} l join ${enterprises} e on e.id = l.enterprise_id`,
  },
  PAIRING_OF_UNVERIFIED_ENTERPRISE: {
    recordType: "Pairing",
    source: ({ today }) => sql`select p.id as record_id, p.county_code, ${fingerprint("p")} as fingerprint,
      '结对的经营主体未通过认定 The pairing''s enterprise is ' || e.status as detail,
      (e.status <> 'VERIFIED' and (p.end_date is null or p.end_date >= ${today}::date)) as fires
      from ${pairings} p join ${enterprises} e on e.id = p.enterprise_id`,
  },
  // An order belongs to the county its product comes from (the office that oversees the supplier).
  DELIVERED_WITHOUT_SHIPMENT: {
    recordType: "Order",
    source: () => sql`select o.id as record_id, pr.origin_county_code as county_code, ${fingerprint("o")} as fingerprint,
      '已验收但无发货记录 Delivered, but never shipped' as detail,
      (o.status = 'DELIVERED' and o.shipped_at is null) as fires
      from ${orders} o join ${products} pr on pr.id = o.product_id`,
  },
  // A unit without a county (prefecture-direct, central/provincial) belongs to the prefecture office.
  RESERVED_ABOVE_CANTEEN_TOTAL: {
    recordType: "Quota",
    source: () => sql`select q.id as record_id, coalesce(u.county_code, ${PREFECTURE_CODE}) as county_code, ${fingerprint("q")} as fingerprint,
      '预留份额超过食堂食材采购总额 The reserved share exceeds the canteen total (' || q.year || ')' as detail,
      (q.reserved_amount > q.canteen_food_total) as fires
      from ${quotas} q join ${budgetUnits} u on u.id = q.budget_unit_id`,
  },
  LISTED_PAST_VALIDITY: {
    recordType: "Product",
    source: ({ today }) => sql`select pr.id as record_id, pr.origin_county_code as county_code, ${fingerprint("pr")} as fingerprint,
      '产品已过认定有效期仍在目录中 Listed, but its listing expired on ' || pr.valid_until as detail,
      (pr.status = 'LISTED' and pr.valid_until < ${today}::date) as fires
      from ${products} pr`,
  },
};
