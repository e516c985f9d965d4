// The local dashboard of chargeback-cdc: polls /dashboard/data and draws the catalogue's widgets
// as SVG line charts, the headline figures, the alarms and the latest landed files. Plain JS, no
// build step. The layout (widgets, series, units, alarm thresholds) comes from the server, which
// takes it from pipeline/metrics — nothing here names a threshold.

const WINDOW_MS = 10 * 60_000; // charts show the last 10 minutes (less while the history is shorter, at least 1)
const MIN_WINDOW_MS = 60_000;
const RATE_WINDOW_MS = 10_000; // rates are averaged over 10 s
const KEEP_MS = 30 * 60_000;
const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const EXPECTED_COMPONENTS = ['api', 'poller', 'writer'];
const SVG_NS = 'http://www.w3.org/2000/svg';

const state = { layout: undefined, points: [], last: undefined, data: undefined, failures: 0 };

// ── formatting ────────────────────────────────────────────────────────────────
const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function fmtCount(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return `${nf.format(v / 1e9)}G`;
  if (a >= 1e6) return `${nf.format(v / 1e6)}M`;
  if (a >= 1e4) return `${nf.format(v / 1e3)}k`;
  return a >= 100 || Number.isInteger(v) ? nf0.format(v) : nf.format(v);
}
function fmtBytes(v) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? nf0.format(v) : nf.format(v)} ${units[i]}`;
}
function fmtMs(v) {
  if (Math.abs(v) < 10) return `${nf.format(v)} ms`;
  if (Math.abs(v) < 1000) return `${nf0.format(v)} ms`;
  if (Math.abs(v) < 120_000) return `${nf.format(v / 1000)} s`;
  return `${nf.format(v / 60_000)} min`;
}
function fmt(v, unit, perSecond = false) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  const s =
    unit === 'Bytes' ? fmtBytes(v) : unit === 'Milliseconds' ? fmtMs(v) : unit === 'Seconds' ? fmtMs(v * 1000) : fmtCount(v);
  return perSecond ? `${s}/s` : s;
}
function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}
function human(metric) {
  const words = metric.replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  return words
    .map((w, i) => (/^(Dlq|Api)$/.test(w) ? w.toUpperCase() : i === 0 || w === 'Kafka' ? w : w.toLowerCase()))
    .join(' ');
}
const comparisonSign = { GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '≥', LessThanThreshold: '<' };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== null) e.append(c);
  return e;
}
function svg(tag, attrs = {}) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

// ── series from history points ────────────────────────────────────────────────
function keysOf(metric, kind) {
  const keys = new Set();
  for (const p of state.points) {
    for (const k of Object.keys(p.v)) {
      if (kind === 'timing') {
        const base = k.replace(/\.(count|sum)$/, '');
        if (base !== k && (base === metric || base.startsWith(`${metric}{`))) keys.add(base);
      } else if (k === metric || k.startsWith(`${metric}{`)) keys.add(k);
    }
  }
  return [...keys].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** [t, value|undefined][] of one series key, in the series' view. */
function valuesOf(key, view) {
  const pts = state.points;
  const out = [];
  let j = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    if (view === 'value' || view === 'total') {
      out.push([p.t, p.v[key]]);
      continue;
    }
    while (j < i && p.t - pts[j].t > RATE_WINDOW_MS) j++;
    const q = pts[j === i ? Math.max(0, i - 1) : j];
    const dt = (p.t - q.t) / 1000;
    if (view === 'rate') {
      const a = p.v[key];
      const b = q.v[key] ?? 0;
      out.push([p.t, a === undefined || dt <= 0 ? undefined : Math.max(0, a >= b ? (a - b) / dt : a / dt)]);
    } else {
      // average of a timing over the window: Δsum / Δcount
      const dc = (p.v[`${key}.count`] ?? 0) - (q.v[`${key}.count`] ?? 0);
      const ds = (p.v[`${key}.sum`] ?? 0) - (q.v[`${key}.sum`] ?? 0);
      out.push([p.t, dc > 0 ? ds / dc : undefined]);
    }
  }
  return out;
}

/** The latest value of a metric over its dimension values (counters add up, gauges take the largest). */
function latestOf(metric, kind) {
  const p = state.points[state.points.length - 1];
  if (!p) return undefined;
  let found = false;
  let v = kind === 'gauge' ? -Infinity : 0;
  for (const [k, x] of Object.entries(p.v)) {
    if (k !== metric && !k.startsWith(`${metric}{`)) continue;
    found = true;
    v = kind === 'gauge' ? Math.max(v, x) : v + x;
  }
  return found ? v : undefined;
}

function rateOf(metric) {
  const keys = keysOf(metric, 'counter');
  let total;
  for (const k of keys) {
    const vals = valuesOf(k, 'rate');
    const last = vals[vals.length - 1]?.[1];
    if (last !== undefined) total = (total ?? 0) + last;
  }
  return total;
}

// ── rendering ─────────────────────────────────────────────────────────────────
function renderComponents(data) {
  const box = document.getElementById('components');
  box.replaceChildren();
  const live = new Map();
  for (const proc of data.components) for (const c of proc.components) live.set(c, proc.pid);
  for (const c of EXPECTED_COMPONENTS) {
    box.append(
      el('span', {
        class: `chip${live.has(c) ? ' up' : ''}`,
        'data-component': c,
        title: live.has(c) ? `pid ${live.get(c)}` : 'not running',
        text: live.has(c) ? `${c} · ${live.get(c)}` : `${c} · down`,
      }),
    );
  }
  const updated = document.getElementById('updated');
  updated.textContent = `updated ${new Date(data.now).toLocaleTimeString()}`;
  updated.classList.toggle('stale', state.failures > 1);
}

function renderHeadline(data) {
  const box = document.getElementById('headline');
  if (!box.childElementCount) {
    for (const h of state.layout.headline) {
      box.append(
        el(
          'div',
          { class: 'tile', 'data-metric': h.metric, title: h.description },
          el('div', { class: 'label', text: human(h.metric) }),
          el('div', { class: 'value', text: '–' }),
          el('div', { class: 'sub' }),
        ),
      );
    }
  }
  for (const h of state.layout.headline) {
    const tile = box.querySelector(`[data-metric="${h.metric}"]`);
    const v = latestOf(h.metric, h.kind);
    const alarming = data.alarms.filter((a) => a.metric === h.metric && a.state === 'ALARM').map((a) => a.title);
    tile.dataset.value = v === undefined ? '' : String(v);
    tile.querySelector('.value').textContent = v === undefined ? '–' : fmt(v, h.unit);
    const r = h.kind === 'counter' ? rateOf(h.metric) : undefined;
    tile.querySelector('.sub').textContent = alarming.length
      ? `alarm: ${alarming.join(', ')}`
      : r === undefined
        ? 'now'
        : `${fmt(r, h.unit)}/s now`;
    tile.classList.toggle('bad', alarming.length > 0);
  }
}

function renderCharts() {
  const box = document.getElementById('charts');
  if (!box.childElementCount) {
    state.layout.widgets.forEach((w, i) => {
      box.append(
        el(
          'div',
          { class: 'card', 'data-widget': String(i) },
          el('h3', { text: w.title }),
          svg('svg', { viewBox: '0 0 360 150', role: 'img', 'aria-label': w.title }),
          el('div', { class: 'legend' }),
        ),
      );
    });
  }
  state.layout.widgets.forEach((w, i) => {
    drawWidget(box.querySelector(`[data-widget="${i}"]`), w);
  });
}

function drawWidget(card, widget) {
  const lines = [];
  let color = 0;
  for (const s of widget.series) {
    const keys = keysOf(s.metric, s.kind);
    for (const key of keys) {
      const dims = key.includes('{')
        ? key
            .slice(key.indexOf('{') + 1, -1)
            .split(',')
            .filter((d) => !d.startsWith('service='))
            .map((d) => d.replace('=', ' '))
            .join(' ')
        : '';
      lines.push({
        label: dims ? `${s.label} · ${dims}` : s.label,
        unit: s.unit,
        perSecond: s.view === 'rate',
        right: s.yAxis === 'right',
        color: COLORS[color++ % COLORS.length],
        values: valuesOf(key, s.view),
      });
    }
    if (keys.length === 0)
      lines.push({
        label: s.label,
        unit: s.unit,
        perSecond: s.view === 'rate',
        right: s.yAxis === 'right',
        color: COLORS[color++ % COLORS.length],
        values: [],
      });
  }
  drawChart(card.querySelector('svg'), lines, widget.alarm);
  const legend = card.querySelector('.legend');
  legend.replaceChildren(
    ...lines.map((l) => {
      const last = [...l.values].reverse().find(([, v]) => v !== undefined)?.[1];
      return el(
        'span',
        {},
        el('i', { style: `background:${l.color}` }),
        `${l.label}${l.right ? ' (right)' : ''} `,
        el('b', { text: fmt(last, l.unit, l.perSecond) }),
      );
    }),
  );
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function drawChart(root, lines, alarm) {
  const W = 360,
    H = 150,
    top = 8,
    bottom = 18;
  const hasRight = lines.some((l) => l.right);
  const left = 50,
    right = hasRight ? 58 : 8;
  const now = state.last ?? Date.now();
  const span = Math.min(WINDOW_MS, Math.max(MIN_WINDOW_MS, now - (state.points[0]?.t ?? now)));
  const x0 = now - span;
  const x = (t) => left + ((t - x0) / span) * (W - left - right);
  const dataMax = (side) =>
    Math.max(
      0,
      ...lines
        .filter((l) => l.right === side)
        .flatMap((l) => l.values.filter(([t, v]) => t >= x0 && v !== undefined).map(([, v]) => v)),
    );
  // The threshold sets the scale only when the data comes near it; otherwise it is named, off scale.
  const thresholdOnScale = alarm && dataMax(false) >= alarm.threshold * 0.2;
  const ymax = {
    false: niceMax(Math.max(dataMax(false), thresholdOnScale ? alarm.threshold * 1.05 : 0)),
    true: niceMax(dataMax(true)),
  };
  const y = (v, side) => top + (1 - v / ymax[side]) * (H - top - bottom);
  root.replaceChildren();
  const visible = (side) => lines.some((l) => l.right === side && l.values.some(([t, v]) => t >= x0 && v !== undefined));
  for (const f of [0, 0.5, 1]) {
    const yy = top + (1 - f) * (H - top - bottom);
    root.append(svg('line', { x1: left, x2: W - right, y1: yy, y2: yy, stroke: f === 0 ? '#cfd4dc' : '#eef0f4' }));
    const lu = lines.find((l) => !l.right);
    if (lu && (visible(false) || alarm))
      root.append(
        Object.assign(svg('text', { x: left - 6, y: yy + 3, 'text-anchor': 'end' }), {
          textContent: fmt(ymax.false * f, lu.unit, lu.perSecond),
        }),
      );
    const ru = lines.find((l) => l.right);
    if (ru && visible(true))
      root.append(
        Object.assign(svg('text', { x: W - right + 6, y: yy + 3 }), { textContent: fmt(ymax.true * f, ru.unit, ru.perSecond) }),
      );
  }
  const before = (ms) => (ms >= 120_000 ? `−${nf0.format(ms / 60_000)} min` : `−${nf0.format(ms / 1000)} s`);
  for (const [label, t] of [
    [before(span), x0],
    [before(span / 2), x0 + span / 2],
    ['now', now],
  ]) {
    root.append(
      Object.assign(svg('text', { x: x(t), y: H - 4, 'text-anchor': t === x0 ? 'start' : t === now ? 'end' : 'middle' }), {
        textContent: label,
      }),
    );
  }
  if (alarm) {
    const label = `alarm ${comparisonSign[alarm.comparison]} ${fmt(alarm.threshold, lines[0]?.unit)}`;
    if (thresholdOnScale) {
      const yy = y(alarm.threshold, false);
      root.append(
        svg('line', { x1: left, x2: W - right, y1: yy, y2: yy, stroke: '#dc2626', 'stroke-dasharray': '4 3', 'stroke-width': 1 }),
      );
      root.append(
        Object.assign(svg('text', { x: W - right - 4, y: yy - 4, 'text-anchor': 'end', style: 'fill:#dc2626' }), {
          textContent: label,
        }),
      );
    } else {
      root.append(
        Object.assign(svg('text', { x: W - right - 4, y: top + 10, 'text-anchor': 'end', style: 'fill:#dc2626' }), {
          textContent: `${label} (off scale)`,
        }),
      );
    }
  }
  let drawn = 0;
  for (const l of lines) {
    let seg = [];
    const flush = () => {
      if (seg.length > 1)
        root.append(
          svg('polyline', {
            points: seg.join(' '),
            fill: 'none',
            stroke: l.color,
            'stroke-width': 1.6,
            'stroke-linejoin': 'round',
          }),
        );
      else if (seg.length === 1)
        root.append(svg('circle', { cx: seg[0].split(',')[0], cy: seg[0].split(',')[1], r: 2, fill: l.color }));
      seg = [];
    };
    for (const [t, v] of l.values) {
      if (t < x0) continue;
      if (v === undefined) flush();
      else {
        seg.push(`${x(t).toFixed(1)},${y(v, l.right).toFixed(1)}`);
        drawn++;
      }
    }
    flush();
  }
  if (!drawn)
    root.append(
      Object.assign(svg('text', { x: (left + W - right) / 2, y: H / 2, 'text-anchor': 'middle' }), {
        textContent: 'no data yet',
      }),
    );
}

function renderAlarms(data) {
  const body = document.querySelector('#alarms tbody');
  body.replaceChildren(
    ...data.alarms.map((a) => {
      const unit = state.layout.metrics[a.metric]?.unit;
      const isCounter = state.layout.metrics[a.metric]?.kind === 'counter';
      const period = a.period >= 60 ? `${a.period / 60} min` : `${a.period} s`;
      const cond = `${a.statistic}${isCounter ? ' of the increase' : ''} ${comparisonSign[a.comparison]} ${fmt(a.threshold, unit)} in ${a.datapointsToAlarm} of ${a.evaluationPeriods} × ${period}`;
      return el(
        'tr',
        { 'data-alarm': a.key, 'data-state': a.state, title: a.description },
        el('td', {}, el('span', { class: `state ${a.state}`, text: a.state === 'INSUFFICIENT_DATA' ? 'NO DATA' : a.state })),
        el(
          'td',
          {},
          el('div', { class: 'alarm-title', text: a.title }),
          el('div', { class: 'alarm-cond', text: cond }),
          el('div', { class: 'alarm-src', text: `CloudWatch ${a.cloudWatch} · here ${a.metric}` }),
        ),
        el('td', { class: 'num', text: `${comparisonSign[a.comparison]} ${fmt(a.threshold, unit)}` }),
        el('td', { class: 'num', text: fmt(a.value, unit) }),
      );
    }),
  );
}

function renderFiles(data) {
  const l = data.landing;
  document.getElementById('landing-summary').textContent = l.updatedAt
    ? `${fmtCount(l.totalFiles)} files · ${fmtBytes(l.totalBytes)} in the landing zone`
    : '';
  document.getElementById('landing-error').textContent = l.error ?? '';
  const body = document.querySelector('#files tbody');
  if (!l.latest.length) {
    body.replaceChildren(
      el('tr', {}, el('td', { colspan: '4', class: 'muted', text: l.updatedAt ? 'nothing has landed yet' : 'listing…' })),
    );
    return;
  }
  body.replaceChildren(
    ...l.latest.map((f) =>
      el(
        'tr',
        { 'data-key': f.key },
        el(
          'td',
          { class: 'file' },
          el('a', { href: `#file=${encodeURIComponent(f.key)}`, class: 'mono', title: f.key, text: f.name }),
          el('div', { class: 'where', text: `bucket ${f.bucket}` }),
        ),
        el('td', { class: 'num', 'data-rows': f.rows ?? '', text: f.rows === undefined ? '…' : fmtCount(f.rows) }),
        el('td', { class: 'num', text: fmtBytes(f.size) }),
        el('td', { class: 'num', text: ago(f.lastModified) }),
      ),
    ),
  );
}

