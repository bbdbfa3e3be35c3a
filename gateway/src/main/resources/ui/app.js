// promgate status page: plain JS, no build step. Reads /ui/status, /metrics, /api/v1/explain, /api/v1/query.
'use strict';
// Relative URLs: the page also works under /tenant/<id>/ and behind a path prefix.
const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const when = (sec) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

function row(cells) {
  return '<tr>' + cells.map((c) => '<td>' + c + '</td>').join('') + '</tr>';
}

// Minimal parser of Prometheus' text format: [{name, labels, value}].
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/);
    if (!m || line.startsWith('#')) continue;
    const labels = {};
    (m[3] || '').replace(/(\w+)="((?:[^"\\]|\\.)*)"/g, (_, k, v) => { labels[k] = v; });
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

async function loadStatus() {
  const [st, metricsText] = await Promise.all([
    fetch(base + 'ui/status').then((r) => r.json()),
    fetch('/metrics').then((r) => (r.ok ? r.text() : '')).catch(() => ''),
  ]);
  const s = st.data;
  const metrics = parseMetrics(metricsText);
  $('version').textContent = 'v' + s.version;
  $('tenant').textContent = s.tenant;
  const breaker = {};
  metrics.filter((m) => m.name === 'promgate_backend_circuit_breaker_state' && m.value === 1)
    .forEach((m) => { breaker[m.labels.backend] = m.labels.state; });
  $('backends').tBodies[0].innerHTML = s.backends.map((b) => row([
    '<b>' + esc(b.name) + '</b>', esc(b.type), '<span class="mono">' + esc(b.target) + '</span>',
    Object.entries(b.externalLabels).map(([k, v]) => '<code>' + esc(k) + '="' + esc(v) + '"</code>').join(' ') || '—',
    b.healthy ? '<span class="ok">up</span>' : '<span class="bad" title="' + esc(b.error || '') + '">down</span>',
    breaker[b.name] ? '<span class="' + (breaker[b.name] === 'closed' ? 'ok' : 'bad') + '">' + breaker[b.name] + '</span>' : '<span class="muted">not used yet</span>',
    b.latencyMs.toFixed(1) + ' ms',
  ])).join('');
  $('routes').tBodies[0].innerHTML = s.routes.map((r) => row([
    esc(r.key), esc(r.tenants.join(', ')),
    r.windows.map((w) => esc(w.window) + ' → <b>' + esc(w.backends.join(', ')) + '</b>').join('<br>'),
  ])).join('');
  const tenants = {};
  const storeFigures = ['promgate_store_head_series', 'promgate_store_blocks', 'promgate_store_samples_accepted_total',
    'promgate_store_head_min_time_seconds', 'promgate_store_head_max_time_seconds'];
  metrics.filter((m) => storeFigures.includes(m.name)).forEach((m) => {
    tenants[m.labels.tenant] = tenants[m.labels.tenant] || {};
    tenants[m.labels.tenant][m.name] = m.value;
  });
  $('store').tBodies[0].innerHTML = Object.entries(tenants).map(([t, v]) => row([
    '<span class="mono">' + esc(t) + '</span>', v.promgate_store_head_series ?? '—', v.promgate_store_blocks ?? '—',
    v.promgate_store_samples_accepted_total ?? '—',
    v.promgate_store_head_min_time_seconds === undefined ? '—'
      : when(v.promgate_store_head_min_time_seconds) + ' → ' + when(v.promgate_store_head_max_time_seconds),
  ])).join('') || row(['<span class="muted">no store, or nothing written yet</span>', '', '', '', '']);
  $('storage').textContent = s.storage ? 'path ' + s.storage.path + ', retention ' + s.storage.retention
    + ', head window ' + s.storage.headWindow : 'stateless (no bundled store)';
}

function renderExplain(d) {
  let h = '<h2>Plan</h2><div class="muted">canonical: <code>' + esc(d.query) + '</code></div>';
  h += '<table><thead><tr><th>selector</th><th>range</th><th>backends (series / samples)</th><th>pruned</th></tr></thead><tbody>';
  for (const p of d.plan) {
    h += row([
      '<code>' + esc(p.selector) + '</code>',
      when(p.range.start) + '<br>' + when(p.range.end),
      p.backends.map((b) => '<b>' + esc(b.name) + '</b> ' + (b.error ? '<span class="bad">failed: ' + esc(b.error) + '</span>'
        : b.series + ' / ' + b.samples)).join('<br>') || '<span class="muted">none</span>',
      p.pruned.map((x) => esc(x.name) + ': ' + esc(x.reason)).join('<br>') || '—',
    ]);
  }
  h += '</tbody></table>';
  if (d.diagnoses.length === 0) {
    h += '<div class="fine">Every selector matched data.</div>';
  }
  for (const x of d.diagnoses) {
    h += '<div class="diag"><span class="code">' + esc(x.code) + '</span> <code>' + esc(x.selector) + '</code><br>'
      + esc(x.message) + (x.suggestions.length ? '<ul>' + x.suggestions.map((s) => '<li>try <code>' + esc(s)
      + '</code></li>').join('') + '</ul>' : '') + '</div>';
  }
  $('explain').innerHTML = h;
}

function renderResult(r) {
  if (r.status !== 'success') {
    $('result').innerHTML = '<div class="diag">' + esc(r.errorType) + ': ' + esc(r.error) + '</div>';
    return;
  }
  const res = r.data.result;
  let h = '<h2>Result <small class="muted">' + esc(r.data.resultType) + ', ' + (Array.isArray(res) ? res.length : 1) + '</small></h2>';
  if (Array.isArray(res) && res.length) {
    h += '<table><thead><tr><th>series</th><th>value</th></tr></thead><tbody>';
    for (const s of res.slice(0, 200)) {
      const labels = Object.entries(s.metric).map(([k, v]) => k + '="' + v + '"').join(', ');
      h += row(['<code>{' + esc(labels) + '}</code>', esc(s.value ? s.value[1] : s.values[s.values.length - 1][1])]);
    }
    h += '</tbody></table>';
  } else if (!Array.isArray(res)) {
    h += '<code>' + esc(res[1]) + '</code>';
  } else {
    h += '<div class="muted">empty</div>';
  }
  $('result').innerHTML = h;
}

$('query-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const q = $('query').value.trim();
  if (!q) return;
  const body = new URLSearchParams({ query: q });
  $('explain').innerHTML = '<div class="muted">explaining…</div>';
  $('result').innerHTML = '';
  const post = (path) => fetch(base + path, { method: 'POST', body }).then((r) => r.json());
  const [ex, res] = await Promise.all([post('api/v1/explain'), post('api/v1/query')]);
  if (ex.status === 'success') {
    renderExplain(ex.data);
  } else {
    $('explain').innerHTML = '<div class="diag"><span class="code">' + esc(ex.errorType) + '</span> ' + esc(ex.error) + '</div>';
  }
  renderResult(res);
});
$('query').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); $('query-form').requestSubmit(); }
});

loadStatus().catch((e) => { $('version').textContent = '(status unavailable: ' + e + ')'; });
