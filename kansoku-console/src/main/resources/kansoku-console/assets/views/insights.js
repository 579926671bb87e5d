// Logs Insights: a query editor over CloudWatch Logs' StartQuery/GetQueryResults on this endpoint,
// the results as a table, and for `stats … by bin(…)` a chart of each statistic over time.
import * as api from '../api.js';
import { setParams } from '../app.js';
import { lineChart } from '../charts.js';
import { rangeFrom, resolve, timeRangePicker } from '../timerange.js';
import { clear, emptyState, errorBox, h, linkTraceIds, sendDataHelp } from '../ui.js';

const EXAMPLE = `fields @timestamp, @message
| filter @message like /rolldice/
| stats count(*) as requests by bin(1m)`;

export async function render(root, params) {
  const { logGroups } = await api.get('log-groups');
  if (!logGroups.length) {
    root.append(emptyState('No log groups yet', ...sendDataHelp()));
    return;
  }
  const state = { groups: params.getAll('group'), query: params.get('query') || EXAMPLE, ...rangeFrom(params) };
  if (!state.groups.length) state.groups = [logGroups[0]];
  const groupPick = h('select', { multiple: true, size: Math.min(4, logGroups.length), 'aria-label': 'Log groups' },
    logGroups.map((g) => h('option', { value: g, selected: state.groups.includes(g) }, g)));
  const editor = h('textarea.query.mono', { rows: 5, spellcheck: 'false', 'aria-label': 'Query' }, state.query);
  const out = h('section.results');
  let running = null;
  const run = async () => {
    running?.abort();
    running = new AbortController();
    state.groups = [...groupPick.selectedOptions].map((o) => o.value);
    state.query = editor.value;
    setParams({ group: state.groups, query: state.query, start: state.start, end: state.end });
    clear(out, h('div.loading', 'Running…'));
    const { startMs, endMs } = resolve(state);
    try {
      const r = await api.insights({ groups: state.groups, startMs, endMs, query: state.query, signal: running.signal });
      clear(out, ...results(r));
    } catch (e) {
      clear(out, errorBox(e));
    }
  };
  editor.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) run();
  });
  root.append(h('h2.page', 'Logs Insights'),
    h('div.insights-form', groupPick, editor,
      h('div.row', timeRangePicker(state, (r) => Object.assign(state, r)),
        h('button.primary', { type: 'button', onclick: run }, 'Run query'), h('span.hint', 'Ctrl+Enter runs'))),
    out);
  if (params.get('query')) await run();
}

function results(r) {
  const rows = r.results.map((fields) => Object.fromEntries(fields.map((f) => [f.field, f.value])));
  const stats = r.statistics || {};
  const head = h('div.summary', `${r.status}: ${rows.length} rows · ${stats.recordsMatched ?? 0} records matched of `
    + `${stats.recordsScanned ?? 0} scanned`);
  if (!rows.length) return [head, emptyState('No results', h('p', 'Widen the time range or loosen the filter.'))];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((c) => c !== '@ptr');
  const table = h('div.table-wrap', h('table.grid.insights-results', h('tr', columns.map((c) => h('th', c))),
    rows.map((row) => h('tr', columns.map((c) => h('td', row[c] === undefined ? '' : linkTraceIds(String(row[c]))))))));
  return [head, binChart(columns, rows), table];
}

/** For `stats … by bin(…)`: one series per numeric column over the bin column. */
function binChart(columns, rows) {
  const bin = columns.find((c) => /^bin\(/i.test(c));
  if (!bin) return null;
  const keys = columns.filter((c) => c !== bin && rows.every((row) => row[c] === undefined || !Number.isNaN(Number(row[c]))));
  if (!keys.length) return null;
  const sorted = [...rows].sort((a, b) => Date.parse(a[bin].replace(' ', 'T') + 'Z') - Date.parse(b[bin].replace(' ', 'T') + 'Z'));
  const times = sorted.map((row) => Date.parse(row[bin].replace(' ', 'T') + 'Z'));
  return lineChart({ title: `by ${bin}`, timesMs: times,
    series: keys.map((k) => ({ label: k, values: sorted.map((row) => (row[k] === undefined ? null : Number(row[k]))) })) });
}
