// Calls to Kansoku's own endpoints on the same origin: the native JSON API under /api, X-Ray's
// GetTraceSummaries for filter expressions, and Logs Insights over CloudWatch Logs' JSON protocol.

export class ApiError extends Error {}

async function answer(res) {
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(`${res.status} ${res.statusText}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    throw new ApiError(body.error || body.message || body.Message || `${res.status} ${res.statusText}`);
  }
  return body;
}

/** GET /api/{path} with the given parameters; arrays repeat the parameter. */
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '') q.append(k, one);
    }
  }
  const qs = q.toString();
  return answer(await fetch(`/api/${path}${qs ? '?' + qs : ''}`));
}

/** X-Ray GetTraceSummaries, paged until `limit` summaries or the end. Times in epoch ms. */
export async function xrayTraceSummaries({ startMs, endMs, filter, limit }) {
  const out = [];
  let token;
  do {
    const res = await fetch('/TraceSummaries', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        StartTime: startMs / 1000, EndTime: endMs / 1000, FilterExpression: filter || undefined, NextToken: token,
      }),
    });
    const page = await answer(res);
    out.push(...page.TraceSummaries);
    token = page.NextToken;
  } while (token && out.length < limit);
  return out.slice(0, limit);
}

async function logsCall(op, body) {
  return answer(await fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` },
    body: JSON.stringify(body),
  }));
}

/** Runs a Logs Insights query to completion; times in epoch ms. */
export async function insights({ groups, startMs, endMs, query, signal }) {
  const { queryId } = await logsCall('StartQuery', {
    logGroupNames: groups, startTime: Math.floor(startMs / 1000), endTime: Math.ceil(endMs / 1000), queryString: query,
  });
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const r = await logsCall('GetQueryResults', { queryId });
    if (r.status !== 'Running' && r.status !== 'Scheduled') return r;
    if (signal?.aborted) {
      await logsCall('StopQuery', { queryId }).catch(() => {});
      throw new ApiError('stopped');
    }
    await new Promise((ok) => setTimeout(ok, wait));
  }
}
