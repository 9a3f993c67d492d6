// The dashboard: reads the summary API of its own origin and draws it. Log text only ever reaches the page
// through textContent, so a message such as <img src=x onerror=...> stays text.

const QUERIES = ['volume-by-day', 'events-by-logtype', 'errors-by-hour', 'events-by-source', 'top-messages'];
const KEY_STORAGE = 'quarry.readKey';
const DAY_MS = 86_400_000;
/** Colours that mean something: an error is red and a warning amber on every load, whatever else is there. */
const LOGTYPE_COLOURS = { error: '#c53030', fatal: '#822727', warn: '#dd8a0b', warning: '#dd8a0b',
  info: '#4a7fb5', debug: '#a0aec0', trace: '#cbd5e0' };
/** Every other logtype takes one of these by its name (no red or amber among them), the same on every reload. */
const PALETTE = ['#2f855a', '#6b46c1', '#2c7a7b', '#97266d', '#5a67d8', '#38a169', '#805ad5', '#319795'];
/** Even when an answer may be cached for less, the page asks no more often than this. */
const MIN_REFRESH_S = 10;
/** After a 503 or no answer at all, whatever the range. */
const RETRY_S = 30;

const cache = new Map(); // url -> {etag, body}
const charts = new Map();
// The charts by panel id, for the browser console and the browser tests (their scales and data).
window.quarryCharts = charts;
let refreshTimer = null;

const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const today = () => utcDay(Date.now());

function readState() {
  const params = new URLSearchParams(location.search);
  const to = params.get('to') || today();
  const from = params.get('from') || utcDay(Date.parse(to) - 6 * DAY_MS);
  return {
    from, to,
    source: params.get('source') || '',
    logtype: params.get('logtype') || '',
    limit: params.get('limit') || '10',
  };
}

function writeState(state) {
  // The Logs panel's own state (logs.js) stays, but for a narrower range opened from a summary.
  const params = new URLSearchParams(location.search);
  for (const name of ['from', 'to', 'source', 'logtype', 'limit', 'logsFrom', 'logsTo']) params.delete(name);
  for (const name of ['from', 'to', 'source', 'logtype', 'limit']) {
    if (state[name] && !(name === 'limit' && state[name] === '10')) params.set(name, state[name]);
  }
  history.pushState(null, '', `${location.pathname}?${params}`);
  window.dispatchEvent(new Event('quarry:statechange'));
}

/** The page's URL with these changes, opening the Logs panel (logs.js) on the records behind a summary row. */
function logsHref(changes) {
  const params = new URLSearchParams(location.search);
  for (const name of ['logsFrom', 'logsTo', 'q']) params.delete(name);
  for (const [name, value] of Object.entries(changes)) params.set(name, value);
  return `${location.pathname}?${params}#logs`;
}

function logsLink(text, changes, tag = 'a') {
  const link = el('a', tag === 'a' ? text : undefined, 'to-logs');
  if (tag !== 'a') link.append(el(tag, text));
  link.href = logsHref(changes);
  link.title = 'Show these records';
  return link;
}

function openLogs(href) {
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
  document.getElementById('logs').scrollIntoView();
}

const nextHour = (hour) => new Date(Date.parse(hour) + 3_600_000).toISOString().replace('.000Z', 'Z');

/** The colour of a logtype: its meaning's, else a palette entry chosen by a hash of its name. */
function logtypeColour(logtype) {
  if (Object.hasOwn(LOGTYPE_COLOURS, logtype)) return LOGTYPE_COLOURS[logtype];
  let hash = 0;
  for (const c of logtype) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** errors-by-hour counts logtype error only: a logtype filter reaches it only when it is 'error' (a no-op). */
const ERRORS_ONLY = 'errors-by-hour';

function summaryUrl(query, state) {
  const params = new URLSearchParams({ from: state.from, to: state.to });
  if (state.source) params.set('source', state.source);
  if (state.logtype && (query !== ERRORS_ONLY || state.logtype === 'error')) params.set('logtype', state.logtype);
  if (query === 'top-messages') params.set('limit', state.limit);
  return `summary/${query}?${params}`;
}

function maxAge(response) {
  const match = /(?:^|,)\s*max-age=(\d+)/.exec(response.headers.get('Cache-Control') || '');
  return match ? Number(match[1]) : null;
}

/** One summary: {status, body, maxAge}; a 304 answers with the body kept from the last 200. */
async function fetchSummary(url) {
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers.Authorization = `Bearer ${key}`;
  const kept = cache.get(url);
  if (kept) headers['If-None-Match'] = kept.etag;
  let response;
  try {
    response = await fetch(url, { headers, credentials: 'same-origin' });
  } catch (e) {
    return { status: 0, body: { detail: `The server cannot be reached (${e.message}).` } };
  }
  if (response.status === 304 && kept) return { status: 200, body: kept.body, maxAge: maxAge(response) };
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { detail: `The server answered ${response.status} without JSON.` };
  }
  if (response.status === 200 && response.headers.get('ETag')) {
    cache.set(url, { etag: response.headers.get('ETag'), body });
  }
  return { status: response.status, body, maxAge: maxAge(response) };
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function fillTable(tbody, rows, columns) {
  tbody.replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    for (const column of columns) {
      const value = typeof column === 'function' ? column(row) : row[column];
      tr.append(value instanceof Node ? wrapCell(value) : el('td', value));
    }
    return tr;
  }));
}

