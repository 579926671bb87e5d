// The console in a real browser (Debian's Chromium, driven by playwright-core) against a running
// Kansoku loaded with the dice app's data. Each test asserts on what the page shows, saves a
// screenshot, and the performance tests print their figures.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { BIG_TRACE_SPANS, LOG_GROUP, SLOW_COUNT, TRACE_COUNT, load } from './dice-data.js';

const BASE = process.env.KANSOKU_URL;
const SHOTS = process.env.SCREENSHOTS;
let context;
let data;

before(async () => {
  assert.ok(BASE && process.env.OTLP_URL, 'run through run.sh: KANSOKU_URL and OTLP_URL are needed');
  mkdirSync(SHOTS, { recursive: true });
  const t0 = Date.now();
  data = await load({ otlp: process.env.OTLP_URL, kansoku: BASE });
  console.log(`loaded ${TRACE_COUNT} dice traces, a ${BIG_TRACE_SPANS}-span trace, ${data.logLines} log lines, `
    + `JVM metrics in ${Date.now() - t0} ms`);
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kansoku-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // A name that resolves to this machine, as a DNS-rebinding attacker's name would.
      '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
  });
  context = browser;
  // Nothing may come from outside: the console is served whole from the jar.
  await context.route((url) => !url.href.startsWith(BASE), (route) => route.abort());
});

after(async () => {
  await context?.close();
});

async function open(path) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(BASE + path);
  page.problems = problems;
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

