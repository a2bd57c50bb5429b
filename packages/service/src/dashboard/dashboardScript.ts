/**
 * The dashboard's browser script, as text. It polls `GET /deliveries` and redraws with DOM calls
 * only (`textContent`, never `innerHTML`): file names and errors come from providers.
 */
export const DASHBOARD_SCRIPT = `
const POLL_MS = 1000;
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

function renderDelivery(d) {
  const card = el('section', 'delivery');
  card.dataset.deliveryId = d.id;
  card.dataset.status = d.status;
  const head = el('header');
  head.append(
    el('span', 'badge ' + d.status, d.status.replace(/_/g, ' ')),
    el('strong', 'title', d.label || d.id),
    el('span', 'meta', d.provider + (d.projectId ? ' · project ' + d.projectId : '') + ' · ' +
      d.progress.completed + '/' + d.progress.files + ' files · ' + formatBytes(d.progress.bytes) +
      (d.progress.totalBytes !== null ? ' of ' + formatBytes(d.progress.totalBytes) : '')),
  );
  card.append(head);
  card.append(el('div', 'id', 'id ' + d.id + ' · created ' + new Date(d.createdAt).toLocaleString()));
  if (d.error) card.append(el('p', 'error delivery-error', d.error.code + ': ' + d.error.message));
  if (d.status === 'awaiting_callback') card.append(el('p', 'hint', 'Waiting for the provider to call ' + d.callbackUrl + ' (until ' + new Date(d.expiresAt).toLocaleString() + ')'));
  if (d.files.length > 0) {
    const table = el('table', 'files');
    const headRow = el('tr');
    for (const h of ['file', 'status', 'progress', 'bytes', 'attempts', '']) headRow.append(el('th', '', h));
    table.append(headRow);
    for (const file of d.files) table.append(renderFile(file));
    card.append(table);
  }
  return card;
}

async function poll() {
  try {
    const res = await fetch('/deliveries?limit=20', { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const page = await res.json();
    const nodes = page.items.map(renderDelivery);
    if (nodes.length === 0) nodes.push(el('p', 'empty', 'No deliveries yet. Register one with POST /deliveries.'));
    list.replaceChildren(...nodes);
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