function wrapCell(node) {
  const td = document.createElement('td');
  td.append(node);
  return td;
}

function showMessage(section, text) {
  const message = section.querySelector('.message');
  message.textContent = text;
  message.hidden = !text;
}

function clearPanel(section) {
  section.querySelector('table.numbers tbody').replaceChildren();
  const chart = charts.get(section.id);
  if (chart) {
    chart.destroy();
    charts.delete(section.id);
  }
}

function problemText(result) {
  const detail = result.body && typeof result.body.detail === 'string' ? result.body.detail : '';
  if (result.status === 400) return `The range or a filter is not accepted: ${detail}`;
  if (result.status === 503) return `The summaries are busy or unavailable; the page retries shortly. ${detail}`;
  if (result.status === 0) return detail;
  return `The server answered ${result.status}. ${detail}`;
}

function days(state) {
  const out = [];
  for (let t = Date.parse(state.from); t <= Date.parse(state.to); t += DAY_MS) out.push(t / 1000);
  return out;
}

function hours(state) {
  const out = [];
  const end = Math.min(Date.parse(state.to) + DAY_MS, Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  for (let t = Date.parse(state.from); t < end; t += 3_600_000) out.push(t / 1000);
  return out;
}

function chartWidth(section) {
  return Math.max(280, section.querySelector('.chart').clientWidth || section.clientWidth - 16);
}

function draw(section, options, data) {
  const old = charts.get(section.id);
  if (old) old.destroy();
  const target = section.querySelector('.chart');
  // Every axis is in UTC, as the summaries are.
  // Counts start at zero on every chart: an axis from the smallest bar would make small differences look large.
  const chart = new window.uPlot({ width: chartWidth(section), height: 220,
    tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { y: { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] } }, ...options }, data, target);
  charts.set(section.id, chart);
}

const dayAxis = { values: (u, splits) => splits.map((s) => utcDay(s * 1000).slice(5)) };
const daySeries = { label: 'Day', value: (u, v) => (v == null ? '' : utcDay(v * 1000)) };
const bars = () => window.uPlot.paths.bars({ size: [0.7, 48] });

function renderVolume(section, body, state) {
  fillTable(section.querySelector('table.numbers tbody'), body.rows, ['dt', 'events']);
  const x = days(state);
  const byDay = new Map(body.rows.map((r) => [Date.parse(r.dt) / 1000, r.events]));
  const total = body.rows.reduce((sum, r) => sum + r.events, 0);
  draw(section, {
    axes: [dayAxis, {}],
    // Without a day under the cursor the legend shows the count over the whole range.
    series: [{ ...daySeries, value: (u, v) => (v == null ? `${state.from} to ${state.to}` : utcDay(v * 1000)) },
      { label: 'events', fill: '#2b6cb0aa', stroke: '#2b6cb0', paths: bars(), points: { show: false },
        value: (u, v, si, i) => (i == null ? total : v) }],
  }, [x, x.map((d) => byDay.get(d) ?? 0)]);
}

