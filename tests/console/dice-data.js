// Realistic data for the console tests, shaped like the seed's dice app under the ADOT Java agent:
// dice-server answers GET /rolldice and calls dice-roller (GET /roll) and its scores database;
// logback lines on stdout carry `trace_id=<X-Ray id>@<span id>` and go to CloudWatch Logs through
// the awslogs driver (PutLogEvents); JVM metrics arrive by OTLP in the namespace dice-server.
// Sent through Kansoku's real ingest paths: OTLP/HTTP JSON and the CloudWatch Logs API.
// Deterministic (seeded), so the tests know exactly what they should find.

export const LOG_GROUP = '/ecs/your_apps';
export const LOG_STREAM = 'ecs/dice-server/5f1d2c3b4a';
export const TRACE_COUNT = 10_000;
export const SLOW_COUNT = 7; // dice-server traces of 2.5 s or more
export const BIG_TRACE_SPANS = 5_000;

function rng(seed) { // mulberry32: small, seeded, good enough for test data
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const hex = (bytes) => Array.from({ length: bytes * 2 }, () => Math.floor(random() * 16).toString(16)).join('');
const ns = (ms) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
const attrs = (o) => Object.entries(o).map(([key, v]) => ({
  key, value: typeof v === 'number' ? (Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v })
    : typeof v === 'boolean' ? { boolValue: v } : { stringValue: String(v) },
}));
const resource = (service, extra = {}) => ({ attributes: attrs({
  'service.name': service, 'telemetry.sdk.language': 'java', 'telemetry.sdk.name': 'opentelemetry',
  'telemetry.distro.name': 'aws-opentelemetry-agent', 'cloud.provider': 'aws', 'cloud.platform': 'aws_ecs',
  'host.name': 'ip-10-0-1-23.us-west-2.compute.internal', ...extra,
}) });
const SCOPE = { name: 'io.opentelemetry.spring-webmvc-6.0', version: '2.10.0-alpha' };
const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 };

/** A new trace id whose first 4 bytes are its start in epoch seconds, as X-Ray ids require. */
function traceIdAt(ms) {
  return Math.floor(ms / 1000).toString(16).padStart(8, '0') + hex(12);
}
export const xrayId = (hexId) => `1-${hexId.slice(0, 8)}-${hexId.slice(8)}`;

const STACK = `java.lang.IllegalStateException: dice-roller answered 503 Service Unavailable
\tat io.kansoku.dice.RollerClient.roll(RollerClient.java:41)
\tat io.kansoku.dice.DiceController.rollDice(DiceController.java:27)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)`;

function span(o) {
  return {
    traceId: o.traceId, spanId: o.spanId, parentSpanId: o.parent || '', name: o.name, kind: o.kind,
    startTimeUnixNano: ns(o.start), endTimeUnixNano: ns(o.end), attributes: attrs(o.attributes || {}),
    status: o.fault ? { code: 2, message: o.message || '' } : { code: 0 }, events: o.events || [],
  };
}

/**
 * The dice traces: spans per service and the log lines of each trace.
 * Every 97th trace is a fault (dice-roller 503), every 53rd an error (400 for a bad "sides"), and
 * SLOW_COUNT traces wait 2.5-4 s for dice-roller.
 */
