import { createRequire } from 'node:module';
import type * as EChartsModule from 'echarts';

// ECharts (≈ 10 MB of code) is loaded on the first chart, not at start-up: it costs start-up time
// and resident memory in every process, most of which never render a chart (issue 9).
type ECharts = typeof EChartsModule;
let loaded: ECharts | undefined;
const require = createRequire(import.meta.url);
const echartsLib = (): ECharts => {
  loaded ??= require('echarts') as ECharts;
  return loaded;
};
declare namespace echarts {
  type EChartsCoreOption = EChartsModule.EChartsCoreOption;
}

/**
 * Apache ECharts rendered to SVG on the server (no script in the browser). The SVG gets
 * role="img", a <title> and a <desc> so screen readers announce it; pages put the same figures
 * in a table beside every chart. Data labels are drawn, so the numbers are in the SVG text too.
 */
export interface ChartText {
  /** Unique within the page: the ids of <title> and <desc> derive from it. */
  id: string;
  title: string;
  desc: string;
  width?: number;
  height?: number;
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

/**
 * The site's CSP (style-src 'self') drops inline style attributes, so ECharts' `style="a:b;c:d"`
 * become the equivalent SVG presentation attributes `a="b" c="d"`; `<style>` blocks are dropped.
 */
export function inlineStylesToAttributes(svg: string): string {
  // The <style> block only holds hover effects, useless without script and blocked by the CSP.
  return svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_whole, css: string) =>
    css
      .split(';')
      .map((declaration) => declaration.trim())
      .filter((declaration) => /^[a-z-]+\s*:/.test(declaration))
      .map((declaration) => {
        const colon = declaration.indexOf(':');
        return ` ${declaration.slice(0, colon).trim()}="${declaration.slice(colon + 1).trim()}"`;
      })
      .join(''),
  );
}

export function renderChart(option: echarts.EChartsCoreOption, text: ChartText): string {
  const width = text.width ?? 640;
  const height = text.height ?? 320;
  const chart = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    const svg = inlineStylesToAttributes(chart.renderToSVGString());
    const titleId = `${text.id}-title`;
    const descId = `${text.id}-desc`;
    return svg
      .replace(
        /^<svg /,
        `<svg role="img" aria-labelledby="${titleId} ${descId}" focusable="false" class="chart" ` +
          `data-chart="${escapeXml(text.id)}" `,
      )
      .replace(
        />/,
        `><title id="${titleId}">${escapeXml(text.title)}</title><desc id="${descId}">${escapeXml(text.desc)}</desc>`,
      );
  } finally {
    chart.dispose();
  }
}

/** Data labels: the value, or nothing for 0 (empty stacked segments would pile up zeros). */
const hideZero = (p: { value?: unknown }) => (p.value === 0 || p.value === null || p.value === undefined ? '' : String(p.value));

const PALETTE = ['#1d4f91', '#c8102e', '#e0a100', '#2e7d32', '#6a1b9a', '#00838f', '#5d4037', '#546e7a'];

/** A vertical bar chart of one or more series over categories, with value labels. */
export function barChart(
  text: ChartText,
  categories: string[],
  series: Array<{ name: string; data: number[]; color?: string; stack?: string }>,
): string {
  return renderChart(
    {
      color: PALETTE,
      legend: series.length > 1 ? { top: 4 } : undefined,
      grid: { left: 48, right: 16, top: series.length > 1 ? 40 : 20, bottom: 64 },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.data,
        stack: s.stack,
        itemStyle: s.color ? { color: s.color } : undefined,
        label: { show: true, position: s.stack ? 'inside' : 'top', formatter: hideZero },
      })),
    },
    text,
  );
}

/** A line chart over weeks (trend), with value labels. */
export function lineChart(
  text: ChartText,
  categories: string[],
  series: Array<{ name: string; data: Array<number | null>; color?: string; yAxisIndex?: number }>,
  yAxes: Array<{ name: string; max?: number }> = [{ name: '' }],
): string {
  return renderChart(
    {
      color: PALETTE,
      legend: { top: 4 },
      grid: { left: 56, right: yAxes.length > 1 ? 56 : 16, top: 44, bottom: 40 },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0 } },
      yAxis: yAxes.map((a) => ({ type: 'value', name: a.name, max: a.max, minInterval: a.max ? undefined : 1 })),
      series: series.map((s) => ({
        type: 'line',
        name: s.name,
        data: s.data,
        yAxisIndex: s.yAxisIndex ?? 0,
        lineStyle: s.color ? { color: s.color } : undefined,
        itemStyle: s.color ? { color: s.color } : undefined,
        label: { show: true, formatter: hideZero },
      })),
    },
    text,
  );
}