test('trace search: a filter expression finds exactly the slow dice traces', async () => {
  const page = await open('/traces?start=1h');
  await page.locator('.results[data-rendered]').waitFor();
  await page.fill('input[name=filter]', 'service("dice-server") AND duration >= 2.5');
  await page.fill('input[name=attr]', 'player=alice');
  await page.click('form.search button[type=submit]');
  await page.waitForFunction((n) => document.querySelector('.results')?.dataset.rendered === String(n)
    || document.querySelector('.results .error-box'), SLOW_COUNT);
  assert.equal(await page.locator('.results .error-box').count(), 0);
  assert.match(await page.textContent('.summary'), new RegExp(`^${SLOW_COUNT} traces \\(X-Ray filter expression`));
  const ids = await page.$$eval('.trow[data-trace-id]', (rows) => rows.map((r) => r.dataset.traceId));
  assert.deepEqual(ids.sort(), data.slow.filter((s) => s.player === 'alice').map((s) => s.xray).sort());
  const durations = await page.$$eval('.trow[data-trace-id] .dur span', (s) => s.map((x) => x.textContent));
  assert.ok(durations.every((d) => /^\d\.\d\d s$/.test(d)), `durations in seconds: ${durations}`);
  // The state is in the URL: reloading it shows the same search.
  assert.match(page.url(), /filter=service%28%22dice-server%22%29/);
  await page.locator('.scatter canvas').first().waitFor();
  await shot(page, 'traces');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('trace view: the slow trace\'s spans, both ids, and its log lines', async () => {
  const slow = data.slow[0];
  const page = await open(`/traces?start=1h&filter=${encodeURIComponent('duration >= 2.5')}`);
  await page.locator(`.trow[data-trace-id="${slow.xray}"]`).click();
  await page.waitForURL(`**/traces/${slow.xray}`);
  await page.locator('.wrow[data-span-id]').first().waitFor();
  assert.equal(await page.textContent('code.xray-id'), slow.xray);
  assert.equal(await page.textContent('code.w3c-id'), slow.traceId);
  const names = await page.$$eval('.wrow[data-span-id] .op', (e) => e.map((x) => x.textContent));
  assert.deepEqual(names, ['GET /rolldice', 'DiceController.rollDice', 'GET', 'GET /roll', 'INSERT scores']);
  const services = await page.$$eval('.wrow[data-span-id] .svc', (e) => e.map((x) => x.textContent));
  assert.deepEqual(services, ['dice-server', 'dice-server', 'dice-server', 'dice-roller', 'dice-server']);
  // The trace's log lines, in time order, each carrying its X-Ray id.
  const lines = await page.$$eval('.trace-logs .logline .body', (e) => e.map((x) => x.textContent));
  assert.equal(lines.length, 2);
  assert.match(lines[0], /GET "\/rolldice", parameters=\{\}$/);
  assert.match(lines[1], /Player is rolling the dice: [1-6]$/);
  assert.ok(lines.every((l) => l.includes(`trace_id=${slow.xray}@`)));
  // Selecting the handler span shows its details and only its log line.
  await page.locator('.wrow[data-span-id]', { hasText: 'DiceController.rollDice' }).click();
  assert.match(await page.textContent('.span-details h3'), /DiceController\.rollDice/);
  assert.match(await page.textContent('.trace-logs .tab.active'), /selected span \(1\)/);
  assert.match(await page.textContent('.trace-logs .logline .body'), /Player is rolling the dice/);
  // The slow call is on the critical path, the database insert after it too.
  const dimmed = await page.$$eval('.wrow[data-span-id] .span-bar.dim', (e) => e.length);
  assert.equal(dimmed, 0, 'every span of this sequential trace is on its critical path');
  await shot(page, 'trace');
  await page.evaluate(() => document.getElementById('theme').click());
  await page.locator('.wrow[data-span-id]').first().waitFor();
  await shot(page, 'trace-dark');
  await page.evaluate(() => document.getElementById('theme').click());
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('trace view: a fault shows its exception with the stack trace', async () => {
  const page = await open('/traces?start=1h&service=dice-roller&status=fault&limit=1000');
  await page.locator('.results[data-rendered]').waitFor();
  const count = Number(await page.getAttribute('.results', 'data-rendered'));
  assert.equal(count, data.faults);
  await page.locator('.trow[data-trace-id]').first().click();
  await page.locator('.wrow[data-span-id]', { hasText: 'DiceController.rollDice' }).click();
  assert.match(await page.textContent('.span-details .exception'), /IllegalStateException: dice-roller answered 503/);
  assert.match(await page.textContent('.span-details pre.stack'), /at io\.kansoku\.dice\.RollerClient\.roll/);
  assert.match(await page.textContent('.trace-logs .logline.bad .body'), /ERROR Servlet\.service\(\)/);
  await page.close();
});

test('log explorer: a line\'s trace link opens its trace', async () => {
  const slow = data.slow[1];
  const page = await open(`/logs?group=${encodeURIComponent(LOG_GROUP)}&start=1h&q=${encodeURIComponent(`"${slow.xray}"`)}`);
  await page.locator('.loglines .logline').first().waitFor();
  const bodies = await page.$$eval('.loglines .logline .body', (e) => e.map((x) => x.textContent));
  assert.equal(bodies.length, 2);
  assert.ok(bodies.every((b) => b.includes(slow.xray)));
  assert.match(await page.textContent('aside.log-nav li.active'), /\/ecs\/your_apps/);
  await shot(page, 'logs');
  await page.locator('.logline', { hasText: 'Player is rolling' }).locator('a:has(.trace-link)').click();
  await page.waitForURL(new RegExp(`/traces/${slow.xray}`));
  await page.locator('.wrow.selected').waitFor();
  assert.equal(await page.textContent('code.xray-id'), slow.xray);
  assert.match(await page.textContent('.wrow.selected .op'), /DiceController\.rollDice/);
  await page.close();
});

test('service map: dice-server calls dice-roller and the scores database', async () => {
  const page = await open('/map?start=1h');
  const edge = page.locator('g.edge[data-from="dice-server"][data-to="dice-roller"]');
  await edge.waitFor();
  // 1 in 97 dice traces is a dice-roller fault: the edge says so.
  assert.match(await edge.textContent(), /^\d+\/min · [\d.]+ ms · 1\.0% fault$/);
  assert.equal(await page.locator('g.edge[data-from="dice-server"][data-to="scores-db"]').count(), 1);
  assert.equal(await page.locator('g.node.remote[data-name="scores-db"][data-type="remote"]').count(), 1);
  await page.locator('g.node[data-name="dice-server"]').click();
  const details = await page.textContent('aside.node-details');
  assert.match(details, new RegExp(`requests${TRACE_COUNT.toLocaleString('en-US')}`));
  assert.match(details, /Calls to.*dice-roller.*scores-db/);
  assert.match(page.url(), /service=dice-server/);
  await shot(page, 'map');
  await page.locator('aside.node-details a', { hasText: 'RED metrics' }).click();
  await page.waitForURL(/\/metrics\?red=dice-server/);
  await page.locator('.red-grid .chart canvas').first().waitFor();
  await shot(page, 'red');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('metrics: jvm.memory.used of dice-server charts one series per memory pool', async () => {
  const page = await open('/metrics?namespace=dice-server&name=jvm.memory.used&stat=Average&stat=Maximum&period=1m&start=1h');
  await page.locator('.metric-chart canvas').first().waitFor();
  const points = Number(await page.getAttribute('.metric-chart', 'data-points'));
  assert.ok(points >= 3 * 2 * 55, `points drawn: ${points}`);
  const labels = await page.$$eval('.metric-chart .u-legend .u-series .u-label', (e) => e.map((x) => x.textContent));
  for (const pool of ['G1 Eden Space', 'G1 Old Gen', 'Metaspace']) {
    assert.ok(labels.some((l) => l.includes(`jvm.memory.pool.name=${pool}`) && l.endsWith('Average')), `${pool} in ${labels}`);
  }
  const names = await page.$$eval('aside.metric-nav ul.names a', (e) => e.map((x) => x.textContent));
  assert.deepEqual(names, ['jvm.cpu.recent_utilization', 'jvm.memory.used', 'jvm.thread.count']);
  // A dimension chip narrows the chart to that pool.
  await page.locator('button.chip', { hasText: 'jvm.memory.pool.name = Metaspace' }).click();
  await page.waitForURL(/dim=jvm\.memory\.pool\.name%3AMetaspace/);
  await page.locator('.metric-chart canvas').first().waitFor();
  const narrowed = await page.$$eval('.metric-chart .u-legend .u-series .u-label', (e) => e.map((x) => x.textContent));
  assert.ok(narrowed.length > 1 && narrowed.every((l) => l === 'Time' || l === '' || l.includes('Metaspace')), `${narrowed}`);
  await page.goto(`${BASE}/metrics?namespace=dice-server&name=jvm.memory.used&stat=Average&period=1m&start=1h`);
  await page.locator('.metric-chart canvas').first().waitFor();
  await shot(page, 'metrics');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Logs Insights: stats by bin() gives a table and a chart', async () => {
  const query = 'filter @message like /Player is rolling/ | stats count(*) as rolls by bin(10m)';
  const page = await open(`/insights?group=${encodeURIComponent(LOG_GROUP)}&start=1h&query=${encodeURIComponent(query)}`);
  await page.locator('table.insights-results').waitFor();
  const head = await page.$$eval('table.insights-results th', (e) => e.map((x) => x.textContent));
  assert.deepEqual(head, ['bin(10m)', 'rolls']);
  const counts = await page.$$eval('table.insights-results tr td:nth-child(2)', (e) => e.map((x) => Number(x.textContent)));
  assert.ok(counts.length >= 6 && counts.length <= 7, `bins: ${counts.length}`);
  assert.equal(counts.reduce((a, b) => a + b, 0), data.rolls);
  await page.locator('.results .chart canvas').first().waitFor();
  await shot(page, 'insights');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('performance: 10,000 traces in one search result', async () => {
  const page = await open(`/traces?service=dice-server&start=1h&limit=10000`);
  await page.waitForFunction((n) => document.querySelector('.results')?.dataset.rendered === String(n), TRACE_COUNT,
    { timeout: 60_000 });
  const t = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    rendered: performance.getEntriesByName('kansoku:traces-rendered')[0].startTime,
  }));
  const scroll = await page.evaluate(async () => {
    const list = document.querySelector('.vlist.traces');
    const frames = [];
    for (const f of [0.25, 0.5, 0.75, 1]) {
      const t0 = performance.now();
      list.scrollTop = list.scrollHeight * f;
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      frames.push(performance.now() - t0);
    }
    return Math.max(...frames);
  });
  const sort = await page.evaluate(async () => {
    const t0 = performance.now();
    [...document.querySelectorAll('.trow.thead span')].find((s) => s.textContent === 'Duration').click();
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    return performance.now() - t0;
  });
  const rows = await page.$$eval('.vlist.traces .trow', (e) => e.length);
  console.log(`10,000 traces: first paint ${Math.round(t.fcp)} ms, results rendered ${Math.round(t.rendered)} ms `
    + `after navigation; scroll frame ≤ ${Math.round(scroll)} ms; sort by duration ${Math.round(sort)} ms; `
    + `${rows} rows in the DOM`);
  assert.ok(rows < 100, `virtual list keeps the DOM small: ${rows} rows`);
  assert.match(await page.textContent('.vlist.traces .trow .dur span'), /^\d\.\d\d s$/, 'slowest first after the sort');
  assert.ok(t.rendered < 15_000 && scroll < 500, 'responsive');
  await page.close();
});

test('performance: a 5,000-span trace', async () => {
  const page = await open(`/traces/${data.bigTraceId}`);
  await page.locator('.wrow[data-span-id]').first().waitFor({ timeout: 60_000 });
  const t = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    rendered: performance.getEntriesByName('kansoku:trace-rendered')[0].startTime,
  }));
  assert.equal(await page.getAttribute('main', 'data-spans'), String(BIG_TRACE_SPANS));
  assert.match(await page.textContent('.facts'), /5,000 spans/);
  const timing = await page.evaluate(async () => {
    const frame = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const time = async (fn) => {
      const t0 = performance.now();
      fn();
      await frame();
      return performance.now() - t0;
    };
    const list = document.querySelector('.vlist.waterfall');
    const heightExpanded = list.scrollHeight;
    const collapse = await time(() => [...document.querySelectorAll('.trace-head button')].find((b) => b.textContent === 'collapse').click());
    const heightCollapsed = list.scrollHeight;
    const expand = await time(() => [...document.querySelectorAll('.trace-head button')].find((b) => b.textContent === 'expand all').click());
    const scroll = await time(() => { list.scrollTop = list.scrollHeight / 2; });
    return { collapse, expand, scroll, heightExpanded, heightCollapsed };
  });
  console.log(`5,000-span trace: first paint ${Math.round(t.fcp)} ms, waterfall rendered ${Math.round(t.rendered)} ms `
    + `after navigation; collapse ${Math.round(timing.collapse)} ms, expand all ${Math.round(timing.expand)} ms, `
    + `scroll frame ${Math.round(timing.scroll)} ms`);
  assert.equal(timing.heightExpanded, BIG_TRACE_SPANS * 24);
  // Collapsed below the rounds: the root, its 50 rounds and the 49 closing writes.
  assert.equal(timing.heightCollapsed, 100 * 24);
  await page.locator('.trace-head button', { hasText: /^collapse$/ }).click();
  await page.evaluate(() => { document.querySelector('.vlist.waterfall').scrollTop = 0; });
  await page.locator('.wrow[data-span-id]', { hasText: 'round 7' }).click();
  await shot(page, 'trace-5000-spans');
  await page.close();
});

// A page the user visits on another origin, with everything a page can send without asking: a
// CORS read, a no-cors text/plain POST (X-Ray PutTraceSegments) and a form POST (CloudWatch
// PutMetricData, query protocol).
const ATTACKER_PAGE = (kansoku, segment) => `<!doctype html><body><iframe name="sink"></iframe>
<form id="f" method="POST" action="${kansoku}/" target="sink" enctype="application/x-www-form-urlencoded">
<input name="Action" value="PutMetricData"><input name="Version" value="2010-08-01">
<input name="Namespace" value="Hostile"><input name="MetricData.member.1.MetricName" value="pwned">
<input name="MetricData.member.1.Value" value="1"></form>
<script>
(async () => {
  const r = {};
  try { await (await fetch('${kansoku}/api/services')).text(); r.read = 'readable'; } catch (e) { r.read = 'blocked'; }
  await fetch('${kansoku}/TraceSegments', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ TraceSegmentDocuments: [${JSON.stringify(segment)}] }) });
  document.getElementById('f').submit();
  setTimeout(() => { window.done = r; }, 1000);
})();
</script></body>`;

async function aws(target, body, contentType) {
  const res = await fetch(`${BASE}/`, { method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': contentType, 'x-amz-target': target } });
  return res.json();
}

// Writes reach the store through the pipeline's exporter queue: poll briefly for what should appear.
async function eventually(read, want) {
  let got;
  for (let i = 0; i < 50 && (got = await read()) !== want; i++) await new Promise((r) => setTimeout(r, 100));
  return got;
}

const tracesFound = async (id) => (await (await fetch(`${BASE}/Traces`, { method: 'POST',
  headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: [id] }) })).json()).Traces.length;
const hostileMetrics = async () => (await aws('GraniteServiceVersion20100801.ListMetrics', { Namespace: 'Hostile' },
  'application/x-amz-json-1.0')).Metrics.length;

test('browser safety: a page on another origin can neither read nor write; a rebinding name is refused', async () => {
  const now = Date.now() / 1000;
  const traceId = `1-${Math.floor(now).toString(16)}-${'a1b2c3d4e5f6a7b8c9d0e1f2'}`;
  const segment = JSON.stringify({ name: 'hostile', id: 'a1b2c3d4e5f60718', trace_id: traceId, start_time: now,
    end_time: now + 0.1 });
  const attacker = createServer((req, res) => res.end(ATTACKER_PAGE(BASE, segment)));
  await new Promise((r) => attacker.listen(0, '127.0.0.1', r));
  const page = await context.newPage();
  await page.route('**/*', (route) => route.continue());
  try {
    await page.goto(`http://localhost:${attacker.address().port}/`);
    const r = await (await page.waitForFunction(() => window.done)).jsonValue();
    assert.equal(r.read, 'blocked');
    assert.equal(await tracesFound(traceId), 0, 'the page wrote an X-Ray segment');
    assert.equal(await hostileMetrics(), 0, 'the page wrote a CloudWatch metric');

    const rebound = await page.goto(`http://rebind.test:${new URL(BASE).port}/api/services`);
    assert.equal(rebound.status(), 403);
    assert.match(await rebound.text(), /host \\"rebind.test\\" is not a name of this endpoint/);
  } finally {
    await page.close();
    attacker.close();
  }
  // The same writes from a client that is not a browser page (as AWS SDKs and the CLI send them) land.
  await fetch(`${BASE}/TraceSegments`, { method: 'POST', headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ TraceSegmentDocuments: [segment] }) });
  assert.equal(await eventually(() => tracesFound(traceId), 1), 1);
  await fetch(`${BASE}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=PutMetricData&Version=2010-08-01&Namespace=Hostile&MetricData.member.1.MetricName=pwned'
      + '&MetricData.member.1.Value=1' });
  assert.equal(await eventually(hostileMetrics, 1), 1);
});
