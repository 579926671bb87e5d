// The time range every view shares: a relative window (start=15m, "the last 15 minutes") or an
// absolute one (start and end as RFC 3339), kept in the URL as the native API takes it.
import { h } from './ui.js';

const PRESETS = ['5m', '15m', '1h', '3h', '6h', '24h', '7d'];
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationMs(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(String(text).trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

/** {start, end} from URL parameters, the default being the last hour. */
export function rangeFrom(params, fallback = '1h') {
  return { start: params.get('start') || fallback, end: params.get('end') || '' };
}

/** The range in epoch ms, resolved against now. */
export function resolve({ start, end }) {
  const now = Date.now();
  const at = (v, dflt) => {
    if (!v) return dflt;
    if (/^\d+$/.test(v)) return Number(v);
    const rel = durationMs(v);
    return rel !== null ? now - rel : Date.parse(v);
  };
  const endMs = at(end, now);
  return { startMs: at(start, endMs - 3_600_000), endMs };
}

const toLocalInput = (ms) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** A picker; onChange({start, end}) fires on each change. */
export function timeRangePicker(range, onChange) {
  const custom = !PRESETS.includes(range.start) || Boolean(range.end);
  const select = h('select', { 'aria-label': 'Time range', name: 'range' },
    PRESETS.map((p) => h('option', { value: p, selected: !custom && p === range.start }, `Last ${p}`)),
    h('option', { value: 'custom', selected: custom }, 'Custom…'));
  const { startMs, endMs } = resolve(range);
  const from = h('input', { type: 'datetime-local', 'aria-label': 'From', value: toLocalInput(startMs) });
  const to = h('input', { type: 'datetime-local', 'aria-label': 'To', value: toLocalInput(endMs) });
  const absolute = h('span.absolute', { hidden: !custom }, from, '–', to);
  const fire = () => {
    if (select.value !== 'custom') {
      onChange({ start: select.value, end: '' });
    } else if (from.value && to.value) {
      onChange({ start: new Date(from.value).toISOString(), end: new Date(to.value).toISOString() });
    }
  };
  select.addEventListener('change', () => {
    absolute.hidden = select.value !== 'custom';
    fire();
  });
  from.addEventListener('change', fire);
  to.addEventListener('change', fire);
  return h('span.timerange', select, absolute);
}
