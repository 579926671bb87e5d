// Metrics: namespaces → metric names → dimension sets, charted with a period and statistics (one
// series per dimension set and statistic); and RED charts per service, derived from spans.
import * as api from '../api.js';
import { setParams } from '../app.js';
import { lineChart } from '../charts.js';
import { rangeFrom, timeRangePicker } from '../timerange.js';
import { clear, emptyState, errorBox, formatDuration, formatNumber, h, link, sendDataHelp } from '../ui.js';

const STATS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'];
const PERIODS = ['10s', '1m', '5m', '15m', '1h'];

export async function render(root, params) {
  const state = {
    namespace: params.get('namespace') || '', name: params.get('name') || '', red: params.get('red') || '',
    stat: params.getAll('stat').length ? params.getAll('stat') : ['Average'], period: params.get('period') || '1m',
    dim: params.getAll('dim'), ...rangeFrom(params),
  };
  const [{ namespaces }, { services }] = await Promise.all([api.get('metrics/namespaces'), api.get('services')]);
  if (!namespaces.length && !services.length) {
    root.append(emptyState('No metrics yet', ...sendDataHelp()));
    return;
  }
  const nav = h('aside.metric-nav');
  const panel = h('section.metric-panel');
  const save = () => setParams({ namespace: state.namespace, name: state.name, red: state.red, stat: state.stat,
    period: state.period, dim: state.dim, start: state.start, end: state.end });
  const redraw = () => {
    save();
    drawNav();
    drawPanel();
  };
  const go = (patch) => {
    Object.assign(state, patch);
    redraw();
  };

  async function drawNav() {
    const names = state.namespace ? (await api.get('metrics/names', { namespace: state.namespace })).names : [];
    clear(nav,
      h('h4', 'RED from spans'),
      h('ul', services.map((s) => h(`li${state.red === s ? '.active' : ''}`,
        h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); go({ red: s, namespace: '', name: '', dim: [] }); } }, s)))),
      h('h4', 'Namespaces'),
      h('ul', namespaces.map((ns) => h(`li${state.namespace === ns ? '.active' : ''}`,
        h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); go({ namespace: ns, name: '', red: '', dim: [] }); } }, ns),
        state.namespace === ns ? h('ul.names', names.map((n) => h(`li${state.name === n ? '.active' : ''}`,
          h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); go({ name: n, dim: [] }); } }, n)))) : null))));
  }

  async function drawPanel() {
    const toolbar = h('div.toolbar', h('h2.page', state.red ? `RED · ${state.red}` : state.name || 'Metrics'),
      h('span.spacer'),
      h('select', { 'aria-label': 'Period', onchange: (ev) => go({ period: ev.target.value }) },
        PERIODS.map((p) => h('option', { value: p, selected: p === state.period }, `period ${p}`))),
      timeRangePicker(state, (r) => go(r)));
    clear(panel, toolbar, h('div.loading', 'Loading…'));
    try {
      if (state.red) panel.lastChild.replaceWith(await redCharts(state));
      else if (state.name) panel.lastChild.replaceWith(await metricChart(state, go));
      else panel.lastChild.replaceWith(emptyState('Pick a metric', h('p', 'Choose a namespace and a metric on the left — '
        + 'the seed\'s JVM metrics are in the namespace of the service (e.g. dice-server) — or a service\'s RED charts.')));
    } catch (e) {
      panel.lastChild.replaceWith(errorBox(e));
    }
  }

  root.append(h('div.metrics-layout', nav, panel));
  if (!state.red && !state.namespace && namespaces.length) state.namespace = namespaces[0];
  drawNav();
  drawPanel();
}

