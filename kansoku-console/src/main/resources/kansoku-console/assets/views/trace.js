// One trace: its ids, the waterfall, the selected span's details, and the trace's log lines (all,
// or the selected span's) in time order, each linking to the log explorer.
import * as api from '../api.js';
import { setParams } from '../app.js';
import {
  clear, copyButton, emptyState, errorBox, formatDuration, formatTime, h, isBad, link, linkTraceIds, nanosToMs,
  serviceColor, statusBadge,
} from '../ui.js';
import { buildTree, waterfall } from './waterfall.js';

export async function render(root, params, id) {
  let trace;
  let logs;
  try {
    [trace, logs] = await Promise.all([api.get(`traces/${encodeURIComponent(id)}`),
      api.get(`traces/${encodeURIComponent(id)}/logs`, { limit: 5000 })]);
  } catch (e) {
    root.append(emptyState(`Trace ${id}`, errorBox(e),
      h('p', 'Traces are kept for the store\'s retention period; ', link('/traces', 'search for traces'), '.')));
    return;
  }
  const spans = trace.spans.map((s) => ({ ...s, start: BigInt(s.startTimeUnixNano), end: BigInt(s.endTimeUnixNano) }));
  const tree = buildTree(spans);
  const rootSpan = tree.roots[0];
  const lines = logs.logs.map((l) => ({ ...l, ms: nanosToMs(l.timeUnixNano) }))
    .sort((a, b) => a.ms - b.ms);
  const traceStartMs = nanosToMs(rootSpan.startTimeUnixNano);

  const details = h('aside.span-details', h('p.hint', 'Select a span to see its attributes, events and logs.'));
  const logBox = h('section.trace-logs');
  let selectedSpan = params.get('span') || null;
  let tab = 'trace';
  const wf = waterfall(tree, {
    onSelect: (s) => {
      selectedSpan = s.spanId;
      setParams({ span: s.spanId });
      clear(details, spanDetails(s, traceStartMs));
      tab = 'span';
      drawLogs();
    },
  });

  function drawLogs() {
    const shown = tab === 'span' ? lines.filter((l) => l.spanId === selectedSpan) : lines;
    const tabButton = (key, label) => h(`button.tab${tab === key ? '.active' : ''}`, {
      type: 'button', onclick: () => { tab = key; drawLogs(); },
    }, label);
    clear(logBox, h('div.tabs', tabButton('trace', `Logs of the trace (${lines.length})`),
      tabButton('span', `Logs of the selected span (${selectedSpan ? lines.filter((l) => l.spanId === selectedSpan).length : 0})`)),
    shown.length ? h('div.loglines', shown.map((l) => logLine(l, traceStartMs, (spanId) => wf.select(spanId))))
      : h('p.hint', tab === 'span' ? 'No log line carries this span\'s id.'
        : 'No log line carries this trace\'s id. Lines are linked by an OTLP trace id, or by an X-Ray id '
          + '(1-…-…@spanid) or trace_id=<32 hex> in their text.'));
  }

  const highlight = h('select', { 'aria-label': 'Highlight', onchange: (ev) => wf.setHighlight(ev.target.value) },
    h('option', { value: 'critical' }, 'highlight: critical path'), h('option', { value: 'self' }, 'highlight: self time'),
    h('option', { value: 'none' }, 'highlight: none'));
  const services = [...new Set(spans.map((s) => s.service))];
  const summary = {
    fault: spans.some((s) => s.fault), error: spans.some((s) => s.error), throttle: spans.some((s) => s.throttle),
  };
  root.append(
    h('div.trace-head',
      h('h2.page', h('i.dot', { style: { background: serviceColor(rootSpan.service) } }), rootSpan.service, ' · ',
        rootSpan.name, ' ', statusBadge(summary)),
      h('div.facts',
        h('span', h('b', formatDuration(tree.endMs)), ' total'), h('span', h('b', spans.length.toLocaleString()), ' spans'),
        h('span', h('b', services.length), ' services'), h('span', 'started ', h('b', formatTime(traceStartMs))),
        h('span.id', 'X-Ray ', h('code.xray-id', trace.xrayTraceId), copyButton(trace.xrayTraceId)),
        h('span.id', 'W3C ', h('code.w3c-id', trace.traceId), copyButton(trace.traceId))),
      h('div.legend', services.map((s) => h('span', h('i.dot', { style: { background: serviceColor(s) } }),
        link(`/traces?service=${encodeURIComponent(s)}`, s))),
      h('span.spacer'), highlight,
      h('button', { type: 'button', onclick: () => wf.collapseAll(1) }, 'collapse'),
      h('button', { type: 'button', onclick: () => wf.collapseAll() }, 'expand all'))),
    h('div.trace-body', wf.el, details),
    logBox);
  drawLogs();
  if (selectedSpan) wf.select(selectedSpan);
  root.dataset.spans = String(spans.length);
  performance.mark('kansoku:trace-rendered');
}

