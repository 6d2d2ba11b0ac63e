// ECharts from the installed package, tree-shaken through echarts/core: only bar and line charts,
// the SVG renderer and the components the dashboard uses. No map, no font, no CDN. SVG rather than
// canvas: measured on the dashboard's first render (ten charts), the page's main thread spent less
// time to the painted frame with SVG (median 426 vs 449 ms; first render 1285 vs 1703 ms; 5 runs each, load ~18).
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { type ReactNode, useEffect, useLayoutEffect, useRef } from "react";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** The page's own fonts (style.css): the charts' Chinese text in the face the page has already loaded. */
const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

/** What a chart shows, as data (tests read this, not pixels): the category axis and each series' values. */
export interface ChartData {
  categories: string[];
  series: { name: string; data: (number | null)[] }[];
}

interface ChartProps {
  /** a stable name: the element's data-chart-key */
  chartKey: string;
  title: string;
  data: ChartData | null;
  option: (data: ChartData) => ChartOption;
  height?: number;
  /** e.g. the XLSX export's download button */
  actions?: ReactNode;
  note?: ReactNode;
  error?: string | null;
}

/**
 * One chart in a card. The element carries the chart's data as JSON in `data-chart` once drawn, and
 * `echarts.getInstanceByDom(element)` is the instance (exposed on window.__consoleEcharts for tests).
 */
export function Chart({ chartKey, title, data, option, height = 300, actions, note, error }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  // Drawn as the page commits, before the browser paints it: the page's first paint has its charts.
  useLayoutEffect(() => {
    const node = element.current;
    if (!node || !data) return;
    const chart = echarts.getInstanceByDom(node) ?? echarts.init(node, undefined, { renderer: "svg" });
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option(data) }, true);
    node.dataset.chart = JSON.stringify(data);
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => window.removeEventListener("resize", resize);
  }, [data, option]);
  useEffect(() => {
    const node = element.current;
    return () => {
      if (node) echarts.getInstanceByDom(node)?.dispose();
    };
  }, []);
  return (
    <section className="card chart-card">
      <header>
        <h3>{title}</h3>
        <div className="actions">{actions}</div>
      </header>
      {error ? <p className="error">{error}</p> : !data ? <p className="muted">正在加载…</p> : null}
      <div ref={element} className="chart" data-chart-key={chartKey} style={{ height, display: data && !error ? "block" : "none" }} />
      {note ? <p className="note">{note}</p> : null}
    </section>
  );
}

(window as unknown as { __consoleEcharts: typeof echarts }).__consoleEcharts = echarts;

// The grids' margins are set here from the labels' estimated widths (grid.outerBoundsMode "none"):
// ECharts then lays the axes out once instead of measuring every label to shrink the grid around them
// (its default, about a fifth of the charts' drawing time on the first render).

/** A label's width in px at ECharts' default 12 px font, without measuring: CJK characters are square, the rest about 7 px. */
export function labelWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! >= 0x2e80 ? 12 : 7;
  return width;
}

/** Category labels longer than this are cut with "…" (the tooltip names the category in full). */
const MAX_LABEL = 160;
/** The narrowest plot a chart card has (cards are at least 560 px wide): where a category's band is judged. */
const NARROWEST_PLOT = 480;

/** An amount axis' label: 12,000 → "1.2万", 300,000,000 → "3亿" (the tooltip shows the exact amount). */
export function shortAmount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e8) return `${Number((value / 1e8).toFixed(2))}亿`;
  if (abs >= 1e4) return `${Number((value / 1e4).toFixed(2))}万`;
  return String(value);
}

/** Bars over categories with an optional target line (a rate chart: values in %). */
export function barOption({ percent = false, target, horizontal = false, stacked = false }: { percent?: boolean; target?: number; horizontal?: boolean; stacked?: boolean } = {}) {
  return (data: ChartData): ChartOption => {
    const widest = Math.min(MAX_LABEL, Math.max(0, ...data.categories.map(labelWidth)));
    // Vertical bars: labels turn 30° when the widest would not fit its band, and the bottom margin holds them.
    const rotate = !horizontal && widest > NARROWEST_PLOT / Math.max(1, data.categories.length) - 6 ? 30 : 0;
    const bottom = rotate ? Math.ceil(widest / 2 + 12 * Math.cos(Math.PI / 6)) + 16 : 32;
    const labelText = { width: MAX_LABEL, overflow: "truncate" };
    const categoryAxis = horizontal
      ? { type: "category", data: data.categories, inverse: true, axisLabel: { ...labelText, interval: 0 } }
      : { type: "category", data: data.categories, axisLabel: { ...labelText, interval: 0, rotate } };
    const valueAxis = { type: "value", max: percent ? (value: { max: number }) => Math.max(100, Math.ceil(value.max / 10) * 10) : undefined, axisLabel: { formatter: percent ? "{value}%" : shortAmount } };
    const legend = data.series.length > 1;
    // The target line's label: above the line at its right end (vertical bars), above the plot at its top (horizontal bars).
    const targetLabel = horizontal ? { formatter: `目标 ${target}%`, position: "start" } : { formatter: `目标 ${target}%`, position: "insideEndTop" };
    return {
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (percent ? `${Number(v).toFixed(1)}%` : Number(v).toLocaleString("zh-CN")) },
      legend: legend ? { top: 0 } : undefined,
      grid: {
        left: horizontal ? widest + 16 : 56,
        right: horizontal ? 32 : 24,
        top: legend ? 32 : target !== undefined ? 28 : 16,
        bottom,
        outerBoundsMode: "none",
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: data.series.map((s, i) => ({
        type: "bar",
        name: s.name,
        stack: stacked ? "all" : undefined,
        data: s.data.map((v) => (v === null ? null : percent ? Math.round(v * 1000) / 10 : v)),
        markLine:
          target !== undefined && i === 0
            ? { symbol: "none", silent: true, label: targetLabel, lineStyle: { color: "#c0392b", type: "dashed" }, data: [horizontal ? { xAxis: target } : { yAxis: target }] }
            : undefined,
      })),
    };
  };
}

/** A line over months. */
export function lineOption() {
  return (data: ChartData): ChartOption => ({
    tooltip: { trigger: "axis", valueFormatter: (v: unknown) => Number(v).toLocaleString("zh-CN") },
    grid: { left: 56, right: 24, top: 16, bottom: 32, outerBoundsMode: "none" },
    xAxis: { type: "category", data: data.categories },
    yAxis: { type: "value", axisLabel: { formatter: shortAmount } },
    series: data.series.map((s) => ({ type: "line", name: s.name, data: s.data, areaStyle: { opacity: 0.15 } })),
  });
}
