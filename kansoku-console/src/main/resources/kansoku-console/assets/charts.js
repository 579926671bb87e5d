// uPlot wrappers: time-series line charts and the trace-duration scatter, coloured from the theme.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { formatDuration, formatNumber, h } from './ui.js';

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
export const SERIES_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];

function axes(yFormat) {
  const stroke = css('--muted');
  const grid = { stroke: css('--grid'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, size: 70, values: (u, vals) => vals.map(yFormat) },
  ];
}

/** Keeps a chart as wide as its box. */
function fit(chart, box) {
  new ResizeObserver(() => {
    const w = box.clientWidth;
    if (w > 0 && w !== chart.width) chart.setSize({ width: w, height: chart.height });
  }).observe(box);
}

/**
 * A line chart: `timesMs` and one `values` array per series (null = no point).
 * Returns the box element; the uPlot instance is on box.chart (tests read it).
 */
export function lineChart({ title, timesMs, series, height = 220, yFormat = (v) => formatNumber(v) }) {
  const box = h('div.chart', h('div.chart-title', title));
  const opts = {
    width: 600,
    height,
    axes: axes(yFormat),
    cursor: { points: { size: 6 } },
    legend: { live: true },
    series: [
      { value: (u, v) => (v === null ? '–' : new Date(v * 1000).toLocaleTimeString()) },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.color || SERIES_COLORS[i % SERIES_COLORS.length],
        width: 1.5,
        spanGaps: false,
        points: { show: timesMs.length < 60 },
        value: (u, v) => (v === null ? '–' : yFormat(v)),
      })),
    ],
  };
  const data = [timesMs.map((t) => t / 1000), ...series.map((s) => s.values)];
  requestAnimationFrame(() => {
    opts.width = Math.max(300, box.clientWidth || 600);
    box.chart = new uPlot(opts, data, box);
    fit(box.chart, box);
  });
  return box;
}

/**
 * Trace durations over time, one colour per outcome; a click on a point calls onPick(trace).
 * Traces are drawn as points only: 10,000 of them are one canvas pass.
 */
export function durationScatter({ traces, onPick, height = 180 }) {
  const box = h('div.chart.scatter');
  const sorted = [...traces].sort((a, b) => a.startMs - b.startMs);
  const xs = sorted.map((t) => t.startMs / 1000);
  const outcome = (t) => (t.fault ? 2 : t.error || t.throttle ? 1 : 0);
  // A log scale has no zero: a sub-microsecond trace sits at 1 µs.
  const durations = sorted.map((t) => Math.max(t.durationMs, 0.001));
  const log = Math.max(...durations) / Math.min(...durations) > 20;
  const ys = [0, 1, 2].map((k) => sorted.map((t, i) => (outcome(t) === k ? durations[i] : null)));
  const point = (stroke) => ({ show: true, size: 5, stroke, fill: stroke, width: 0 });
  const series = [['ok', '#4e79a7'], ['error / throttle', '#f28e2b'], ['fault', '#e15759']].map(([label, c]) => ({
    label, stroke: c, paths: () => null, points: point(c), value: (u, v) => (v === null ? '–' : formatDuration(v)),
  }));
  const opts = {
    width: 600,
    height,
    // Durations spread over decades read best on a log scale, labelled at powers of ten only
    // (1 ms, 10 ms, 100 ms, 1 s …); a narrow spread stays linear.
    axes: log ? axes((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9
      ? formatDuration(v).replace(/\.0+ /, ' ') : '')) : axes((v) => formatDuration(v)),
    scales: { y: { distr: log ? 3 : 1 } },
    cursor: { points: { show: false }, drag: { x: true, y: false } },
    legend: { live: false },
    series: [{}, ...series],
  };
  requestAnimationFrame(() => {
    opts.width = Math.max(300, box.clientWidth || 600);
    const chart = new uPlot(opts, [xs, ...ys], box);
    box.chart = chart;
    fit(chart, box);
    chart.over.addEventListener('click', (ev) => {
      const i = nearest(chart, xs, ys, ev.offsetX, ev.offsetY);
      if (i >= 0) onPick(sorted[i]);
    });
    chart.over.style.cursor = 'pointer';
  });
  return box;
}

/** The index of the point nearest to (px, py) in canvas CSS pixels, within 12 px, else -1. */
function nearest(chart, xs, ys, px, py) {
  let best = -1;
  let bestD = 144;
  const lo = chart.posToIdx(Math.max(0, px - 12));
  const hi = chart.posToIdx(px + 12);
  for (let i = Math.max(0, lo - 1); i <= Math.min(xs.length - 1, hi + 1); i++) {
    const x = chart.valToPos(xs[i], 'x');
    for (const y of ys) {
      if (y[i] === null) continue;
      const d = (x - px) ** 2 + (chart.valToPos(y[i], 'y') - py) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
  }
  return best;
}