function logLine(l, traceStartMs, selectSpan) {
  const around = (ms) => new Date(ms).toISOString();
  const explorer = `/logs?${new URLSearchParams({
    ...(l.logGroup ? { group: l.logGroup } : {}), ...(l.logStream ? { stream: l.logStream } : {}),
    start: around(l.ms - 60_000), end: around(l.ms + 60_000), focus: l.id,
  })}`;
  return h(`div.logline${isBad(l) ? '.bad' : ''}`, { dataset: { logId: l.id } },
    h('span.time', formatTime(l.ms)), h('span.offset', `+${formatDuration(l.ms - traceStartMs)}`),
    h('span.sev', l.severity || ''),
    l.spanId ? h('button.span-ref', { type: 'button', title: 'Show the span', onclick: () => selectSpan(l.spanId) },
      l.spanId.slice(0, 8)) : h('span.span-ref'),
    h('span.body', linkTraceIds(l.body || '')),
    link(explorer, h('span.goto', { title: 'Open in the log explorer' }, l.logGroup || l.service || 'logs', ' ↗')));
}

function table(obj) {
  const entries = Object.entries(obj || {});
  if (!entries.length) return h('p.hint', 'none');
  return h('table.kv', entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => h('tr', h('th', k),
    h('td', typeof v === 'object' ? JSON.stringify(v) : String(v)))));
}

function spanDetails(s, traceStartMs) {
  const exceptions = s.events.filter((e) => e.name === 'exception');
  const others = s.events.filter((e) => e.name !== 'exception');
  return h('div',
    h('h3', h('i.dot', { style: { background: serviceColor(s.service) } }), s.name),
    h('table.kv',
      h('tr', h('th', 'service'), h('td', s.service)), h('tr', h('th', 'kind'), h('td', s.kind)),
      h('tr', h('th', 'status'), h('td', statusBadge(s), ' ', s.status, s.statusMessage ? ` — ${s.statusMessage}` : '')),
      h('tr', h('th', 'duration'), h('td', formatDuration(s.durationMs), ' (self ', formatDuration(s.selfMs), ')')),
      h('tr', h('th', 'start'), h('td', `+${formatDuration(s.startMs)}`)),
      h('tr', h('th', 'span id'), h('td', h('code', s.spanId))),
      h('tr', h('th', 'parent'), h('td', s.parentSpanId ? h('code', s.parentSpanId) : 'root')),
      s.http && h('tr', h('th', 'http'), h('td', [s.http.method, s.http.route || s.http.url, s.http.status].filter(Boolean)
        .join(' '))),
      h('tr', h('th', 'scope'), h('td', [s.scope?.name, s.scope?.version].filter(Boolean).join(' ')))),
    exceptions.length ? h('h4', 'Exceptions') : null,
    exceptions.map((e) => h('div.exception', h('b', e.attributes['exception.type'] || 'exception'), ': ',
      e.attributes['exception.message'] || '',
      e.attributes['exception.stacktrace'] ? h('pre.stack', e.attributes['exception.stacktrace']) : null)),
    h('h4', 'Attributes'), table(s.attributes),
    others.length ? h('h4', 'Events') : null,
    others.map((e) => h('div.event', h('span.offset', `+${formatDuration(nanosToMs(e.timeUnixNano) - traceStartMs)}`), ' ',
      h('b', e.name), table(e.attributes))),
    s.links.length ? h('h4', 'Links') : null,
    s.links.map((l) => h('div', link(`/traces/${l.traceId}?span=${l.spanId}`, `${l.traceId} / ${l.spanId}`))),
    h('h4', 'Resource'), table(s.resource));
}
