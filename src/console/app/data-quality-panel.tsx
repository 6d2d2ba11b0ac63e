import type { Viewer } from "./api.js";

// 疑点数据 on the dashboard (issue 13.4): the open data-quality issues by rule and county, as the API's
// dataQualitySummary counts them, in one small table (no chart: nothing more to load).

/**
 * DataQualityRule: the Chinese half of each value's description in the SDL. Here rather than in labels.ts
 * (the other enums' names), which the console's small entry chunk carries: only the dashboard needs these.
 */
export const dataQualityRuleLabels: Record<string, string> = {
  DUPLICATE_HEAD_ID: "一个户主身份证号出现在多户",
  HOUSEHOLD_MEMBERS_OUT_OF_RANGE: "家庭人口为0或超过20",
  ABLE_WILLING_WITHOUT_LINK: "有劳动能力和发展意愿但今日无有效联结",
  LINK_YEAR_OUTSIDE_DATES: "联结年度不在起止日期内",
  LINK_INCOME_OUT_OF_RANGE: "联结收益为零或超过上限",
  LINK_OF_UNVERIFIED_ENTERPRISE: "未认定经营主体的联结",
  PAIRING_OF_UNVERIFIED_ENTERPRISE: "未认定经营主体的结对",
  DELIVERED_WITHOUT_SHIPMENT: "已验收但无发货记录",
  RESERVED_ABOVE_CANTEEN_TOTAL: "预留份额超过食堂总额",
  LISTED_PAST_VALIDITY: "过期仍在目录",
};

export const DATA_QUALITY = `query DashboardDataQuality($county: String) {
  dataQualitySummary(countyCode: $county) { rule countyCode county { name } open }
}`;

export interface DataQualityCount {
  rule: string;
  countyCode: string;
  county: { name: string } | null;
  open: number;
}
export interface DataQualityAnswer {
  dataQualitySummary: DataQualityCount[];
}

/** Who the API lets see data-quality issues (dataQualityIssues' rule): admins and the offices (a reviewer always has a division). */
export const maySeeDataQuality = (viewer: Viewer): boolean => viewer.role === "ADMIN" || (viewer.role === "REVIEWER" && viewer.division !== null);

/**
 * What the panel asks for in the dashboard's scope: the county ("" = every county the viewer may see),
 * or null when a county office looks at another county (the API would count none of its records).
 */
export function dataQualityScope(viewer: Viewer, county: string): string | null {
  const own = viewer.division?.level === "COUNTY" ? viewer.division.code : "";
  return own && county && county !== own ? null : county;
}

const PREFECTURE = "433100";
/** A column's heading: the county, or 州直 for records of no county (the API counts them under 433100). */
const countyName = (row: DataQualityCount) => (row.countyCode === PREFECTURE ? "州直" : (row.county?.name ?? row.countyCode));

export function DataQualityPanel({ rows, error, outOfScope }: { rows: DataQualityCount[] | null; error?: string | undefined; outOfScope: boolean }) {
  const ready = outOfScope || rows !== null || Boolean(error);
  return (
    <section className="card data-quality" data-panel="data-quality" data-quality-ready={ready ? "true" : "false"}>
      <header>
        <h3>疑点数据（待核实）</h3>
      </header>
      {outOfScope ? (
        <p className="muted">只能查看本县市的疑点数据。</p>
      ) : error ? (
        <p className="error">{error}</p>
      ) : !rows ? (
        <p className="muted">正在加载…</p>
      ) : rows.length === 0 ? (
        <p className="muted" data-quality-total="0">
          无
        </p>
      ) : (
        <>
          <CountTable rows={rows} />
          <p className="note">逐条核实与处理：API 的 dataQualityIssues 与 resolveDataQualityIssue。</p>
        </>
      )}
    </section>
  );
}

/** Rules (most open first) by counties (by code, 州直 last), with both totals. */
function CountTable({ rows }: { rows: DataQualityCount[] }) {
  const total = (pick: (r: DataQualityCount) => boolean) => rows.reduce((n, r) => (pick(r) ? n + r.open : n), 0);
  const columns = [...new Map(rows.map((r) => [r.countyCode, countyName(r)]))].sort(([a], [b]) => (a === PREFECTURE ? 1 : b === PREFECTURE ? -1 : a.localeCompare(b)));
  const rules = [...new Set(rows.map((r) => r.rule))]
    .map((rule) => ({ rule, open: total((r) => r.rule === rule) }))
    .sort((a, b) => b.open - a.open || a.rule.localeCompare(b.rule));
  const cell = (rule: string, county: string) => rows.find((r) => r.rule === rule && r.countyCode === county)?.open ?? 0;
  const all = total(() => true);
  return (
    <table className="table compact" data-quality-total={all}>
      <thead>
        <tr>
          <th>规则</th>
          {columns.map(([code, name]) => (
            <th key={code} className="num" data-county={code}>
              {name}
            </th>
          ))}
          <th className="num">合计</th>
        </tr>
      </thead>
      <tbody>
        {rules.map(({ rule, open }) => (
          <tr key={rule} data-rule={rule}>
            <td>{dataQualityRuleLabels[rule] ?? rule}</td>
            {columns.map(([code]) => {
              const n = cell(rule, code);
              return (
                <td key={code} className={n ? "num" : "num muted"} data-county={code}>
                  {n}
                </td>
              );
            })}
            <td className="num">{open}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-rule="">
          <th>合计</th>
          {columns.map(([code]) => (
            <th key={code} className="num" data-county={code}>
              {total((r) => r.countyCode === code)}
            </th>
          ))}
          <th className="num">{all}</th>
        </tr>
      </tfoot>
    </table>
  );
}