async function metricChart(state, go) {
  const r = await api.get('metrics', { namespace: state.namespace, name: state.name, stat: state.stat,
    period: state.period, start: state.start, end: state.end, match: 'subset',
    dimension: state.dim });
  const box = h('div');
  const statPick = h('div.chips', STATS.map((st) => h('label.chip',
    h('input', { type: 'checkbox', checked: state.stat.includes(st), onchange: (ev) => {
      const next = ev.target.checked ? [...state.stat, st] : state.stat.filter((x) => x !== st);
      if (next.length) go({ stat: next });
    } }), st)));
  // Every dimension value seen, as filters: a click keeps only the series that have it.
  const seen = new Map();
  for (const s of r.series) for (const [k, v] of Object.entries(s.dimensions)) (seen.get(k) || seen.set(k, new Set()).get(k)).add(v);
  const dimPick = h('div.chips', [...seen].flatMap(([k, vs]) => [...vs].map((v) => {
    const key = `${k}:${v}`;
    const on = state.dim.includes(key);
    return h(`button.chip${on ? '.on' : ''}`, { type: 'button', onclick: () => go({ dim: on ? state.dim.filter((d) => d !== key)
      : [...state.dim, key] }) }, `${k} = ${v}`);
  })));
  box.append(h('div.row', h('span.label', 'statistics'), statPick), seen.size ? h('div.row', h('span.label', 'dimensions'), dimPick) : null);
  if (!r.series.length) {
    box.append(emptyState('No data points', h('p', 'Nothing for this metric in the time range; widen it.')));
    return box;
  }
  // One time axis for all series: the union of their timestamps.
  const times = [...new Set(r.series.flatMap((s) => s.timestamps.map(Number)))].sort((a, b) => a - b);
  const toMs = (t) => (t > 1e14 ? t / 1e6 : t); // the API gives epoch nanos
  const series = [];
  for (const s of r.series) {
    const at = new Map(s.timestamps.map((t, i) => [Number(t), i]));
    const dims = Object.entries(s.dimensions).map(([k, v]) => `${k}=${v}`).join(', ');
    for (const [stat, values] of Object.entries(s.values)) {
      series.push({ label: `${dims || '(no dimensions)'} ${stat}`, values: times.map((t) => (at.has(t) ? values[at.get(t)] : null)) });
    }
  }
  const unit = r.series[0].unit || '';
  box.append(lineChart({ title: `${state.namespace} / ${state.name}${unit ? ` (${unit})` : ''}`, timesMs: times.map(toMs),
    series: series.slice(0, 24), height: 320, yFormat: (v) => formatNumber(v, 2) }));
  box.dataset.points = String(series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0));
  box.classList.add('metric-chart');
  return box;
}

async function redCharts(state) {
  const r = await api.get('red', { service: state.red, period: state.period, start: state.start, end: state.end });
  const svc = r.services[0];
  if (!svc) return emptyState(`No requests for ${state.red} in this time range`, h('p', 'Widen the time range.'));
  const times = r.timestampsMs;
  const perMin = svc.requestsPerSecond.map((v) => v * 60);
  return h('div.red-grid',
    lineChart({ title: 'Requests per minute', timesMs: times, series: [{ label: 'requests/min', values: perMin }] }),
    lineChart({ title: 'Errors and faults per period', timesMs: times, series: [
      { label: 'errors (4xx)', values: svc.errors, color: '#f28e2b' },
      { label: 'faults (5xx)', values: svc.faults, color: '#e15759' },
      { label: 'throttles', values: svc.throttles, color: '#b07aa1' }] }),
    lineChart({ title: 'Duration', timesMs: times, yFormat: (v) => formatDuration(v), series: [
      { label: 'p50', values: svc.p50Ms }, { label: 'p90', values: svc.p90Ms }, { label: 'p99', values: svc.p99Ms },
      { label: 'average', values: svc.averageMs }] }),
    h('p.hint', 'Derived from spans: the requests the service served (its SERVER, CONSUMER and root spans). ',
      link(`/traces?service=${encodeURIComponent(state.red)}&start=${state.start}`, `Traces of ${state.red} →`)));
}
