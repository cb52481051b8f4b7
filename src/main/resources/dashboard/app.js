// Shammah's usage page: polls GET /admin/usage (and /health) and draws what it answers. The admin key, when the
// daemon needs one, is typed once and kept in this tab's sessionStorage: sent as x-api-key, never in a URL.
'use strict';

const KEY = 'shammah-admin-key';
const $ = id => document.getElementById(id);

function headers() {
  const key = sessionStorage.getItem(KEY);
  return key ? { 'x-api-key': key } : {};
}

function money(x) {
  return '$' + (x >= 1 ? x.toFixed(2) : x.toPrecision(2));
}

function percent(x) {
  return (100 * x).toFixed(1) + '%';
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
}

// Answers remembered per tenant (GET /admin/tenants), and each one's evidence (GET /admin/tenants/{t}/training).
let remembered = new Map();
let evidence = new Map();

async function refreshEvidence(tenants) {
  const next = new Map();
  await Promise.all(tenants.slice(0, 50).map(async t => {
    try {
      const r = await fetch('/admin/tenants/' + encodeURIComponent(t.tenant) + '/training', { headers: headers() });
      if (r.ok) next.set(t.tenant, await r.json());
    } catch (e) {
      // Shown as unknown.
    }
  }));
  evidence = next;
}

// The lowest cosine from which this tenant's rewordings are served, any shape; '–' when none is.
function rewordingsFrom(s) {
  const from = s && s.rewordings && s.rewordings.serving ? s.rewordings.serving.served_from : null;
  const values = from ? Object.values(from).filter(v => v !== null) : [];
  return values.length ? Math.min(...values).toFixed(2) : '–';
}

async function refreshMemory() {
  try {
    const r = await fetch('/admin/tenants', { headers: headers() });
    if (!r.ok) return;
    remembered = new Map((await r.json()).tenants.map(t => [t.tenant, t.exchanges]));
  } catch (e) {
    // The table shows what it has.
  }
}

// The local models (GET /v1/models, the shammah-* ones) and the adapter serving, if any (GET /admin/checkpoints).
async function refreshModels() {
  const list = $('models');
  try {
    const r = await fetch('/v1/models?limit=1000', { headers: headers() });
    if (!r.ok) return;
    const local = (await r.json()).data.filter(m => m.id.startsWith('shammah-'));
    const c = await fetch('/admin/checkpoints', { headers: headers() });
    const serving = c.ok ? (await c.json()).serving : null;
    list.replaceChildren();
    for (const m of local) {
      const li = document.createElement('li');
      li.textContent = m.id + (serving && m.id === 'shammah-local' ? ` (adapter: ${serving})` : '');
      list.appendChild(li);
    }
    if (local.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'none configured (model.path): remembered answers only';
      list.appendChild(li);
    }
  } catch (e) {
    // Left as it was.
  }
}

function drawTenants(tenants) {
  const body = $('tenants').tBodies[0];
  body.replaceChildren();
  for (const t of tenants) {
    const tr = document.createElement('tr');
    tr.dataset.tenant = t.tenant;
    cell(tr, t.tenant);
    cell(tr, t.requests);
    cell(tr, t.local);
    cell(tr, percent(t.local_share));
    cell(tr, t.forwarded);
    cell(tr, t.refused);
    cell(tr, t.spent_usd.toFixed(6));
    cell(tr, t.saved_usd.toFixed(6));
    cell(tr, remembered.has(t.tenant) ? remembered.get(t.tenant) : '–');
    const s = evidence.get(t.tenant);
    cell(tr, s ? `${s.router.edits.filter(k => k.trusted).length} of ${s.router.edits.length}` : '–');
    cell(tr, rewordingsFrom(s));
    const b = t.budget;
    cell(tr, b ? `${money(b.spent_usd)} of ${money(b.dollars)} per ${b.period} (${b.state})` : '–',
      b ? b.state : '');
    body.appendChild(tr);
  }
}

let lastHours = [];

