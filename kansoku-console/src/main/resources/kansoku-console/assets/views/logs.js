// The log explorer: log groups and their streams, a text search (terms, "phrases", -exclusions),
// pages of older lines, and live tail. A line that carries a trace id links to its trace.
import * as api from '../api.js';
import { setParams } from '../app.js';
import { rangeFrom, resolve, timeRangePicker } from '../timerange.js';
import { clear, emptyState, errorBox, formatTime, h, isBad, link, linkTraceIds, nanosToMs, sendDataHelp } from '../ui.js';

const TAIL_EVERY_MS = 2000;

export async function render(root, params) {
  const state = { group: params.get('group') || '', stream: params.get('stream') || '', q: params.get('q') || '',
    focus: params.get('focus') || '', ...rangeFrom(params, '15m') };
  const { logGroups } = await api.get('log-groups');
  const { services } = await api.get('services');
  if (!logGroups.length && !services.length) {
    root.append(emptyState('No logs yet', ...sendDataHelp(),
      h('p', 'Log lines arrive by OTLP logs, or by CloudWatch Logs PutLogEvents (Docker\'s awslogs driver, Fluent Bit) '
        + 'with this endpoint as the CloudWatch Logs endpoint.')));
    return;
  }
  const nav = h('aside.log-nav');
  const list = h('div.loglines.explorer');
  const status = h('div.summary');
  const more = h('button', { type: 'button', hidden: true }, 'Older lines');
  const tail = h('button', { type: 'button', 'aria-pressed': 'false' }, '▶ Live tail');
  const query = h('input.wide.mono', { name: 'q', value: state.q, 'aria-label': 'Search',
    placeholder: 'terms, "a phrase", -exclude (CloudWatch filter pattern syntax for terms)' });
  let token = null;
  let timer = null;
  let newest = 0;
  const shown = new Set();

  const save = () => setParams({ group: state.group, stream: state.stream, q: state.q, start: state.start,
    end: state.end, focus: state.focus });
  const common = () => ({ group: state.group || undefined, stream: state.stream || undefined, q: state.q || undefined });

  async function load(append) {
    try {
      const r = await api.get('logs', { ...common(), start: state.start, end: state.end, order: 'newest_first',
        limit: 200, pageToken: append ? token : undefined });
      if (!append) {
        clear(list);
        shown.clear();
      }
      token = r.nextPageToken;
      more.hidden = !token;
      for (const l of r.logs) add(l, false);
      status.textContent = `${shown.size.toLocaleString()} lines${token ? ' (more below)' : ''}`;
      if (!shown.size) list.append(emptyState('No log lines match', h('p', 'Widen the time range or change the search.')));
      const focused = state.focus && list.querySelector(`[data-log-id="${CSS.escape(state.focus)}"]`);
      if (focused) {
        focused.classList.add('focus');
        focused.scrollIntoView({ block: 'center' });
      }
    } catch (e) {
      clear(list, errorBox(e));
    }
  }

  function add(l, atTop) {
    if (shown.has(l.id)) return;
    shown.add(l.id);
    const ms = nanosToMs(l.timeUnixNano);
    newest = Math.max(newest, ms);
    const traceId = l.xrayTraceId;
    const line = h(`div.logline${isBad(l) ? '.bad' : ''}`, { dataset: { logId: l.id } },
      h('span.time', formatTime(ms)), h('span.stream', { title: `${l.logGroup || ''} ${l.logStream || ''}` },
        l.logStream || l.service || ''),
      h('span.sev', l.severity || ''),
      h('span.body', linkTraceIds(l.body || '')),
      traceId ? link(`/traces/${traceId}${l.spanId ? `?span=${l.spanId}` : ''}`, h('span.goto.trace-link', 'trace ↗')) : null);
    if (atTop) list.prepend(line);
    else list.append(line);
  }

  async function poll() {
    try {
      // Since the newest line shown (inclusive: lines of the same millisecond are de-duplicated by id).
      const r = await api.get('logs', { ...common(), start: String(Math.floor(newest || Date.now() - 60_000)),
        order: 'oldest_first', limit: 500 });
      for (const l of r.logs) add(l, true);
      status.textContent = `${shown.size.toLocaleString()} lines · live`;
    } catch (e) {
      status.textContent = `live tail: ${e.message}`;
    }
  }

  function stopTail() {
    clearInterval(timer);
    timer = null;
    tail.textContent = '▶ Live tail';
    tail.setAttribute('aria-pressed', 'false');
  }
  tail.addEventListener('click', () => {
    if (timer) return stopTail();
    tail.textContent = '■ Stop tail';
    tail.setAttribute('aria-pressed', 'true');
    poll();
    timer = setInterval(poll, TAIL_EVERY_MS);
  });
  more.addEventListener('click', () => load(true));

  async function drawNav() {
    const streams = state.group ? (await api.get('log-streams', { group: state.group })).logStreams : [];
    const pick = (patch) => (ev) => {
      ev.preventDefault();
      Object.assign(state, patch, { focus: '' });
      save();
      drawNav();
      load(false);
    };
    clear(nav, h('h4', 'Log groups'), h('ul',
      h(`li${!state.group ? '.active' : ''}`, h('a', { href: '#', onclick: pick({ group: '', stream: '' }) }, 'all')),
      logGroups.map((g) => h(`li${state.group === g ? '.active' : ''}`,
        h('a', { href: '#', onclick: pick({ group: g, stream: '' }) }, g),
        state.group === g && streams.length ? h('ul.names', streams.map((st) => h(`li${state.stream === st ? '.active' : ''}`,
          h('a', { href: '#', onclick: pick({ stream: st }) }, st)))) : null))));
  }

  const form = h('form.search', { onsubmit: (ev) => {
    ev.preventDefault();
    state.q = query.value.trim();
    state.focus = '';
    save();
    load(false);
  } }, h('div.row', query, timeRangePicker(state, (r) => {
    Object.assign(state, r);
    save();
    load(false);
  }), h('button.primary', { type: 'submit' }, 'Search'), tail));
  root.append(h('div.logs-layout', nav, h('section', h('h2.page', 'Logs'), form, status, list, more)));
  drawNav();
  await load(false);
  const { endMs } = resolve(state);
  newest = Math.max(newest, endMs - 60_000);
  return stopTail;
}
