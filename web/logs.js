// The Logs panel: the records behind the summaries, newest first, from /search with the page's filters (range,
// source, logtype) plus a text and attribute filters; "Older" pages on with the answer's cursor; "Live" follows
// /tail (locally only: the AWS build marks the panel data-live="none", since Firehose buffers for a minute or more).
// State lives in the URL: q, attr.<key> (the API's own names), logsFrom/logsTo (a narrower range opened from a
// summary, such as one hour) and live=1. Log text reaches the page only through textContent, never as HTML.

const KEY_STORAGE = 'quarry.readKey';
const PAGE_SIZE = 50;
const MAX_ATTRIBUTES = 5;
/** Live rows are added at the top; beyond this many rows the oldest go (and "Older" with them). */
const MAX_ROWS = 2000;

const panel = document.getElementById('logs');
const form = document.getElementById('logs-filters');
const attributes = document.getElementById('logs-attributes');
const addAttribute = document.getElementById('logs-add-attribute');
const liveButton = document.getElementById('logs-live');
const olderButton = document.getElementById('logs-older');
const status = document.getElementById('logs-status');
const rangeText = document.getElementById('logs-range');
const tbody = panel.querySelector('table.records tbody');
const pageFilters = document.getElementById('filters');
const liveAvailable = panel.dataset.live === 'tail';

let next = null;
let generation = 0;
let follower = null; // {controller} while Live runs

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** The panel's own state, from the URL. */
function readState() {
  const params = new URLSearchParams(location.search);
  const attrs = [];
  for (const [name, value] of params) {
    if (name.startsWith('attr.') && attrs.length < MAX_ATTRIBUTES) attrs.push([name.slice(5), value]);
  }
  return {
    q: params.get('q') || '',
    attrs,
    logsFrom: params.get('logsFrom') || '',
    logsTo: params.get('logsTo') || '',
    live: liveAvailable && params.get('live') === '1',
  };
}

function writeState(state) {
  const params = new URLSearchParams(location.search);
  for (const name of [...params.keys()]) {
    if (name.startsWith('attr.') || ['q', 'logsFrom', 'logsTo', 'live'].includes(name)) params.delete(name);
  }
  if (state.q) params.set('q', state.q);
  for (const [key, value] of state.attrs) params.append(`attr.${key}`, value);
  if (state.logsFrom) params.set('logsFrom', state.logsFrom);
  if (state.logsTo) params.set('logsTo', state.logsTo);
  if (state.live) params.set('live', '1');
  history.pushState(null, '', `${location.pathname}?${params}${location.hash}`);
}

/** The page's filters as its form shows them (dashboard.js fills the form from the URL before this runs). */
function pageState() {
  const f = pageFilters.elements;
  return { from: f.from.value, to: f.to.value, source: f.source.value.trim(), logtype: f.logtype.value.trim() };
}

function filterParams(state) {
  const page = pageState();
  const params = new URLSearchParams();
  if (page.source) params.set('source', page.source);
  if (page.logtype) params.set('logtype', page.logtype);
  if (state.q) params.set('q', state.q);
  for (const [key, value] of state.attrs) params.set(`attr.${key}`, value);
  return params;
}

function searchUrl(state, cursor) {
  const page = pageState();
  const params = new URLSearchParams();
  const from = state.logsFrom || page.from;
  const to = state.logsTo || page.to;
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  for (const [name, value] of filterParams(state)) params.append(name, value);
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  return `search?${params}`;
}