export function diceTraces(nowMs) {
  const server = [];
  const roller = [];
  const logs = [];
  const slow = [];
  const slowEvery = Math.floor(TRACE_COUNT / SLOW_COUNT);
  for (let i = 0; i < TRACE_COUNT; i++) {
    const start = nowMs - 55 * 60_000 + (i * 54 * 60_000) / TRACE_COUNT + random() * 200;
    const traceId = traceIdAt(start);
    const fault = i % 97 === 13;
    const error = !fault && i % 53 === 7;
    const isSlow = i % slowEvery === slowEvery - 1 && slow.length < SLOW_COUNT;
    const rollMs = isSlow ? 2500 + random() * 1500 : 2 + random() * 25 + (random() < 0.05 ? 150 : 0);
    const rootId = hex(8);
    const handlerId = hex(8);
    const clientId = hex(8);
    const rollerId = hex(8);
    const dbId = hex(8);
    const t1 = start + 0.4 + random();
    const status = fault ? 500 : error ? 400 : 200;
    const value = 1 + Math.floor(random() * 6);
    const dbMs = 0.8 + random() * 3;
    const tClient = t1 + 0.3;
    const tDb = tClient + rollMs + 0.5;
    const end = error ? t1 + 1 : tDb + dbMs + 0.6;
    server.push(span({ traceId, spanId: rootId, name: 'GET /rolldice', kind: KIND.SERVER, start, end, fault,
      attributes: { 'http.request.method': 'GET', 'http.route': '/rolldice', 'url.path': '/rolldice',
        'url.scheme': 'http', 'http.response.status_code': status, 'server.address': 'dice.example.com',
        'user_agent.original': 'curl/8.4.0', 'client.address': '10.0.0.12', player: i % 3 ? 'alice' : 'bob' } }));
    server.push(span({ traceId, spanId: handlerId, parent: rootId, name: 'DiceController.rollDice',
      kind: KIND.INTERNAL, start: t1, end: end - 0.3, fault,
      events: fault ? [{ timeUnixNano: ns(end - 0.4), name: 'exception', attributes: attrs({
        'exception.type': 'java.lang.IllegalStateException', 'exception.message': 'dice-roller answered 503 Service Unavailable',
        'exception.stacktrace': STACK }) }] : [] }));
    const lines = [[start + 0.2, `GET "/rolldice", parameters={${error ? 'sides=[0]' : ''}}`, rootId]];
    if (!error) {
      server.push(span({ traceId, spanId: clientId, parent: handlerId, name: 'GET', kind: KIND.CLIENT, start: tClient,
        end: tClient + rollMs, fault, attributes: { 'http.request.method': 'GET', 'url.full': 'http://dice-roller:8081/roll',
          'server.address': 'dice-roller', 'server.port': 8081, 'http.response.status_code': fault ? 503 : 200 } }));
      roller.push(span({ traceId, spanId: rollerId, parent: clientId, name: 'GET /roll', kind: KIND.SERVER,
        start: tClient + 0.2, end: tClient + rollMs - 0.2, fault, message: fault ? 'no dice left' : '',
        attributes: { 'http.request.method': 'GET', 'http.route': '/roll', 'http.response.status_code': fault ? 503 : 200 } }));
      if (!fault) {
        server.push(span({ traceId, spanId: dbId, parent: handlerId, name: 'INSERT scores', kind: KIND.CLIENT, start: tDb,
          end: tDb + dbMs, attributes: { 'db.system': 'postgresql', 'db.name': 'scores', 'server.address': 'scores-db',
            'db.statement': 'insert into scores (player, value) values (?, ?)' } }));
        lines.push([t1 + 0.1, `Player is rolling the dice: ${value}`, handlerId]);
      } else {
        lines.push([end - 0.5, 'ERROR Servlet.service() for servlet [dispatcherServlet] threw exception: '
          + 'java.lang.IllegalStateException: dice-roller answered 503 Service Unavailable', handlerId]);
      }
    } else {
      lines.push([t1 + 0.2, 'WARN Resolved [org.springframework.web.bind.MethodArgumentNotValidException: sides must be > 0]',
        handlerId]);
    }
    if (isSlow) slow.push({ traceId, xray: xrayId(traceId), durationMs: end - start, player: i % 3 ? 'alice' : 'bob' });
    for (const [at, text, spanId] of lines) {
      const d = new Date(at);
      const clock = d.toISOString().slice(11, 23);
      logs.push({ timestamp: Math.floor(at), message: `${clock} trace_id=${xrayId(traceId)}@${spanId} span_id=${spanId} trace_flags=01 ${text}` });
    }
  }
  return { server, roller, logs, slow };
}

