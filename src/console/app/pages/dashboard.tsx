import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError, type Viewer, downloadExport, gql } from "../api.js";
import { Chart, type ChartData, barOption, lineOption } from "../chart.js";
import { DATA_QUALITY, type DataQualityAnswer, DataQualityPanel, dataQualityScope, maySeeDataQuality } from "../data-quality-panel.js";
import { INDICATOR, ownCountyOf, sendDashboardQueries, takeEarlyDashboardQueries } from "../dashboard-queries.js";
import { chinaToday, counties, percent, yuan } from "../labels.js";

// 规划指标: the plan's indicators on a day (asOf) and the year's procurement progress, for the
// prefecture and county offices. Each chart's data is in its element's data-chart attribute.

interface CountyRate {
  county: { code: string; name: string };
  numerator: number;
  denominator: number;
  rate: number;
}
interface Indicator {
  numerator: number;
  denominator: number;
  rate: number;
  target: number;
  byCounty: CountyRate[];
}
interface Progress {
  reservedAmount: string;
  deliveredAmount: string;
  completionRate: number | null;
}
interface Amount {
  key: string;
  label: string | null;
  amount: string;
}
interface IndicatorsAnswer {
  pairingCoverage: Indicator;
  benefitLinkCoverage: { households: Indicator; villages: Indicator };
  certificationPipeline: {
    byCountyAndStatus: { county: { code: string; name: string }; status: string; label: string; count: number }[];
    listedByCategory: { category: string; label: string; count: number }[];
    expiringWithin60Days: number;
    expiringListings: ExpiringListing[];
  };
}
interface ExpiringListing {
  product: { name: string; catalogNo: string | null; enterprise: { name: string } } | null;
  county: { code: string; name: string };
  validUntil: string;
}
interface PlanFiguresAnswer {
  consumptionSales: {
    total: { amount: string; records: number };
    byChannel: { key: string; label: string | null; amount: string }[];
    byMonth: { key: string; amount: string }[];
  };
  collectiveIncomeCoverage: Indicator;
}
interface ProgressAnswer {
  consumptionProgress: {
    totals: Progress;
    byCounty: { label: string; county: { code: string } | null; progress: Progress }[];
    supervisingUnits: (Progress & { budgetUnit: { name: string } | null })[];
    deliveredByMonth: Amount[];
    deliveredByOriginCounty: Amount[];
    deliveredByCategory: Amount[];
    deliveredByEnterprise: Amount[];
  };
}

// Plan items 10 and 12 (issue 15): every channel's consumption and villages' collective income, for the
// year of asOf. Asked after the first two answers have drawn, so the first render does not wait for them.
const PLAN_FIGURES = `query DashboardPlanFigures($year: Int!, $county: String) {
  consumptionSales(year: $year, countyCode: $county) { total { amount records } byChannel { key label amount } byMonth { key amount } }
  collectiveIncomeCoverage(year: $year, countyCode: $county) { ${INDICATOR} }
}`;
const rateBars = (target: number) => barOption({ percent: true, target });
const pairingOption = rateBars(60);
const linkOption = rateBars(100);
const progressOption = rateBars(100);
const supervisingOption = barOption({ percent: true, target: 100, horizontal: true });
const amountOption = barOption();
const enterpriseOption = barOption({ horizontal: true });
const monthOption = lineOption();
const pipelineOption = barOption({ stacked: true });
const salesOption = barOption();

const amounts = (rows: Amount[], name = "交付金额（元）"): ChartData => ({
  categories: rows.map((r) => r.label ?? r.key),
  series: [{ name, data: rows.map((r) => Number(r.amount)) }],
});

const pipelineStatuses = ["SUBMITTED", "CERTIFIED", "LISTED", "EXPIRED", "REJECTED", "REVOKED", "DRAFT"];

