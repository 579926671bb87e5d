// Trace search: quick filters, attribute conditions and a free X-Ray filter expression; the
// results as a duration scatter over time and a list that scrolls through 10,000 rows.
import * as api from '../api.js';
import { navigate, setParams } from '../app.js';
import { durationScatter } from '../charts.js';
import { rangeFrom, resolve, timeRangePicker } from '../timerange.js';
import {
  clear, emptyState, errorBox, formatDuration, formatTime, h, link, nanosToMs, sendDataHelp, serviceColor,
  statusBadge, virtualList,
} from '../ui.js';

const STATUSES = ['', 'ok', 'error', 'fault', 'throttle'];
const LIMITS = ['100', '1000', '10000'];

/** The search as the URL holds it. */
function stateFrom(p) {
  return {
    service: p.get('service') || '', operation: p.get('operation') || '',
    minDuration: p.get('minDuration') || '', maxDuration: p.get('maxDuration') || '',
    status: p.get('status') || '', attr: p.getAll('attr'), filter: p.get('filter') || '',
    order: p.get('order') || 'newest_first', limit: p.get('limit') || '1000', ...rangeFrom(p),
  };
}

export async function render(root, params) {
  const state = stateFrom(params);
  const { services } = await api.get('services');
  if (!services.length) {
    root.append(emptyState('No traces yet', ...sendDataHelp()));
    return;
  }
  const results = h('section.results');
  const form = searchForm(state, services, () => {
    setParams(state);
    search(state, results);
  });
  root.append(h('h2.page', 'Traces'), form, results);
  await search(state, results);
}

function searchForm(state, services, submit) {
  const operation = h('select', { name: 'operation', 'aria-label': 'Operation' }, h('option', { value: '' }, 'any operation'));
  const loadOperations = async () => {
    clear(operation, h('option', { value: '' }, 'any operation'));
    if (!state.service) return;
    const { operations } = await api.get(`services/${encodeURIComponent(state.service)}/operations`);
    operation.append(...operations.map((o) => h('option', { value: o, selected: o === state.operation }, o)));
  };
  loadOperations();
  const service = h('select', { name: 'service', 'aria-label': 'Service' }, h('option', { value: '' }, 'any service'),
    services.map((s) => h('option', { value: s, selected: s === state.service }, s)));
  service.addEventListener('change', () => {
    state.service = service.value;
    state.operation = '';
    loadOperations();
  });
  const input = (name, placeholder, size = 7) => h('input', { name, placeholder, value: state[name], size,
    'aria-label': placeholder });
  const minD = input('minDuration', 'min (100ms)');
  const maxD = input('maxDuration', 'max (2s)');
  const status = h('select', { name: 'status', 'aria-label': 'Status' },
    STATUSES.map((s) => h('option', { value: s, selected: s === state.status }, s || 'any status')));
  const limit = h('select', { name: 'limit', 'aria-label': 'Limit' },
    LIMITS.map((l) => h('option', { value: l, selected: l === state.limit }, `${Number(l).toLocaleString()} traces`)));
  const order = h('select', { name: 'order', 'aria-label': 'Order' },
    [['newest_first', 'newest first'], ['slowest_first', 'slowest first'], ['oldest_first', 'oldest first']]
      .map(([v, t]) => h('option', { value: v, selected: v === state.order }, t)));
  const attrs = h('input.wide', { name: 'attr', value: state.attr.join(', '), 'aria-label': 'Attributes',
    placeholder: 'attributes / annotations: key=value, key2=value2' });
  const filter = h('input.wide.mono', { name: 'filter', value: state.filter, 'aria-label': 'X-Ray filter expression',
    placeholder: 'X-Ray filter expression, e.g. service("dice-server") AND responsetime > 0.5 AND http.status = 200' });
  const picker = timeRangePicker(state, (r) => {
    Object.assign(state, r);
    form.requestSubmit();
  });
  const form = h('form.search', {
    onsubmit: (ev) => {
      ev.preventDefault();
      Object.assign(state, {
        service: service.value, operation: operation.value, minDuration: minD.value.trim(),
        maxDuration: maxD.value.trim(), status: status.value, limit: limit.value, order: order.value,
        attr: attrs.value.split(',').map((a) => a.trim()).filter(Boolean), filter: filter.value.trim(),
      });
      submit();
    },
  },
  h('div.row', service, operation, h('span.pair', 'duration', minD, '–', maxD), status, picker, order, limit,
    h('button.primary', { type: 'submit' }, 'Search')),
  h('div.row', attrs), h('div.row', filter));
  return form;
}

/** Whether the search needs X-Ray's filter expressions (the native API has no attribute conditions). */
function expression(state) {
  const terms = [];
  if (state.service) terms.push(`service("${state.service}")`);
  const secs = (d) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d);
    if (!m) throw new Error(`duration "${d}" (expected: e.g. 250ms, 2s)`);
    return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2]];
  };
  if (state.minDuration) terms.push(`duration >= ${secs(state.minDuration)}`);
  if (state.maxDuration) terms.push(`duration <= ${secs(state.maxDuration)}`);
  if (state.status) terms.push(state.status);
  for (const a of state.attr) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new Error(`attribute "${a}" (expected: key=value)`);
    const key = a.slice(0, eq).trim();
    const value = a.slice(eq + 1).trim();
    terms.push(/^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false'
      ? `annotation.${key} = ${value}` : `annotation.${key} = "${value.replace(/"/g, '\\"')}"`);
  }
  if (state.filter) terms.push(`(${state.filter})`);
  return terms.join(' AND ');
}

