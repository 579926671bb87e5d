// The service map: services in columns by call depth (callers left of callees), edges labelled with
// rate, latency and error/fault share; a click on a node shows its numbers and links to its traces
// and its RED charts. Nodes nobody instrumented are inferred from their callers and say their type as
// X-Ray does: an AWS resource or service (AWS::DynamoDB::Table, AWS::SQS::Queue ...) or "remote".
import * as api from '../api.js';
import { setParams } from '../app.js';
import { rangeFrom, resolve, timeRangePicker } from '../timerange.js';
import { clear, emptyState, formatDuration, formatNumber, h, link, sendDataHelp, serviceColor } from '../ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 190;
const NODE_H = 64;
const COL_GAP = 230;
const ROW_GAP = 36;

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) if (c !== null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export async function render(root, params) {
  const range = rangeFrom(params);
  const body = h('div.map-body');
  root.append(h('div.toolbar', h('h2.page', 'Service map'), h('span.spacer'),
    timeRangePicker(range, (r) => {
      Object.assign(range, r);
      setParams({ ...range, service: params.get('service') });
      draw();
    })), body);

  async function draw() {
    const graph = await api.get('service-graph', range);
    if (!graph.nodes.length) {
      clear(body, emptyState('No services in this time range', ...sendDataHelp()));
      return;
    }
    const { startMs, endMs } = resolve(range);
    const minutes = Math.max((endMs - startMs) / 60_000, 1 / 60);
    const side = h('aside.node-details', h('p.hint', 'Click a service to see its numbers, traces and metrics.'));
    const pick = (n) => {
      setParams({ ...range, service: n.name });
      for (const g of svg.querySelectorAll('g.node')) g.classList.toggle('selected', g.dataset.name === n.name);
      clear(side, nodeDetails(n, graph.edges, minutes, range));
    };
    const svg = layout(graph, minutes, pick);
    clear(body, h('div.map-canvas', svg), side);
    const chosen = graph.nodes.find((n) => n.name === params.get('service'));
    if (chosen) pick(chosen);
  }
  await draw();
}

/** Columns by longest call chain from an entry service; rows in name order. */
function layout(graph, minutes, pick) {
  const depth = new Map(graph.nodes.map((n) => [n.name, 0]));
  for (let pass = 0; pass < graph.nodes.length; pass++) { // longest path; a cycle stops at n passes
    let moved = false;
    for (const e of graph.edges) {
      if (e.from !== e.to && depth.get(e.to) < depth.get(e.from) + 1) {
        depth.set(e.to, depth.get(e.from) + 1);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const columns = [];
  for (const n of graph.nodes) (columns[depth.get(n.name)] ||= []).push(n);
  const pos = new Map();
  const tallest = Math.max(...columns.map((c) => c?.length || 0));
  columns.forEach((col, ci) => col?.forEach((n, ri) => {
    const offset = ((tallest - col.length) * (NODE_H + ROW_GAP)) / 2;
    pos.set(n.name, { x: 20 + ci * (NODE_W + COL_GAP), y: 20 + offset + ri * (NODE_H + ROW_GAP) });
  }));
  const width = 40 + columns.length * (NODE_W + COL_GAP) - COL_GAP;
  const height = 40 + tallest * (NODE_H + ROW_GAP) - ROW_GAP;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'service-map', role: 'img',
    'aria-label': 'Service map' });
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))));
  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const bad = e.requests ? (e.faults + e.errors) / e.requests : 0;
    svg.append(s('g', { class: `edge${bad > 0.05 ? ' bad' : ''}`, 'data-from': e.from, 'data-to': e.to },
      s('path', { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' }),
      s('text', { x: mx, y: (y1 + y2) / 2 - 5, 'text-anchor': 'middle' },
        `${rate(e.requests / minutes)}/min · ${formatDuration(e.averageMs)}`, badShare(e))));
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.name);
    const faultShare = n.requests ? n.faults / n.requests : 0;
    const errorShare = n.requests ? n.errors / n.requests : 0;
    const g = s('g', { class: `node${n.remote ? ' remote' : ''}`, 'data-name': n.name, 'data-type': n.type,
      transform: `translate(${p.x},${p.y})`, tabindex: 0 },
    s('rect', { width: NODE_W, height: NODE_H, rx: 10, class: 'box' }),
    s('rect', { width: 6, height: NODE_H, rx: 3, fill: serviceColor(n.name) }),
    // The health strip: fault share red, error share orange, the rest green.
    s('rect', { x: 12, y: NODE_H - 8, width: (NODE_W - 24) * (1 - faultShare - errorShare), height: 3, class: 'ok' }),
    s('rect', { x: 12 + (NODE_W - 24) * (1 - faultShare - errorShare), y: NODE_H - 8,
      width: (NODE_W - 24) * errorShare, height: 3, class: 'err' }),
    s('rect', { x: 12 + (NODE_W - 24) * (1 - faultShare), y: NODE_H - 8, width: (NODE_W - 24) * faultShare, height: 3,
      class: 'flt' }),
    s('text', { x: 16, y: 22, class: 'name' }, n.name.length > 24 ? n.name.slice(0, 23) + '…' : n.name),
    s('text', { x: 16, y: 42, class: 'sub' },
      `${rate(n.requests / minutes)}/min · ${formatDuration(n.averageMs)}${n.remote ? ` · ${shortType(n.type)}` : ''}`),
    s('title', {}, n.remote ? `${n.name} (${n.type})` : n.name));
    g.addEventListener('click', () => pick(n));
    g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') pick(n); });
    svg.append(g);
  }
  return svg;
}

