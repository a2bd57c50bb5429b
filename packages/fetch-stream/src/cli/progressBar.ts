import type { ProgressEvent } from '../types.js';

/** One line of a terminal progress bar (redrawn in place with `\r`). */
export function renderBar(e: ProgressEvent, width = 30): string {
  const pct = e.total ? Math.min(1, e.bytes / e.total) : undefined;
  const filled = pct === undefined ? 0 : Math.round(pct * width);
  const bar = pct === undefined ? '?'.repeat(width) : `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const size =
    e.total !== undefined ? `${formatBytes(e.bytes)}/${formatBytes(e.total)}` : formatBytes(e.bytes);
  const eta = e.etaSeconds !== undefined ? ` eta ${Math.ceil(e.etaSeconds)}s` : '';
  const pctText = pct === undefined ? '' : ` ${(pct * 100).toFixed(1)}%`;
  return `[${bar}]${pctText} ${size} ${formatBytes(e.rate)}/s x${e.activeConnections}${eta}`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