/** X-Ray's summary in the native API's shape, as far as it goes. */
function fromXray(s) {
  const hex = s.Id.slice(2).replace('-', '');
  return {
    traceId: hex, xrayTraceId: s.Id, rootService: s.EntryPoint?.Name || '', rootName: s.Http?.HttpURL || '',
    startMs: s.StartTime * 1000, durationMs: s.Duration * 1000, spanCount: null,
    services: (s.ServiceIds || []).map((x) => x.Name), error: s.HasError, fault: s.HasFault, throttle: s.HasThrottle,
    httpStatus: s.Http?.HttpStatus || 0, httpMethod: s.Http?.HttpMethod,
  };
}

async function search(state, results) {
  clear(results, h('div.loading', 'Searching…'));
  const t0 = performance.now();
  let traces;
  let via;
  try {
    if (state.filter || state.attr.length) {
      if (state.operation) throw new Error('operation cannot be combined with a filter expression or attributes; '
        + 'use http.url CONTAINS "…" in the expression instead');
      const { startMs, endMs } = resolve(state);
      const found = await api.xrayTraceSummaries({ startMs, endMs, filter: expression(state), limit: Number(state.limit) });
      traces = found.map(fromXray);
      if (state.order === 'slowest_first') traces.sort((a, b) => b.durationMs - a.durationMs);
      if (state.order === 'oldest_first') traces.sort((a, b) => a.startMs - b.startMs);
      via = 'X-Ray filter expression';
    } else {
      const r = await api.get('traces', {
        service: state.service, operation: state.operation, minDuration: state.minDuration,
        maxDuration: state.maxDuration, status: state.status, start: state.start, end: state.end,
        order: state.order, limit: state.limit,
      });
      traces = r.traces.map((t) => ({ ...t, startMs: nanosToMs(t.startTimeUnixNano) }));
      via = 'quick filters';
    }
  } catch (e) {
    clear(results, errorBox(e));
    return;
  }
  const fetched = performance.now() - t0;
  if (!traces.length) {
    clear(results, emptyState('No trace matches', h('p', 'Widen the time range, or remove a filter.')));
    return;
  }
  const list = resultList(traces);
  const summary = h('div.summary', h('strong.count', `${traces.length.toLocaleString()} traces`),
    ` (${via}, ${Math.round(fetched)} ms)`, traces.length >= Number(state.limit) ? ' — limit reached' : '');
  clear(results, summary,
    durationScatter({ traces, onPick: (t) => navigate(`/traces/${t.xrayTraceId}`) }),
    list.header, list.el);
  list.set(traces);
  list.el.style.height = `${Math.min(traces.length * 30 + 2, Math.max(300, innerHeight * 0.6), 640)}px`;
  results.dataset.rendered = String(traces.length);
  performance.mark('kansoku:traces-rendered');
}

const COLUMNS = [
  ['Start', 'startMs'], ['Root', 'rootName'], ['Duration', 'durationMs'], ['Spans', 'spanCount'],
  ['HTTP', 'httpStatus'], ['Services', null], ['Status', null],
];

function resultList(traces) {
  const max = traces.reduce((m, t) => Math.max(m, t.durationMs), 0) || 1;
  const vl = virtualList({
    items: traces, rowHeight: 30, className: 'traces',
    row: (t) => link(`/traces/${t.xrayTraceId}`, h('div.trow', { dataset: { traceId: t.xrayTraceId } },
      h('span.time', formatTime(t.startMs)),
      h('span.root', h('i.dot', { style: { background: serviceColor(t.rootService) } }),
        h('b', t.rootService), ' ', t.httpMethod && !t.rootName.startsWith(t.httpMethod) ? `${t.httpMethod} ` : '',
        t.rootName),
      h('span.dur', h('i.bar', { style: { width: `${Math.max(1, (t.durationMs / max) * 100)}%` } }),
        h('span', formatDuration(t.durationMs))),
      h('span.num', t.spanCount ?? '–'),
      h('span.num', t.httpStatus || ''),
      h('span.svcs', t.services.map((s) => h('i.dot', { title: s, style: { background: serviceColor(s) } }))),
      statusBadge(t))),
  });
  let sortKey = null;
  let desc = true;
  const header = h('div.trow.thead', COLUMNS.map(([label, key]) => h('span', {
    class: key ? 'sortable' : '',
    onclick: key && (() => {
      desc = sortKey === key ? !desc : true;
      sortKey = key;
      const dir = desc ? -1 : 1;
      vl.set([...traces].sort((a, b) => (a[key] > b[key] ? dir : a[key] < b[key] ? -dir : 0)));
      vl.scrollTo(0);
    }),
  }, label)));
  return { el: vl.el, header, set: vl.set };
}