// ── the inspect view (what `chargeback-cdc inspect s3://…` prints) ─────────────
async function renderInspect() {
  const overlay = document.getElementById('inspect');
  const m = /^#file=(.+)$/.exec(location.hash);
  if (!m) {
    overlay.hidden = true;
    return;
  }
  const key = decodeURIComponent(m[1]);
  const panel = overlay.querySelector('.panel');
  overlay.hidden = false;
  panel.replaceChildren(
    el('a', { href: '#', class: 'close', text: '✕ close' }),
    el('h2', { text: key }),
    el('p', { class: 'muted', text: 'reading…' }),
  );
  const res = await fetch(`/dashboard/file?key=${encodeURIComponent(key)}`);
  const f = await res.json();
  if (!res.ok) {
    panel.replaceChildren(
      el('a', { href: '#', class: 'close', text: '✕ close' }),
      el('h2', { text: key }),
      el('p', { class: 'error', text: f.message }),
    );
    return;
  }
  const columns = f.schema.map((c) => c.name);
  panel.replaceChildren(
    el('a', { href: '#', class: 'close', text: '✕ close' }),
    el(
      'h2',
      { 'data-testid': 'inspect-title' },
      el('span', { class: 'mono', text: f.key }),
      el('small', { text: `${f.numRows} row(s) · ${fmtBytes(f.size)}` }),
    ),
    el('h3', { text: 'Schema' }),
    el(
      'table',
      { class: 'schema' },
      el('thead', {}, el('tr', {}, ...['column', 'physical', 'logical', 'repetition'].map((h) => el('th', { text: h })))),
      el(
        'tbody',
        {},
        ...f.schema.map((c) =>
          el(
            'tr',
            {},
            el('td', { class: 'mono', text: c.name }),
            el('td', { text: c.physicalType }),
            el('td', { text: c.logicalType ?? '' }),
            el('td', { text: c.repetition }),
          ),
        ),
      ),
    ),
    el('h3', { text: `Rows${f.more ? ` (first ${f.rows.length}; ${f.more} more)` : ''}` }),
    el(
      'div',
      { class: 'rows' },
      el(
        'table',
        { 'data-testid': 'inspect-rows' },
        el('thead', {}, el('tr', {}, ...columns.map((h) => el('th', { text: h })))),
        el(
          'tbody',
          {},
          ...f.rows.map((r) =>
            el(
              'tr',
              {},
              ...columns.map((c) => el('td', { class: c === 'amount' ? 'num' : '', text: r[c] === null ? '∅' : String(r[c]) })),
            ),
          ),
        ),
      ),
    ),
  );
}

// ── polling ───────────────────────────────────────────────────────────────────
async function poll() {
  try {
    const res = await fetch(state.last === undefined ? '/dashboard/data' : `/dashboard/data?since=${state.last}`, {
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const data = await res.json();
    if (data.layout) state.layout = data.layout;
    state.points.push(...data.points);
    const cutoff = data.now - KEEP_MS;
    while (state.points.length && state.points[0].t < cutoff) state.points.shift();
    if (state.points.length) state.last = state.points[state.points.length - 1].t;
    state.data = data;
    state.failures = 0;
    if (!state.layout) return;
    renderComponents(data);
    renderHeadline(data);
    renderCharts();
    renderAlarms(data);
    renderFiles(data);
    document.body.dataset.ready = 'true';
  } catch (e) {
    state.failures++;
    const updated = document.getElementById('updated');
    updated.textContent = `cannot reach the API process (${e.message}); retrying`;
    updated.classList.add('stale');
  } finally {
    setTimeout(poll, state.layout?.sampleMs ?? 2000);
  }
}

window.addEventListener('hashchange', () => void renderInspect());
document.getElementById('inspect').addEventListener('click', (e) => {
  if (e.target.id === 'inspect') location.hash = '';
});
void renderInspect();
void poll();
