// A stand-in for the ECS task metadata endpoint v4 (what ECS_CONTAINER_METADATA_URI_V4 points at in a
// task): GET {base} (this container), {base}/task, {base}/stats (this container's docker stats) and
// {base}/task/stats (every container's, by docker id), answered from the JSON files in fixtures/.
// Each stats answer is read "now", one second after the previous read, and the block I/O and network
// counters grow by a fixed step per answer, as a live task's do, so that the collector's cumulative
// counters have a delta from one collection to the next.
// Usage: node ecs-metadata.js PORT BASE_PATH
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const [port, base] = [Number(process.argv[2]), process.argv[3]];
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const container = fixture('container.json');
const task = fixture('task.json');
const taskStats = fixture('task-stats.json');
// Bytes added per stats answer to each running container's counters.
const GROWTH = { Read: 4096, Write: 8192, rx_bytes: 1000, tx_bytes: 500 };
let answers = 0;

function statsNow(stats) {
  if (stats === null) {
    return null; // a stopped container has no stats
  }
  const s = JSON.parse(JSON.stringify(stats));
  const now = Date.now();
  s.read = new Date(now).toISOString();
  s.preread = new Date(now - 1000).toISOString();
  for (const io of s.blkio_stats.io_service_bytes_recursive) {
    io.value += (GROWTH[io.op] || 0) * answers;
  }
  for (const net of Object.values(s.networks)) {
    net.rx_bytes += GROWTH.rx_bytes * answers;
    net.tx_bytes += GROWTH.tx_bytes * answers;
  }
  return s;
}

http.createServer((req, res) => {
  const send = (body) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (req.method === 'GET' ? req.url : '') {
    case base:
      return send(container);
    case base + '/task':
      return send(task);
    case base + '/stats':
      answers++;
      return send(statsNow(taskStats[container.DockerId]));
    case base + '/task/stats': {
      answers++;
      const out = {};
      for (const [id, stats] of Object.entries(taskStats)) {
        out[id] = statsNow(stats);
      }
      return send(out);
    }
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
  }
}).listen(port, '127.0.0.1', () => console.log(`ECS task metadata v4 stand-in on 127.0.0.1:${port}${base}`));