export function DashboardPage({ viewer }: { viewer: Viewer }) {
  const ownCounty = ownCountyOf(viewer);
  const [asOf, setAsOf] = useState(chinaToday);
  const [county, setCounty] = useState(ownCounty);
  /** this round of queries: when the page asked (its first render, or a change of asOf or county) and when both answers were in */
  const round = useRef<{ started: number; answered: number }>({ started: performance.now(), answered: Number.NaN });
  // Sent by main.tsx before this page had loaded when it opened on the dashboard: the answers already in
  // are drawn in the page's first render (no render without them, no effect to wait for).
  const [early] = useState(() => takeEarlyDashboardQueries<IndicatorsAnswer, ProgressAnswer>(asOf, county));
  const firstRound = useRef(early);
  const [indicators, setIndicators] = useState<IndicatorsAnswer | null>(early?.arrived.indicators ?? null);
  const [progress, setProgress] = useState<ProgressAnswer | null>(early?.arrived.progress ?? null);
  const [plan, setPlan] = useState<PlanFiguresAnswer | null>(null);
  const [quality, setQuality] = useState<DataQualityAnswer | null>(null);
  const [errors, setErrors] = useState<{ indicators?: string; progress?: string; plan?: string; quality?: string }>({});
  const year = Number(asOf.slice(0, 4));
  // 疑点数据: only for those the API shows data-quality issues (and not for another county than a county office's own).
  const maySeeQuality = maySeeDataQuality(viewer);
  const [qualityRefused, setQualityRefused] = useState(false);
  const qualityCounty = dataQualityScope(viewer, county);

  useEffect(() => {
    let current = true;
    // The first round takes the early queries (if any), later ones ask now (both at once).
    let queries = firstRound.current;
    firstRound.current = null;
    if (!queries) {
      round.current = { started: performance.now(), answered: Number.NaN };
      setIndicators(null);
      setProgress(null);
      setPlan(null);
      setQuality(null);
      setErrors((x) => (Object.keys(x).length > 0 ? {} : x));
      queries = sendDashboardQueries<IndicatorsAnswer, ProgressAnswer>(asOf, county);
    }
    const countyCode = county || null;
    void queries.answered.then((ms) => {
      if (current) round.current.answered = ms;
    });
    const a = queries.indicators.then(
      (data) => current && setIndicators(data),
      (e: Error) => current && setErrors((x) => ({ ...x, indicators: e.message })),
    );
    const b = queries.progress.then(
      (data) => current && setProgress(data),
      (e: Error) => current && setErrors((x) => ({ ...x, progress: e.message })),
    );
    void Promise.all([a, b]).then(() => {
      if (!current) return;
      void gql<PlanFiguresAnswer>(PLAN_FIGURES, { year, county: countyCode }).then(
        (data) => current && setPlan(data),
        (e: Error) => current && setErrors((x) => ({ ...x, plan: e.message })),
      );
      if (!maySeeQuality || qualityCounty === null) return;
      void gql<DataQualityAnswer>(DATA_QUALITY, { county: qualityCounty || null }).then(
        (data) => current && setQuality(data),
        // Refused: the panel is not this viewer's (it disappears rather than showing an error).
        (e: Error) => current && (e instanceof ApiError && e.code === "FORBIDDEN" ? setQualityRefused(true) : setErrors((x) => ({ ...x, quality: e.message }))),
      );
    });
    return () => {
      current = false;
    };
  }, [asOf, county, year, maySeeQuality, qualityCounty]);

  // Both answers drawn: the charts' layout effects (run before this effect) have built them (ECharts'
  // setOption renders synchronously). Once the next frame has been painted (a task queued from its
  // animation frame runs after the paint), that is the first render's time, for bench/console.bench.ts:
  // milliseconds since navigation start, since this round started (the page's first render, or the
  // change of asOf or county), and when both answers were in.
  const drawn = Boolean((indicators || errors.indicators) && (progress || errors.progress));
  useEffect(() => {
    if (!drawn) return;
    let live = true;
    const painted = new MessageChannel();
    painted.port1.onmessage = () => {
      if (!live) return;
      const ms = performance.now();
      document.body.dataset.dashboardRendered = String(Math.round(ms));
      document.body.dataset.dashboardFetchedIn = String(Math.round(ms - round.current.started));
      document.body.dataset.dashboardAnswered = String(Math.round(round.current.answered));
      performance.mark("console-dashboard-rendered");
    };
    const frame = requestAnimationFrame(() => painted.port2.postMessage(null));
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      painted.port1.close();
    };
  }, [drawn]);

  const charts = useMemo(() => {
    if (!indicators) return null;
    const { pairingCoverage, benefitLinkCoverage, certificationPipeline } = indicators;
    const names = pairingCoverage.byCounty.map((c) => c.county.name);
    const countyNames = [...new Set(certificationPipeline.byCountyAndStatus.map((r) => r.county.name))];
    const statuses = pipelineStatuses.filter((s) => certificationPipeline.byCountyAndStatus.some((r) => r.status === s));
    return {
      pairing: { categories: names, series: [{ name: "千企帮千村覆盖率", data: pairingCoverage.byCounty.map((c) => c.rate) }] },
      links: {
        categories: names,
        series: [
          { name: "有劳动能力和发展意愿户联结率", data: benefitLinkCoverage.households.byCounty.map((c) => c.rate) },
          { name: "贫困村联结率", data: benefitLinkCoverage.villages.byCounty.map((c) => c.rate) },
        ],
      },
      pipeline: {
        categories: countyNames,
        series: statuses.map((status) => ({
          name: certificationPipeline.byCountyAndStatus.find((r) => r.status === status)!.label,
          data: countyNames.map((name) => certificationPipeline.byCountyAndStatus.find((r) => r.county.name === name && r.status === status)?.count ?? 0),
        })),
      },
      categories: {
        categories: certificationPipeline.listedByCategory.map((r) => r.label),
        series: [{ name: "在录产品数", data: certificationPipeline.listedByCategory.map((r) => r.count) }],
      },
    } satisfies Record<string, ChartData>;
  }, [indicators]);

  const progressCharts = useMemo(() => {
    if (!progress) return null;
    const p = progress.consumptionProgress;
    const supervising = [...p.supervisingUnits].sort((a, b) => (b.completionRate ?? -1) - (a.completionRate ?? -1));
    return {
      byCounty: { categories: p.byCounty.map((r) => r.label), series: [{ name: "采购执行进度", data: p.byCounty.map((r) => r.progress.completionRate) }] },
      supervising: { categories: supervising.map((r) => r.budgetUnit?.name ?? "—"), series: [{ name: "采购执行进度", data: supervising.map((r) => r.completionRate) }] },
      byMonth: amounts(p.deliveredByMonth),
      byOrigin: amounts(p.deliveredByOriginCounty),
      byCategory: amounts(p.deliveredByCategory),
      byEnterprise: amounts(p.deliveredByEnterprise.slice(0, 15)),
    } satisfies Record<string, ChartData>;
  }, [progress]);

  const planCharts = useMemo(() => {
    if (!plan) return null;
    const { consumptionSales, collectiveIncomeCoverage } = plan;
    return {
      collectiveIncome: {
        categories: collectiveIncomeCoverage.byCounty.map((c) => c.county.name),
        series: [{ name: "集体经济收入5万元以上的贫困村占比", data: collectiveIncomeCoverage.byCounty.map((c) => c.rate) }],
      },
      salesByChannel: amounts(consumptionSales.byChannel, "销售金额（元）"),
      salesByMonth: {
        categories: consumptionSales.byMonth.map((r) => `${Number(r.key.slice(5, 7))}月`),
        series: [{ name: "销售金额（元）", data: consumptionSales.byMonth.map((r) => Number(r.amount)) }],
      },
    } satisfies Record<string, ChartData>;
  }, [plan]);

  const place = county ? `&countyCode=${county}` : "";
  const download = (path: string, name: string) => () => void downloadExport(path, name).catch((e: Error) => alert(e.message));
  const indicatorsXlsx = (
    <button type="button" className="secondary" onClick={download(`/exports/indicators.xlsx?asOf=${asOf}${place}`, `扶贫指标-${asOf}.xlsx`)} data-export="indicators">
      下载 XLSX
    </button>
  );
  const progressXlsx = (
    <button type="button" className="secondary" onClick={download(`/exports/consumption-progress.xlsx?year=${year}${place}`, `采购执行进度-${year}.xlsx`)} data-export="consumption-progress">
      下载 XLSX
    </button>
  );
  const totals = progress?.consumptionProgress.totals;
  const income = plan?.collectiveIncomeCoverage;
  const sales = plan?.consumptionSales.total;

  return (
    <div className="dashboard" data-ready={charts && progressCharts ? "true" : "false"} data-plan-ready={planCharts || errors.plan ? "true" : "false"}>
      <div className="toolbar">
        <h2>规划指标</h2>
        <label>
          截至日期
          <input type="date" name="asOf" value={asOf} max="2099-12-31" onChange={(e) => e.target.value && setAsOf(e.target.value)} />
        </label>
        <label>
          范围
          <select name="county" value={county} onChange={(e) => setCounty(e.target.value)}>
            <option value="">湘西州（全州）</option>
            {counties.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div className="kpis">
        <Kpi label="千企帮千村覆盖率" value={indicators && percent(indicators.pairingCoverage.rate)} detail={indicators && `${indicators.pairingCoverage.numerator}/${indicators.pairingCoverage.denominator} 村 · 目标 60%`} />
        <Kpi label="户利益联结覆盖率" value={indicators && percent(indicators.benefitLinkCoverage.households.rate)} detail={indicators && `${indicators.benefitLinkCoverage.households.numerator}/${indicators.benefitLinkCoverage.households.denominator} 户 · 目标 100%`} />
        <Kpi label="贫困村利益联结覆盖率" value={indicators && percent(indicators.benefitLinkCoverage.villages.rate)} detail={indicators && `${indicators.benefitLinkCoverage.villages.numerator}/${indicators.benefitLinkCoverage.villages.denominator} 村 · 目标 100%`} />
        <Kpi label={`${year} 年采购执行进度`} value={totals && percent(totals.completionRate)} detail={totals && `已交付 ${yuan(totals.deliveredAmount)} / 预留 ${yuan(totals.reservedAmount)} 元`} />
        <Kpi label={`${year} 年消费扶贫总额`} value={sales && `${yuan(sales.amount)} 元`} detail={sales && `各渠道合计 · ${sales.records} 笔`} />
        <Kpi label={`${year} 年村级集体经济收入达标率`} value={income && percent(income.rate)} detail={income && `${income.numerator}/${income.denominator} 村 ≥ 5 万元 · 目标 100%`} />
        <Kpi label="60 天内到期的入录产品" value={indicators && String(indicators.certificationPipeline.expiringWithin60Days)} detail="需续期或重新认定" />
      </div>

      <div className="grid">
        <Chart chartKey="pairingCoverage" title="千企帮千村覆盖率（按县市，目标 60%）" data={charts?.pairing ?? null} option={pairingOption} actions={indicatorsXlsx} error={errors.indicators} />
        <Chart chartKey="benefitLinkCoverage" title="利益联结覆盖率（按县市，目标 100%）" data={charts?.links ?? null} option={linkOption} actions={indicatorsXlsx} error={errors.indicators} />
        <Chart chartKey="progressByCounty" title={`${year} 年采购执行进度（按县市，目标 100%）`} data={progressCharts?.byCounty ?? null} option={progressOption} actions={progressXlsx} error={errors.progress} />
        <Chart
          chartKey="progressBySupervisingUnit"
          title={`${year} 年采购执行进度（按主管预算单位）`}
          data={progressCharts?.supervising ?? null}
          option={supervisingOption}
          height={Math.max(300, (progressCharts?.supervising.categories.length ?? 0) * 26 + 60)}
          actions={progressXlsx}
          error={errors.progress}
        />
        <Chart chartKey="deliveredByMonth" title={`${year} 年交付金额（按月，元）`} data={progressCharts?.byMonth ?? null} option={monthOption} actions={progressXlsx} error={errors.progress} />
        <Chart chartKey="deliveredByOriginCounty" title="交付金额（按产地县市，元）" data={progressCharts?.byOrigin ?? null} option={amountOption} actions={progressXlsx} error={errors.progress} />
        <Chart chartKey="deliveredByCategory" title="交付金额（按产品类别，元）" data={progressCharts?.byCategory ?? null} option={amountOption} actions={progressXlsx} error={errors.progress} />
        <Chart chartKey="deliveredByEnterprise" title="交付金额（按供货企业，前 15 名，元）" data={progressCharts?.byEnterprise ?? null} option={enterpriseOption} height={420} actions={progressXlsx} error={errors.progress} />
        <Chart chartKey="collectiveIncomeCoverage" title={`${year} 年村级集体经济收入 5 万元以上的贫困村（按县市，目标 100%）`} data={planCharts?.collectiveIncome ?? null} option={linkOption} actions={indicatorsXlsx} error={errors.plan} />
        <Chart chartKey="consumptionSalesByChannel" title={`${year} 年消费扶贫总额（按渠道，元）`} data={planCharts?.salesByChannel ?? null} option={salesOption} actions={indicatorsXlsx} error={errors.plan} />
        <Chart chartKey="consumptionSalesByMonth" title={`${year} 年消费扶贫总额（按月，各渠道，元）`} data={planCharts?.salesByMonth ?? null} option={monthOption} actions={indicatorsXlsx} error={errors.plan} />
        <Chart chartKey="certificationPipeline" title="认定进度（按县市与状态）" data={charts?.pipeline ?? null} option={pipelineOption} error={errors.indicators} />
        <Chart chartKey="listedByCategory" title="在录产品（按类别）" data={charts?.categories ?? null} option={amountOption} error={errors.indicators} />
      </div>
      <ExpiringListings pipeline={indicators?.certificationPipeline ?? null} asOf={asOf} error={errors.indicators} />
      {!maySeeQuality || qualityRefused ? null : <DataQualityPanel rows={quality?.dataQualitySummary ?? null} error={errors.quality} outOfScope={qualityCounty === null} />}
    </div>
  );
}

