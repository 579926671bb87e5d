// The span tree of one trace, as a timeline: collapsible rows, service colours, and either the
// critical path or each span's self time highlighted. Rows are virtual, so 5,000 spans scroll freely.
import { formatDuration, h, serviceColor, virtualList } from '../ui.js';

/** Spans with times in ms from the trace start, children, depth, self time and the critical path. */
export function buildTree(spans) {
  const t0 = spans.reduce((m, s) => (s.start < m ? s.start : m), spans[0].start);
  const byId = new Map();
  for (const s of spans) {
    byId.set(s.spanId, Object.assign(s, { children: [], startMs: Number(s.start - t0) / 1e6, endMs: Number(s.end - t0) / 1e6 }));
  }
  const roots = [];
  for (const s of spans) {
    const parent = s.parentSpanId && byId.get(s.parentSpanId);
    if (parent && parent !== s) parent.children.push(s);
    else roots.push(s);
  }
  const byStart = (a, b) => a.startMs - b.startMs;
  roots.sort(byStart);
  const stack = roots.map((r) => [r, 0]);
  while (stack.length) { // iterative: a 5,000-deep chain must not overflow the call stack
    const [s, depth] = stack.pop();
    s.depth = depth;
    s.children.sort(byStart);
    s.selfMs = selfTime(s);
    for (let i = s.children.length - 1; i >= 0; i--) stack.push([s.children[i], depth + 1]);
  }
  for (const r of roots) markCriticalPath(r);
  const endMs = spans.reduce((m, s) => Math.max(m, s.endMs), 0);
  return { roots, byId, endMs };
}

/** The span's duration not covered by any child. */
function selfTime(s) {
  let covered = 0;
  let until = s.startMs;
  for (const c of s.children) { // sorted by start
    const from = Math.max(c.startMs, until);
    const to = Math.min(c.endMs, s.endMs);
    if (to > from) {
      covered += to - from;
      until = to;
    }
  }
  return Math.max(0, s.endMs - s.startMs - covered);
}

/**
 * The critical path: walking back from the span's end, the child that finished last before the
 * cursor is what the span waited for; recurse into it, move the cursor to its start, repeat.
 */
function markCriticalPath(root) {
  const work = [[root, root.endMs]];
  while (work.length) {
    const [s, limit] = work.pop();
    s.critical = true;
    let cursor = Math.min(s.endMs, limit);
    const byEnd = [...s.children].sort((a, b) => b.endMs - a.endMs);
    for (const c of byEnd) {
      if (c.startMs >= cursor) continue;
      work.push([c, cursor]);
      cursor = c.startMs;
    }
  }
}

/** Rows in tree order, skipping the descendants of collapsed spans. */
export function visibleRows(roots, collapsed) {
  const out = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const s = stack.pop();
    out.push(s);
    if (!collapsed.has(s.spanId)) {
      for (let i = s.children.length - 1; i >= 0; i--) stack.push(s.children[i]);
    }
  }
  return out;
}

/**
 * The waterfall element. `onSelect(span)` fires on a click; the returned object can select a
 * span from outside (a log line's span) and switch the highlight ('critical' | 'self' | 'none').
 */
export function waterfall(tree, { onSelect }) {
  const collapsed = new Set();
  let selected = null;
  let highlight = 'critical';
  const total = tree.endMs || 1;
  const rows = virtualList({ items: [], rowHeight: 24, className: 'waterfall', overscan: 12, row: (s) => spanRow(s) });
  const refresh = () => rows.set(visibleRows(tree.roots, collapsed));

  function spanRow(s) {
    const left = (s.startMs / total) * 100;
    const width = Math.max(0.15, ((s.endMs - s.startMs) / total) * 100);
    const color = serviceColor(s.service);
    const bad = s.fault ? 'fault' : s.error ? 'error' : '';
    const bar = h('div.span-bar', { style: { left: `${left}%`, width: `${width}%`, background: color } });
    if (highlight === 'critical' && !s.critical) bar.classList.add('dim');
    if (highlight === 'self') bar.style.opacity = String(0.25 + 0.75 * (s.selfMs / Math.max(s.endMs - s.startMs, 1e-9)));
    // The label sits right of the bar, or inside its end when the bar reaches the right edge.
    const inside = left + width > 80;
    const labelStyle = inside ? { right: `${100 - left - width}%`, paddingRight: '4px' } : { left: `${left + width}%` };
    const label = highlight === 'self' ? `${formatDuration(s.endMs - s.startMs)} (self ${formatDuration(s.selfMs)})`
      : formatDuration(s.endMs - s.startMs);
    const toggle = s.children.length
      ? h('button.toggle', {
        type: 'button', title: collapsed.has(s.spanId) ? 'Expand' : 'Collapse',
        onclick: (ev) => {
          ev.stopPropagation();
          if (collapsed.has(s.spanId)) collapsed.delete(s.spanId);
          else collapsed.add(s.spanId);
          refresh();
        },
      }, collapsed.has(s.spanId) ? `▸ ${s.children.length}` : '▾')
      : h('span.toggle');
    return h(`div.wrow${s === selected ? '.selected' : ''}${bad ? '.' + bad : ''}`, {
      dataset: { spanId: s.spanId }, onclick: () => select(s),
    },
    h('div.wname', { style: { paddingLeft: `${Math.min(s.depth, 40) * 12}px` } }, toggle,
      h('i.dot', { style: { background: color } }), h('span.svc', s.service), ' ', h('span.op', s.name)),
    h('div.wtime', bar, h(`span.wlabel${inside ? '.inside' : ''}`, { style: labelStyle }, label)));
  }

  function select(s) {
    selected = s;
    rows.redraw();
    onSelect(s);
  }

  const ticks = h('div.ruler', [0, 0.25, 0.5, 0.75, 1].map((f) => h('span', { style: { left: `${f * 100}%` } },
    formatDuration(f * total))));
  const el = h('div.waterfall-box', h('div.wrow.whead', h('div.wname', 'Service · operation'), h('div.wtime', ticks)),
    rows.el);
  refresh();
  // As tall as the expanded tree, up to about half the screen.
  rows.el.style.height = `${Math.min(tree.byId.size * 24 + 2, Math.max(240, innerHeight * 0.56), 620)}px`;
  return {
    el,
    select(spanId) {
      const s = tree.byId.get(spanId);
      if (!s) return;
      for (let p = tree.byId.get(s.parentSpanId); p; p = tree.byId.get(p.parentSpanId)) collapsed.delete(p.spanId);
      refresh();
      rows.scrollTo(visibleRows(tree.roots, collapsed).indexOf(s));
      select(s);
    },
    setHighlight(mode) {
      highlight = mode;
      rows.redraw();
    },
    collapseAll(depth) {
      collapsed.clear();
      if (depth !== undefined) {
        for (const s of tree.byId.values()) if (s.depth >= depth && s.children.length) collapsed.add(s.spanId);
      }
      refresh();
    },
  };
}
