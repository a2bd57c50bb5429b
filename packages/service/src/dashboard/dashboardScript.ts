/**
 * The dashboard's browser script, as text. Every tick it fetches the delivery summaries
 * (`GET /deliveries`: counts, no files) and, for each delivery the user opened, the one page of
 * files shown (`GET /deliveries/{id}/files`), so what it loads stays bounded whatever a delivery
 * holds. It redraws with DOM calls only (`textContent`, never `innerHTML`): file names and
 * errors come from providers.
 */
export const DASHBOARD_SCRIPT = `
const POLL_MS = 1000;
// With an API token the page is opened as /#token=<token>: the fragment never leaves the browser.
const TOKEN = /(?:^#|&)token=([^&]+)/.exec(location.hash);
const HEADERS = TOKEN
  ? { accept: 'application/json', authorization: 'Bearer ' + decodeURIComponent(TOKEN[1]) }
  : { accept: 'application/json' };
const FILE_PAGE = 50;
const list = document.getElementById('deliveries');
const stamp = document.getElementById('updated');

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatBytes(n) {
  if (n === null || n === undefined) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? String(n) : n.toFixed(1)) + ' ' + units[i];
}

function percent(file) {
  if (file.status === 'completed') return 100;
  if (!file.size) return 0;
  return Math.min(100, Math.floor((file.bytes / file.size) * 100));
}

function bar(value, status) {
  const outer = el('div', 'bar ' + status);
  outer.setAttribute('role', 'progressbar');
  outer.setAttribute('aria-valuemin', '0');
  outer.setAttribute('aria-valuemax', '100');
  outer.setAttribute('aria-valuenow', String(value));
  const inner = el('div', 'fill');
  inner.style.width = value + '%';
  outer.append(inner, el('span', 'pct', value + ' %'));
  return outer;
}

function renderFile(file) {
  const row = el('tr', 'file');
  row.dataset.fileName = file.name;
  row.dataset.status = file.status;
  row.append(
    el('td', 'name', file.name),
    el('td', 'status', file.status),
  );
  const progressCell = el('td', 'progress');
  progressCell.append(bar(percent(file), file.status));
  row.append(
    progressCell,
    el('td', 'bytes', formatBytes(file.bytes) + ' / ' + formatBytes(file.size)),
    el('td', 'attempts', String(file.attempts)),
  );
  const detail = el('td', 'detail');
  if (file.error) detail.append(el('span', 'error', file.error.code + ': ' + file.error.message));
  else if (file.sha256) detail.append(el('code', 'sha', 'sha256 ' + file.sha256.slice(0, 16) + '…'));
  row.append(detail);
  return row;
}

/** Deliveries whose files are shown: id -> cursors of the pages seen (the last is the current page's). */
const open = new Map();
/** The current file page of each open delivery, as last fetched. */
const pages = new Map();

function pageButton(label, action, onClick) {
  const button = el('button', 'page', label);
  button.type = 'button';
  button.dataset.action = action;
  button.addEventListener('click', onClick);
  return button;
}

function renderFiles(d) {
  const box = el('div', 'files-box');
  const page = pages.get(d.id);
  if (page === undefined) { box.append(el('p', 'hint', 'loading files…')); return box; }
  const table = el('table', 'files');
  const headRow = el('tr');
  for (const h of ['#', 'file', 'status', 'progress', 'bytes', 'attempts', '']) headRow.append(el('th', '', h));
  table.append(headRow);
  for (const file of page.items) {
    const row = renderFile(file);
    row.prepend(el('td', 'index', String(file.index)));
    table.append(row);
  }
  box.append(table);
  const cursors = open.get(d.id);
  const nav = el('div', 'pager');
  if (cursors.length > 1) {
    nav.append(pageButton('previous files', 'previous-files', () => { cursors.pop(); refreshFiles(d.id).then(redraw); }));
  }
  nav.append(el('span', 'meta', 'page ' + cursors.length));
  if (page.nextCursor) {
    nav.append(pageButton('next files', 'next-files', () => { cursors.push(page.nextCursor); refreshFiles(d.id).then(redraw); }));
  }
  box.append(nav);
  return box;
}

function renderDelivery(d) {
  const card = el('section', 'delivery');
  card.dataset.deliveryId = d.id;
  card.dataset.status = d.status;
  const c = d.counts;
  const head = el('header');
  head.append(
    el('span', 'badge ' + d.status, d.status.replace(/_/g, ' ')),
    el('strong', 'title', d.label || d.id),
    el('span', 'meta counts', d.provider + (d.projectId ? ' · project ' + d.projectId : '') + ' · ' +
      c.completed + '/' + c.files + ' files' + (c.failed > 0 ? ' · ' + c.failed + ' failed' : '') +
      (c.downloading > 0 ? ' · ' + c.downloading + ' downloading' : '') + ' · ' + formatBytes(c.bytesDone) +
      (c.sizeUnknown === 0 ? ' of ' + formatBytes(c.bytesExpected) : '')),
  );
  card.append(head);
  card.append(el('div', 'id', 'id ' + d.id + ' · created ' + new Date(d.createdAt).toLocaleString()));
  if (d.error) card.append(el('p', 'error delivery-error', d.error.code + ': ' + d.error.message));
  if (d.status === 'awaiting_callback') card.append(el('p', 'hint', 'Waiting for the provider to call ' + d.callbackUrl + ' (until ' + new Date(d.expiresAt).toLocaleString() + ')'));
  if (c.files > 0) {
    const isOpen = open.has(d.id);
    card.append(pageButton(isOpen ? 'hide files' : 'show files (' + c.files + ')', 'toggle-files', () => {
      if (open.has(d.id)) { open.delete(d.id); pages.delete(d.id); redraw(); }
      else { open.set(d.id, [null]); refreshFiles(d.id).then(redraw); redraw(); }
    }));
    if (isOpen) card.append(renderFiles(d));
  }
  return card;
}

/** Fetches the current file page of one open delivery (one bounded request, whatever its size). */
async function refreshFiles(id) {
  const cursors = open.get(id);
  if (cursors === undefined) return;
  const cursor = cursors[cursors.length - 1];
  const res = await fetch('/deliveries/' + encodeURIComponent(id) + '/files?limit=' + FILE_PAGE +
    (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''), { headers: HEADERS });
  if (!res.ok) throw new Error('HTTP ' + res.status);
  if (open.get(id) === cursors) pages.set(id, await res.json());
}

let summaries = [];

function redraw() {
  const nodes = summaries.map(renderDelivery);
  if (nodes.length === 0) nodes.push(el('p', 'empty', 'No deliveries yet. Register one with POST /deliveries.'));
  list.replaceChildren(...nodes);
}

async function poll() {
  try {
    // Summaries every tick (counts, never files); files only for the deliveries opened.
    const res = await fetch('/deliveries?limit=20', { headers: HEADERS });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    summaries = (await res.json()).items;
    const shown = new Set(summaries.map((d) => d.id));
    for (const id of [...open.keys()]) if (!shown.has(id)) { open.delete(id); pages.delete(id); }
    await Promise.all([...open.keys()].map(refreshFiles));
    redraw();
    stamp.textContent = 'updated ' + new Date().toLocaleTimeString();
    stamp.className = '';
  } catch (error) {
    stamp.textContent = 'cannot reach the service: ' + error.message;
    stamp.className = 'error';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
poll();
`;
