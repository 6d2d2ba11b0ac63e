// ECharts from the installed package, tree-shaken through echarts/core: only bar and line charts,
// the canvas renderer and the components the dashboard uses. No map, no font, no CDN.
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { type ReactNode, useEffect, useRef } from "react";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

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
  useEffect(() => {
    const node = element.current;
    if (!node || !data) return;
    const chart = echarts.getInstanceByDom(node) ?? echarts.init(node, undefined, { renderer: "canvas" });
    chart.setOption({ animation: false, textStyle: { fontFamily: "sans-serif" }, ...option(data) }, true);
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

/** Bars over categories with an optional target line (a rate chart: values in %). */
export function barOption({ percent = false, target, horizontal = false, stacked = false }: { percent?: boolean; target?: number; horizontal?: boolean; stacked?: boolean } = {}) {
  return (data: ChartData): ChartOption => {
    const categoryAxis = { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: horizontal || data.categories.length <= 8 ? 0 : 30 } };
    const valueAxis = { type: "value", max: percent ? (value: { max: number }) => Math.max(100, Math.ceil(value.max / 10) * 10) : undefined, axisLabel: { formatter: percent ? "{value}%" : "{value}" } };
    return {
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (percent ? `${Number(v).toFixed(1)}%` : Number(v).toLocaleString("zh-CN")) },
      legend: data.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 160 : 56, right: 24, top: data.series.length > 1 ? 32 : 16, bottom: 48, containLabel: false },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? { ...categoryAxis, inverse: true, axisLabel: { width: 150, overflow: "truncate" } } : valueAxis,
      series: data.series.map((s, i) => ({
        type: "bar",
        name: s.name,
        stack: stacked ? "all" : undefined,
        data: s.data.map((v) => (v === null ? null : percent ? Math.round(v * 1000) / 10 : v)),
        markLine:
          target !== undefined && i === 0
            ? { symbol: "none", silent: true, label: { formatter: `目标 ${target}%` }, lineStyle: { color: "#c0392b", type: "dashed" }, data: [horizontal ? { xAxis: target } : { yAxis: target }] }
            : undefined,
      })),
    };
  };
}

/** A line over months. */
export function lineOption() {
  return (data: ChartData): ChartOption => ({
    tooltip: { trigger: "axis" },
    grid: { left: 72, right: 24, top: 16, bottom: 32 },
    xAxis: { type: "category", data: data.categories },
    yAxis: { type: "value" },
    series: data.series.map((s) => ({ type: "line", name: s.name, data: s.data, areaStyle: { opacity: 0.15 } })),
  });
}