// Hourly rows of every tenant and model added up per hour, the last 48 hours that had any.
function drawChart(hours) {
  lastHours = hours;
  const byHour = new Map();
  for (const h of hours) {
    const s = byHour.get(h.hour) || { requests: 0, local: 0, forwarded: 0 };
    s.requests += h.requests; s.local += h.local; s.forwarded += h.forwarded;
    byHour.set(h.hour, s);
  }
  const points = [...byHour.entries()].sort((a, b) => a[0].localeCompare(b[0])).slice(-48);
  const svg = $('chart');
  svg.replaceChildren();
  if (points.length === 0) return;
  const ns = 'http://www.w3.org/2000/svg';
  // Drawn in the element's own pixels, so that points stay round at any width (a phone's or a wide screen's).
  const w = svg.clientWidth || 600, h = 160, step = w / Math.max(points.length, 12);
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const most = Math.max(...points.map(p => p[1].requests));
  let path = '';
  points.forEach(([hour, s], i) => {
    const bar = document.createElementNS(ns, 'rect');
    const bh = (h - 10) * s.requests / most;
    bar.setAttribute('x', i * step + 1); bar.setAttribute('width', Math.max(1, step - 2));
    bar.setAttribute('y', h - bh); bar.setAttribute('height', bh); bar.setAttribute('class', 'bar');
    const title = document.createElementNS(ns, 'title');
    const answered = s.local + s.forwarded;
    const share = answered ? s.local / answered : 0;
    title.textContent = `${hour}: ${s.requests} requests, ${percent(share)} local`;
    bar.appendChild(title);
    svg.appendChild(bar);
    const x = i * step + step / 2, y = h - 5 - (h - 10) * share;
    path += (i ? ' L ' : 'M ') + x.toFixed(1) + ' ' + y.toFixed(1);
    const dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('cx', x); dot.setAttribute('cy', y); dot.setAttribute('r', 3); dot.setAttribute('class', 'point');
    svg.appendChild(dot);
  });
  const line = document.createElementNS(ns, 'path');
  line.setAttribute('d', path); line.setAttribute('class', 'line');
  svg.appendChild(line);
}

// Teacher calls, their mean latency and failures, from the Prometheus text of /metrics (admin, like the usage).
async function refreshTeacher() {
  let r;
  try {
    r = await fetch('/metrics', { headers: headers() });
  } catch (e) {
    return;
  }
  if (!r.ok) return;
  let count = 0, sum = 0, failed = 0;
  for (const line of (await r.text()).split('\n')) {
    const m = line.match(/^shammah_upstream_latency_seconds_(count|sum)\{([^}]*)\}\s+(\S+)/);
    if (!m) continue;
    const status = (m[2].match(/status="(\d+)"/) || [])[1];
    const v = parseFloat(m[3]);
    if (m[1] === 'count') {
      count += v;
      if (status === '0' || Number(status) >= 500) failed += v;
    } else {
      sum += v;
    }
  }
  $('teacher').textContent = count
    ? `${count} calls · mean ${(1000 * sum / count).toFixed(0)} ms · ${failed} failed`
    : 'no calls yet';
}

async function refreshHealth() {
  try {
    const r = await fetch('/health');
    const h = await r.json();
    $('health').textContent = 'health: ' + h.status;
    $('health').className = 'pill ' + (h.status === 'healthy' || h.status === 'UP' ? 'up' : 'down');
    const list = $('checks');
    list.replaceChildren();
    for (const [name, c] of Object.entries(h.checks || {})) {
      const li = document.createElement('li');
      li.textContent = `${name}: ${c.status}`;
      if (c.status !== 'UP') li.className = 'down';
      list.appendChild(li);
    }
  } catch (e) {
    $('health').textContent = 'health: unreachable';
    $('health').className = 'pill down';
  }
}

async function refresh() {
  refreshHealth();
  let r;
  try {
    r = await fetch('/admin/usage', { headers: headers() });
  } catch (e) {
    $('updated').textContent = 'the daemon is unreachable';
    return;
  }
  if (r.status === 401 || r.status === 403) {
    $('report').hidden = true;
    $('login').hidden = false;
    if (sessionStorage.getItem(KEY)) {
      $('login-error').textContent = 'That key is not an admin key of this daemon.';
    }
    return;
  }
  const u = await r.json();
  await Promise.all([refreshMemory(), refreshModels(), refreshEvidence(u.tenants)]);
  $('login').hidden = true;
  $('report').hidden = false;
  const t = u.totals;
  $('requests').textContent = t.requests;
  $('local-share').textContent = percent(t.local_share);
  $('saved').textContent = money(t.saved_usd);
  $('spent').textContent = money(t.spent_usd);
  drawTenants(u.tenants);
  drawChart(u.hours);
  refreshTeacher();
  // With a shared store the figures are every instance's; when the others' cannot be read, say so.
  $('partial').hidden = !u.partial;
  $('partial').textContent = u.partial ? 'This instance only: ' + u.partial : '';
  $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}

$('login').addEventListener('submit', e => {
  e.preventDefault();
  sessionStorage.setItem(KEY, $('key').value);
  $('key').value = '';
  refresh();
});

window.addEventListener('resize', () => drawChart(lastHours));
refresh();
setInterval(refresh, 5000);