function headers() {
  const h = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

function problemText(status, body, what) {
  const detail = body && typeof body.detail === 'string' ? body.detail : '';
  if (status === 401) return `A reader key is required to read ${what}; enter it above.`;
  if (status === 400) return `The search is not accepted: ${detail}`;
  if (status === 0) return detail;
  return `The server answered ${status} to ${what}. ${detail}`;
}

function showStatus(text) {
  status.textContent = text;
  status.hidden = !text;
}

/** One record as two rows: the line (time, source, logtype, message) and, hidden until opened, its attributes. */
function recordRows(row) {
  const line = document.createElement('tr');
  line.className = 'record';
  line.tabIndex = 0;
  line.setAttribute('aria-expanded', 'false');
  line.append(el('td', row.timestamp.replace('T', ' ').replace('Z', ''), 'time'), el('td', row.source),
    el('td', row.logtype), el('td', row.message, 'text'));
  const details = document.createElement('tr');
  details.className = 'attributes';
  details.hidden = true;
  const cell = document.createElement('td');
  cell.colSpan = 4;
  const list = document.createElement('dl');
  const entries = [['dt', row.dt], ...Object.entries(row.attributes || {})];
  for (const [key, value] of entries) list.append(el('dt', key), el('dd', value));
  cell.append(list, el('pre', row.message));
  details.append(cell);
  return [line, details];
}

function toggle(line) {
  const details = line.nextElementSibling;
  details.hidden = !details.hidden;
  line.setAttribute('aria-expanded', String(!details.hidden));
}

function trim() {
  while (tbody.rows.length > MAX_ROWS * 2) {
    tbody.lastElementChild.remove();
    next = null;
    olderButton.hidden = true;
  }
}

async function fetchPage(state, cursor) {
  let response;
  try {
    response = await fetch(searchUrl(state, cursor), { headers: headers(), credentials: 'same-origin' });
  } catch (e) {
    return { status: 0, body: { detail: `The server cannot be reached (${e.message}).` } };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { detail: `The server answered ${response.status} without JSON.` };
  }
  return { status: response.status, body };
}

function describeRange(state) {
  const page = pageState();
  const from = state.logsFrom || page.from;
  const to = state.logsTo || page.to;
  rangeText.textContent = state.logsFrom || state.logsTo ? `Records from ${from} to ${to} (opened from a summary)`
    : `Records from ${from} to ${to}`;
}

/** A new search: the first page, replacing what is shown. */
async function search() {
  const state = readState();
  syncForm(state);
  describeRange(state);
  const mine = ++generation;
  next = null;
  olderButton.hidden = true;
  showStatus('Searching…');
  const result = await fetchPage(state, null);
  if (mine !== generation) return;
  tbody.replaceChildren();
  show(result, state);
  follow(state);
}

async function loadOlder() {
  const state = readState();
  const mine = generation;
  olderButton.disabled = true;
  const result = await fetchPage(state, next);
  olderButton.disabled = false;
  if (mine !== generation) return;
  show(result, state);
}

function show(result, state) {
  if (result.status !== 200) {
    showStatus(problemText(result.status, result.body, 'the records'));
    return;
  }
  for (const row of result.body.rows) tbody.append(...recordRows(row));
  next = result.body.next;
  olderButton.hidden = !next;
  if (tbody.rows.length === 0) {
    showStatus(state.live ? 'Nothing in this range yet; new records appear here as they arrive.'
      : 'No records match in this range.');
  } else {
    showStatus('');
  }
}

function stopFollowing() {
  if (follower) follower.controller.abort();
  follower = null;
  liveButton.setAttribute('aria-pressed', 'false');
}

/** Live: reads /tail's event stream with fetch (an EventSource cannot send the reader key's header). */
async function follow(state) {
  stopFollowing();
  if (!state.live) return;
  const controller = new AbortController();
  const mine = { controller };
  follower = mine;
  liveButton.setAttribute('aria-pressed', 'true');
  let response;
  try {
    response = await fetch(`tail?${filterParams(state)}`, { headers: { ...headers(), Accept: 'text/event-stream' },
      credentials: 'same-origin', signal: controller.signal });
  } catch (e) {
    if (follower === mine) {
      showStatus(`Live stopped: the server cannot be reached (${e.message}).`);
      stopFollowing();
    }
    return;
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (follower === mine) {
      showStatus(`Live stopped. ${problemText(response.status, body, 'the live records')}`);
      stopFollowing();
    }
    return;
  }
  panel.dataset.following = 'true';
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        handleEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
    if (follower === mine) showStatus('Live stopped: the server ended the stream (it may be stopping).');
  } catch (e) {
    if (follower === mine) showStatus(`Live stopped: ${e.message}`);
  } finally {
    delete panel.dataset.following;
    if (follower === mine) stopFollowing();
  }
}

function handleEvent(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  const payload = JSON.parse(data.join('\n'));
  if (type === 'record') {
    tbody.prepend(...recordRows(payload));
    trim();
    if (status.textContent.startsWith('Nothing') || status.textContent.startsWith('No records')) showStatus('');
  } else if (type === 'lagged') {
    showStatus(`Live fell behind: ${payload.skipped} records were skipped (search to see them).`);
  }
}

function labelledInput(parent, text, name, maxLength, value) {
  const label = el('label', text);
  const input = el('input');
  input.name = name;
  input.maxLength = maxLength;
  input.value = value;
  label.append(input);
  parent.append(label);
  return input;
}

function attributeRow(key = '', value = '') {
  const row = el('span', undefined, 'attribute');
  const keyInput = labelledInput(row, 'Key', 'attr-key', 64, key);
  labelledInput(row, 'Value', 'attr-value', 1024, value);
  const remove = el('button', 'Remove');
  remove.type = 'button';
  remove.addEventListener('click', () => {
    row.remove();
    addAttribute.hidden = false;
  });
  row.append(remove);
  attributes.insertBefore(row, addAttribute);
  addAttribute.hidden = attributes.querySelectorAll('.attribute').length >= MAX_ATTRIBUTES;
  return keyInput;
}

function syncForm(state) {
  form.elements.q.value = state.q;
  for (const row of attributes.querySelectorAll('.attribute')) row.remove();
  for (const [key, value] of state.attrs) attributeRow(key, value);
  addAttribute.hidden = state.attrs.length >= MAX_ATTRIBUTES;
}

function formState(live) {
  const attrs = [];
  for (const row of attributes.querySelectorAll('.attribute')) {
    const key = row.querySelector('[name=attr-key]').value.trim();
    const value = row.querySelector('[name=attr-value]').value;
    if (key) attrs.push([key, value]);
  }
  const current = readState();
  return { q: form.elements.q.value, attrs, logsFrom: current.logsFrom, logsTo: current.logsTo, live };
}

function init() {
  liveButton.hidden = !liveAvailable;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    writeState(formState(readState().live));
    search();
  });
  addAttribute.addEventListener('click', () => attributeRow().focus());
  liveButton.addEventListener('click', () => {
    const live = !readState().live;
    writeState(formState(live));
    if (live) {
      follow(readState());
    } else {
      stopFollowing();
    }
  });
  olderButton.addEventListener('click', loadOlder);
  tbody.addEventListener('click', (event) => {
    const line = event.target.closest('tr.record');
    if (line) toggle(line);
  });
  tbody.addEventListener('keydown', (event) => {
    const line = event.target.closest('tr.record');
    if (line && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      toggle(line);
    }
  });
  // The page's own form, a summary opened into the panel, or the browser's back button: search again.
  window.addEventListener('popstate', search);
  window.addEventListener('quarry:statechange', search);
  search();
}

init();