/** 60 天内到期的入录产品: the listings behind the count, soonest first (the API lists the first 100). */
function ExpiringListings({ pipeline, asOf, error }: { pipeline: IndicatorsAnswer["certificationPipeline"] | null; asOf: string; error?: string | undefined }) {
  const rows = pipeline?.expiringListings ?? [];
  const total = pipeline?.expiringWithin60Days ?? 0;
  return (
    <section className="card" data-expiring-listings={pipeline ? String(total) : undefined}>
      <header>
        <h3>60 天内到期的入录产品（截至 {asOf}）</h3>
      </header>
      {error ? (
        <p className="error">{error}</p>
      ) : !pipeline ? (
        <p className="muted">正在加载…</p>
      ) : rows.length === 0 ? (
        <p className="muted">无</p>
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th>产品</th>
                <th>目录编号</th>
                <th>企业</th>
                <th>县市</th>
                <th>有效期至</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.product?.catalogNo ?? i}`} data-expiring-catalog-no={r.product?.catalogNo ?? ""}>
                  <td>{r.product?.name ?? "—"}</td>
                  <td className="catalog-no">{r.product?.catalogNo ?? "—"}</td>
                  <td>{r.product?.enterprise.name ?? "—"}</td>
                  <td>{r.county.name}</td>
                  <td>{r.validUntil}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > rows.length ? <p className="note">共 {total} 个，列出最早到期的 {rows.length} 个。</p> : null}
        </>
      )}
    </section>
  );
}

function Kpi({ label, value, detail }: { label: string; value: string | null | undefined; detail: string | null | undefined }) {
  return (
    <div className="card kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value ?? "…"}</div>
      <div className="kpi-detail">{detail ?? ""}</div>
    </div>
  );
}