function renderLogtypes(section, body, state) {
  fillTable(section.querySelector('table.numbers tbody'), body.rows, ['dt',
    (row) => logsLink(row.logtype, { logtype: row.logtype, logsFrom: row.dt, logsTo: row.dt }), 'events']);
  const x = days(state);
  const logtypes = [...new Set(body.rows.map((r) => r.logtype))].sort();
  const raw = logtypes.map(() => x.map(() => 0));
  const index = new Map(x.map((d, i) => [d, i]));
  for (const row of body.rows) {
    const i = index.get(Date.parse(row.dt) / 1000);
    if (i !== undefined) raw[logtypes.indexOf(row.logtype)][i] = row.events;
  }
  // uPlot has no stacking: each series is drawn as the running total, the tallest first, so the shorter
  // bars in front leave each logtype's own band visible; the legend shows the logtype's own count.
  const stacked = raw.map((_, k) => x.map((__, i) => raw.slice(0, k + 1).reduce((sum, s) => sum + s[i], 0)));
  const order = logtypes.map((_, k) => k).reverse();
  // Without a day under the cursor the legend shows the logtype's count over the whole range.
  const totals = raw.map((series) => series.reduce((sum, v) => sum + v, 0));
  draw(section, {
    axes: [dayAxis, {}],
    series: [{ ...daySeries, value: (u, v) => (v == null ? `${state.from} to ${state.to}` : utcDay(v * 1000)) },
      ...order.map((k) => ({
        label: logtypes[k],
        fill: logtypeColour(logtypes[k]),
        stroke: logtypeColour(logtypes[k]),
        paths: bars(),
        points: { show: false },
        value: (u, v, si, i) => (i == null ? totals[k] : raw[k][i]),
      }))],
  }, [x, ...order.map((k) => stacked[k])]);
}

function renderErrors(section, body, state) {
  const note = section.querySelector('.note');
  note.textContent = state.logtype && state.logtype !== 'error'
    ? `Counts logtype error only: the logtype filter '${state.logtype}' does not apply to this panel.` : '';
  note.hidden = !note.textContent;
  const hourLogs = (hour) => ({ logtype: 'error', logsFrom: hour, logsTo: nextHour(hour) });
  fillTable(section.querySelector('table.numbers tbody'), body.rows, [(row) => logsLink(row.hour, hourLogs(row.hour)),
    'events']);
  const x = hours(state);
  const byHour = new Map(body.rows.map((r) => [Date.parse(r.hour) / 1000, r.events]));
  const total = body.rows.reduce((sum, r) => sum + r.events, 0);
  draw(section, {
    axes: [{ values: (u, splits) => splits.map((s) => {
      const iso = new Date(s * 1000).toISOString();
      return iso.slice(11, 13) === '00' ? iso.slice(5, 10) : iso.slice(11, 16);
    }) }, {}],
    series: [{ label: 'Hour', value: (u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 13) + ':00Z') },
      { label: 'errors', stroke: logtypeColour('error'), width: 2, points: { show: false },
        value: (u, v, si, i) => (i == null ? total : v) }],
    // A click on the chart opens the errors of the hour under the cursor.
    hooks: { ready: [(u) => u.over.addEventListener('click', () => {
      if (u.cursor.idx == null) return;
      const hour = new Date(u.data[0][u.cursor.idx] * 1000).toISOString().replace('.000Z', 'Z');
      openLogs(logsHref(hourLogs(hour)));
    })] },
  }, [x, x.map((h) => byHour.get(h) ?? 0)]);
}

function renderSources(section, body) {
  fillTable(section.querySelector('table.numbers tbody'), body.rows, [(row) => logsLink(row.source,
    { source: row.source }), 'events', 'errors', (row) => {
    const share = row.events ? row.errors / row.events : 0;
    const wrap = el('span', undefined, 'share');
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = 1;
    meter.value = share;
    meter.setAttribute('aria-hidden', 'true');
    wrap.append(meter, el('span', `${(share * 100).toFixed(1)} %`));
    return wrap;
  }]);
}

function renderMessages(section, body, state) {
  // The records behind a top message: its logtype (error unless the page filters another) and its text, as far as
  // a search's q takes it (200 characters).
  fillTable(section.querySelector('table.numbers tbody'), body.rows, ['events', (row) => logsLink(row.message,
    { logtype: state.logtype || 'error', q: [...row.message].slice(0, 200).join('') }, 'pre')]);
}

const RENDER = {
  'volume-by-day': renderVolume,
  'events-by-logtype': renderLogtypes,
  'errors-by-hour': renderErrors,
  'events-by-source': renderSources,
  'top-messages': renderMessages,
};

function askForKey(message) {
  const form = document.getElementById('key');
  form.hidden = false;
  document.getElementById('status').textContent = message;
  form.elements.key.focus();
}

