// Small DOM and formatting helpers shared by the views.

/** h('div.class#id', {attr|on*|dataset}, ...children): an element; strings become text nodes. */
export function h(tag, props, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(name || 'div');
  for (const r of rest) {
    if (r[0] === '.') el.classList.add(r.slice(1));
    else el.id = r.slice(1);
  }
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** An in-app link: navigation without a page load (app.js intercepts a[data-nav]). */
export function link(href, ...children) {
  return h('a', { href, dataset: { nav: '' } }, ...children);
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms === 0) return '0';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Local time with milliseconds; the date only when it is not today. */
export function formatTime(ms) {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export function formatNumber(n, digits = 1) {
  if (n === null || n === undefined) return '–';
  const fixed = (v) => v.toFixed(digits).replace(/\.?0+$/, '');
  if (Math.abs(n) >= 1e9) return `${fixed(n / 1e9)}G`;
  if (Math.abs(n) >= 1e6) return `${fixed(n / 1e6)}M`;
  if (Math.abs(n) >= 1e4) return `${fixed(n / 1e3)}k`;
  return Number.isInteger(n) ? String(n) : fixed(n);
}

export const nanosToMs = (s) => Number(BigInt(s) / 1000n) / 1000;

/** A stable colour per service name, from a palette that reads on dark and light backgrounds. */
// No red or orange: those mean fault and error everywhere in the console.
const PALETTE = ['#4e79a7', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#a0cbe8', '#8cd17d',
  '#d4a6c8', '#499894', '#bab0ac', '#86bcb6'];
export function serviceColor(name) {
  let hash = 0;
  for (const c of name || '') hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

export function statusBadge({ fault, error, throttle }) {
  if (fault) return h('span.badge.fault', 'fault');
  if (throttle) return h('span.badge.throttle', 'throttle');
  if (error) return h('span.badge.error', 'error');
  return h('span.badge.ok', 'ok');
}

/** A box that tells a new user what to do, shown where there is nothing to list. */
export function emptyState(title, ...body) {
  return h('div.empty', h('h3', title), ...body);
}

/** How to send data: the default OTLP endpoints and the seed's agent command line. */
export function sendDataHelp() {
  return [
    h('p', 'Kansoku listens for OpenTelemetry (OTLP) on ', h('code', 'localhost:4317'), ' (gRPC) and ',
      h('code', 'localhost:4318'), ' (HTTP), and for X-Ray segments and CloudWatch Logs/metrics calls on this endpoint.'),
    h('p', 'Instrument a Java service with the ADOT agent:'),
    h('pre.cmd', 'java -javaagent:aws-opentelemetry-agent.jar \\\n'
      + '  -Dotel.service.name=dice-server \\\n'
      + '  -Dotel.exporter.otlp.endpoint=http://localhost:4317 \\\n'
      + '  -Dotel.exporter.otlp.protocol=grpc \\\n'
      + '  -jar app.jar'),
    h('p', 'Or point an ADOT collector\'s ', h('code', 'awsxray'), ' / ', h('code', 'awsemf'), ' exporters here with ',
      h('code', `AWS_ENDPOINT_URL=${location.origin}`), '.'),
  ];
}

export function errorBox(e) {
  return h('div.error-box', h('strong', 'The query failed: '), String(e.message || e));
}

/**
 * A scrolling list that renders only the rows in view, so 10,000 rows cost what 40 do.
 * `row(item, index)` builds one row element; rows have a fixed height.
 */
export function virtualList({ items, rowHeight, row, className = '', overscan = 8 }) {
  const viewport = h(`div.vlist${className ? '.' + className : ''}`);
  const spacer = h('div.vlist-spacer');
  const layer = h('div.vlist-rows');
  viewport.append(spacer, layer);
  let list = items;
  let first = -1;
  let last = -1;
  function draw(force) {
    const top = viewport.scrollTop;
    const height = viewport.clientHeight || 600;
    const from = Math.max(0, Math.floor(top / rowHeight) - overscan);
    const to = Math.min(list.length, Math.ceil((top + height) / rowHeight) + overscan);
    if (!force && from === first && to === last) return;
    first = from;
    last = to;
    const rows = [];
    for (let i = from; i < to; i++) rows.push(row(list[i], i));
    layer.style.transform = `translateY(${from * rowHeight}px)`;
    layer.replaceChildren(...rows);
  }
  viewport.addEventListener('scroll', () => draw(false), { passive: true });
  new ResizeObserver(() => draw(true)).observe(viewport);
  return {
    el: viewport,
    /** Replaces the rows (after a sort, a filter or a collapse), keeping the scroll position. */
    set(next) {
      list = next;
      spacer.style.height = `${list.length * rowHeight}px`;
      draw(true);
    },
    redraw: () => draw(true),
    scrollTo(index) {
      viewport.scrollTop = Math.max(0, index * rowHeight - viewport.clientHeight / 3);
      draw(true);
    },
  };
}

/** Copies text, with a short confirmation on the button. */
export function copyButton(text, label = 'copy') {
  const b = h('button.copy', { type: 'button', title: `Copy ${text}` }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = 'copied';
    } catch {
      b.textContent = 'select & copy';
    }
    setTimeout(() => { b.textContent = label; }, 1200);
  });
  return b;
}

/** An error line: by its severity, or, for plain stdout lines (awslogs), by the level word in its text. */
export function isBad(log) {
  return /err|fatal|crit|alert|emerg/i.test(log.severity || '') || /\b(ERROR|FATAL|SEVERE)\b/.test(log.body || '');
}

/** Log text with X-Ray and W3C trace ids turned into links to their trace. */
const TRACE_ID = /\b(1-[0-9a-f]{8}-[0-9a-f]{24})(?:@[0-9a-f]{16})?|\btrace_id=([0-9a-f]{32})\b/gi;
export function linkTraceIds(text) {
  const out = [];
  let at = 0;
  for (const m of text.matchAll(TRACE_ID)) {
    const id = m[1] || m[2];
    const start = m.index + m[0].indexOf(id);
    out.push(text.slice(at, start), link(`/traces/${id}`, id));
    at = start + id.length;
  }
  out.push(text.slice(at));
  return out;
}