/** One tournament: 50 rounds of 99 rolls each under one POST, 5,000 spans. */
export function bigTrace(nowMs) {
  const start = nowMs - 20 * 60_000;
  const traceId = traceIdAt(start);
  const rootId = hex(8);
  const spans = [span({ traceId, spanId: rootId, name: 'POST /tournament', kind: KIND.SERVER, start, end: start + 9_000,
    attributes: { 'http.request.method': 'POST', 'http.route': '/tournament', 'http.response.status_code': 200 } })];
  let t = start + 2;
  for (let round = 0; round < 50 && spans.length < BIG_TRACE_SPANS; round++) {
    const roundId = hex(8);
    const roundStart = t;
    const children = [];
    for (let k = 0; k < 98 && spans.length + children.length + 1 < BIG_TRACE_SPANS; k++) {
      const d = 0.5 + random() * 1.2;
      children.push(span({ traceId, spanId: hex(8), parent: roundId, name: 'roll', kind: KIND.INTERNAL, start: t, end: t + d,
        attributes: { 'dice.round': round, 'dice.value': 1 + Math.floor(random() * 6) } }));
      t += d + 0.05;
    }
    spans.push(span({ traceId, spanId: roundId, parent: rootId, name: `round ${round + 1}`, kind: KIND.INTERNAL,
      start: roundStart, end: t, attributes: { 'dice.round': round } }), ...children);
  }
  while (spans.length < BIG_TRACE_SPANS) { // top up to the exact count with the closing writes
    spans.push(span({ traceId, spanId: hex(8), parent: rootId, name: 'INSERT results', kind: KIND.CLIENT, start: t, end: t + 1,
      attributes: { 'db.system': 'postgresql', 'server.address': 'scores-db' } }));
    t += 1.1;
  }
  return { traceId, spans };
}

/** JVM metrics every 30 s for the last hour, as the agent's runtime-telemetry module reports them. */
export function jvmMetrics(nowMs) {
  const pools = [['G1 Eden Space', 60e6, 40e6], ['G1 Old Gen', 110e6, 20e6], ['Metaspace', 72e6, 2e6]];
  const times = Array.from({ length: 120 }, (_, i) => nowMs - (120 - i) * 30_000);
  const memory = [];
  for (const [pool, base, swing] of pools) {
    for (const [i, t] of times.entries()) {
      memory.push({ attributes: attrs({ 'jvm.memory.pool.name': pool, 'jvm.memory.type': pool === 'Metaspace' ? 'non_heap' : 'heap' }),
        timeUnixNano: ns(t), asDouble: Math.round(base + swing * Math.abs(Math.sin(i / 7)) + random() * 1e6) });
    }
  }
  const gauge = (name, unit, points) => ({ name, unit, gauge: { dataPoints: points } });
  return [
    gauge('jvm.memory.used', 'By', memory),
    gauge('jvm.thread.count', '{thread}', times.map((t) => ({ timeUnixNano: ns(t), asDouble: 28 + Math.floor(random() * 6) }))),
    gauge('jvm.cpu.recent_utilization', '1', times.map((t, i) => ({ timeUnixNano: ns(t),
      asDouble: Math.round((0.05 + 0.2 * Math.abs(Math.sin(i / 11)) + random() * 0.03) * 1000) / 1000 }))),
  ];
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

/** Sends everything; returns what the tests need to know. */
export async function load({ otlp, kansoku, nowMs = Date.now() }) {
  const dice = diceTraces(nowMs);
  const big = bigTrace(nowMs);
  const batch = 2_000;
  const send = (service, spans) => post(`${otlp}/v1/traces`, { resourceSpans: [{ resource: resource(service),
    scopeSpans: [{ scope: SCOPE, spans }] }] });
  for (let i = 0; i < dice.server.length; i += batch) await send('dice-server', dice.server.slice(i, i + batch));
  for (let i = 0; i < dice.roller.length; i += batch) await send('dice-roller', dice.roller.slice(i, i + batch));
  for (let i = 0; i < big.spans.length; i += batch) await send('dice-tournament', big.spans.slice(i, i + batch));
  await post(`${otlp}/v1/metrics`, { resourceMetrics: [{ resource: resource('dice-server'),
    scopeMetrics: [{ scope: { name: 'io.opentelemetry.runtime-telemetry-java17' }, metrics: jvmMetrics(nowMs) }] }] });

  const logs = (op, body) => post(kansoku, body, { 'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `Logs_20140328.${op}` });
  await logs('CreateLogGroup', { logGroupName: LOG_GROUP });
  await logs('CreateLogStream', { logGroupName: LOG_GROUP, logStreamName: LOG_STREAM });
  const events = dice.logs.sort((a, b) => a.timestamp - b.timestamp);
  for (let i = 0; i < events.length; i += 2_000) {
    await logs('PutLogEvents', { logGroupName: LOG_GROUP, logStreamName: LOG_STREAM, logEvents: events.slice(i, i + 2_000) });
  }
  return { slow: dice.slow, bigTraceId: big.traceId, logLines: events.length,
    rolls: events.filter((e) => e.message.includes('Player is rolling the dice')).length,
    faults: dice.server.filter((s) => s.kind === KIND.SERVER && s.status.code === 2).length };
}