async function load() {
  clearTimeout(refreshTimer);
  const state = readState();
  syncForm(state);
  const status = document.getElementById('status');
  status.textContent = 'Loading…';
  const results = await Promise.all(QUERIES.map((q) => fetchSummary(summaryUrl(q, state))));
  if (results.some((r) => r.status === 401)) {
    const refused = sessionStorage.getItem(KEY_STORAGE) !== null;
    sessionStorage.removeItem(KEY_STORAGE);
    for (const q of QUERIES) clearPanel(document.getElementById(q));
    askForKey(refused ? 'That reader key was refused; try another.'
      : 'A reader key is required to read these summaries.');
    return;
  }
  document.getElementById('key').hidden = true;
  let generated = '';
  let refreshS = null;
  let storeEmpty = false;
  let retry = false;
  results.forEach((result, i) => {
    const section = document.getElementById(QUERIES[i]);
    if (result.status !== 200) {
      clearPanel(section);
      showMessage(section, problemText(result));
      if (result.status === 503 || result.status === 0) retry = true;
      return;
    }
    const { body } = result;
    if (body.generatedAt > generated) generated = body.generatedAt;
    if (result.maxAge != null) refreshS = Math.min(refreshS ?? Infinity, result.maxAge);
    if (QUERIES[i] === 'volume-by-day' && body.rows.length === 0) storeEmpty = true;
    showMessage(section, body.rows.length === 0 ? 'Nothing in this range.' : '');
    RENDER[QUERIES[i]](section, body, state);
  });
  footnoteErrors(results, state);
  const time = document.getElementById('generated-at');
  time.textContent = generated || '—';
  time.dateTime = generated;
  status.textContent = storeEmpty && !state.source && !state.logtype
    ? `No records between ${state.from} and ${state.to}. Send a first one: curl -H 'Content-Type: application/json' `
      + `-d '{"source":"web-1","logtype":"info","message":"hello"}' ${location.origin}/logs`
    : '';
  // A range that includes today still changes; closed ranges are final, so they are not polled.
  if (retry) {
    refreshTimer = setTimeout(load, RETRY_S * 1000);
  } else if (state.to >= today() && refreshS != null) {
    refreshTimer = setTimeout(load, Math.max(refreshS, MIN_REFRESH_S) * 1000);
  }
}

/**
 * errors-by-hour counts records by their timestamp's hour within the range, the other panels by the day they are
 * filed under: a record filed under a day of the range with a timestamp outside it (outside the recency window) is
 * in no hour here. Said under the panel when it happens (docs/summary-api.md).
 */
function footnoteErrors(results, state) {
  const footnote = document.querySelector(`#${ERRORS_ONLY} .footnote`);
  const [byLogtype, byHour] = ['events-by-logtype', ERRORS_ONLY].map((q) => results[QUERIES.indexOf(q)]);
  let missing = 0;
  if (byLogtype.status === 200 && byHour.status === 200 && (!state.logtype || state.logtype === 'error')) {
    const filed = byLogtype.body.rows.filter((r) => r.logtype === 'error').reduce((sum, r) => sum + r.events, 0);
    missing = filed - byHour.body.rows.reduce((sum, r) => sum + r.events, 0);
  }
  footnote.textContent = missing > 0
    ? `${missing} of the errors filed under these days ${missing === 1 ? 'has a timestamp' : 'have timestamps'} `
      + 'outside them (sent late or early, outside the recency window), so no hour here counts '
      + `${missing === 1 ? 'it' : 'them'}; the other panels count ${missing === 1 ? 'it' : 'them'} by the day filed.`
    : '';
  footnote.hidden = missing <= 0;
}

function syncForm(state) {
  const form = document.getElementById('filters');
  for (const name of ['from', 'to', 'source', 'logtype']) form.elements[name].value = state[name];
  form.elements.limit.value = state.limit;
}

function init() {
  const form = document.getElementById('filters');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = form.elements;
    writeState({ from: f.from.value, to: f.to.value, source: f.source.value.trim(),
      logtype: f.logtype.value.trim(), limit: f.limit.value });
    load();
  });
  form.elements.limit.addEventListener('change', () => form.requestSubmit());
  for (const button of form.querySelectorAll('[data-days]')) {
    button.addEventListener('click', () => {
      const to = today();
      form.elements.to.value = to;
      form.elements.from.value = utcDay(Date.parse(to) - (Number(button.dataset.days) - 1) * DAY_MS);
      form.requestSubmit();
    });
  }
  document.getElementById('key').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = event.target.elements.key;
    sessionStorage.setItem(KEY_STORAGE, input.value);
    input.value = '';
    load();
  });
  window.addEventListener('popstate', load);
  document.querySelector('main').addEventListener('click', (event) => {
    const link = event.target.closest('a.to-logs');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    openLogs(link.href);
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const [id, chart] of charts) chart.setSize({ width: chartWidth(document.getElementById(id)), height: 220 });
    }, 150);
  });
  load();
}

init();
