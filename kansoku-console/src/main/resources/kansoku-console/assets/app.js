// The console's router: each URL path is a view module; its state lives in the query string, so
// every screen is bookmarkable and the back button works.
import { clear, errorBox } from './ui.js';

const VIEWS = {
  traces: () => import('./views/traces.js'),
  trace: () => import('./views/trace.js'),
  map: () => import('./views/map.js'),
  metrics: () => import('./views/metrics.js'),
  logs: () => import('./views/logs.js'),
  insights: () => import('./views/insights.js'),
};

const main = document.getElementById('main');
let current = null; // the rendered view's cleanup, if it has one

function route(path) {
  const trace = /^\/traces\/([^/]+)$/.exec(path);
  if (trace) return { view: 'trace', arg: decodeURIComponent(trace[1]) };
  const name = path.replace(/^\/+|\/+$/g, '');
  return { view: VIEWS[name] ? name : 'traces' };
}

async function render() {
  const { view, arg } = route(location.pathname);
  const navKey = view === 'trace' ? 'traces' : view;
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.dataset.view === navKey);
  }
  if (typeof current === 'function') current();
  current = null;
  const params = new URLSearchParams(location.search);
  try {
    const mod = await VIEWS[view]();
    clear(main);
    current = await mod.render(main, params, arg);
  } catch (e) {
    clear(main, errorBox(e));
    console.error(e);
  }
}

/** Navigates within the app; `replace` for state changes that should not make a history entry. */
export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  return render();
}

/** Writes view state into the URL without re-rendering (the view already shows it). */
export function setParams(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '' && one !== false) q.append(k, one);
    }
  }
  const qs = q.toString();
  history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
}

document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[data-nav]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);

document.getElementById('theme').addEventListener('click', () => {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  localStorage.setItem('kansoku.theme', next);
  render(); // charts take their colours when drawn
});

render();