/** An inferred node's type on its box: AWS::DynamoDB::Table reads "DynamoDB table", remote stays. */
function shortType(type) {
  const m = /^AWS::([^:]+)(?:::(.+))?$/.exec(type || '');
  return m ? (m[2] ? `${m[1]} ${m[2].toLowerCase()}` : `AWS ${m[1]}`) : type || 'remote';
}

const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(part * 1000 < whole ? 2 : 1)}%` : '0%');
/** Requests per minute, with two significant digits below 1 (a rare caller is not "0.0"). */
const rate = (v) => (v >= 100 ? formatNumber(Math.round(v)) : v >= 1 ? v.toFixed(1) : v.toPrecision(2));

/** The edge's error and fault shares, only when there are any: a clean edge stays quiet. */
function badShare(e) {
  const parts = [];
  if (e.faults) parts.push(`${pct(e.faults, e.requests)} fault`);
  if (e.errors) parts.push(`${pct(e.errors, e.requests)} error`);
  return parts.length ? s('tspan', { class: 'bad' }, ` · ${parts.join(' · ')}`) : null;
}

function nodeDetails(n, edges, minutes, range) {
  const q = (extra) => new URLSearchParams({ service: n.name, start: range.start, ...(range.end ? { end: range.end } : {}),
    ...extra }).toString();
  const out = edges.filter((e) => e.from === n.name);
  const inc = edges.filter((e) => e.to === n.name);
  const edgeRow = (e, other) => h('tr', h('td', other), h('td', `${rate(e.requests / minutes)}/min`),
    h('td', formatDuration(e.averageMs)), h('td', pct(e.errors, e.requests)), h('td', pct(e.faults, e.requests)));
  const edgeTable = (title, list, other) => (list.length ? [h('h4', title), h('table.grid',
    h('tr', h('th', ''), h('th', 'rate'), h('th', 'avg'), h('th', 'err'), h('th', 'fault')),
    list.map((e) => edgeRow(e, other(e))))] : []);
  return h('div',
    h('h3', h('i.dot', { style: { background: serviceColor(n.name) } }), n.name, n.remote ? ` (${n.type})` : ''),
    h('table.kv',
      h('tr', h('th', 'requests'), h('td', `${n.requests.toLocaleString()} (${rate(n.requests / minutes)}/min)`)),
      h('tr', h('th', 'average'), h('td', formatDuration(n.averageMs))),
      h('tr', h('th', 'errors (4xx)'), h('td', `${n.errors} (${pct(n.errors, n.requests)})`)),
      h('tr', h('th', 'faults (5xx)'), h('td', `${n.faults} (${pct(n.faults, n.requests)})`)),
      h('tr', h('th', 'throttles'), h('td', String(n.throttles)))),
    h('div.links',
      n.remote ? null : link(`/traces?${q({})}`, 'Traces →'),
      n.remote ? null : link(`/traces?${q({ status: 'fault' })}`, 'Faulted traces →'),
      n.remote ? null : link(`/traces?${q({ order: 'slowest_first' })}`, 'Slowest traces →'),
      link(`/metrics?${new URLSearchParams({ red: n.name, start: range.start, ...(range.end ? { end: range.end } : {}) })}`,
        'RED metrics →')),
    edgeTable('Calls to', out, (e) => e.to), edgeTable('Called by', inc, (e) => e.from));
}
