import type { DownloadAllProgress } from '../downloadAll.js';
import type { DownloadProgress } from '../types.js';

/** Narrowest bar drawn; below this the bar is left out and only the figures remain. */
const MIN_BAR = 10;
const MAX_BAR = 30;

function isListProgress(e: DownloadProgress | DownloadAllProgress): e is DownloadAllProgress {
  return 'filesTotal' in e;
}

/**
 * One line of a terminal progress bar, redrawn in place with `\r`: it always fits in
 * `columns - 1` characters (a line as wide as the terminal wraps on some terminals), by
 * narrowing the bar and then dropping the least useful figures.
 */
export function renderBar(e: DownloadProgress | DownloadAllProgress, columns = 80): string {
  const pct = e.total ? Math.min(1, e.bytes / e.total) : undefined;
  const size =
    e.total !== undefined ? `${formatBytes(e.bytes)}/${formatBytes(e.total)}` : formatBytes(e.bytes);
  // Figures in order of importance; the last ones are dropped first when space runs out.
  const figures = [
    ...(pct !== undefined ? [`${(pct * 100).toFixed(1)}%`] : []),
    ...(isListProgress(e) ? [`${e.filesDone + e.filesFailed}/${e.filesTotal} files`] : []),
    size,
    `${formatBytes(e.rate)}/s`,
    ...(e.etaSeconds !== undefined ? [`eta ${Math.ceil(e.etaSeconds)}s`] : []),
    ...(isListProgress(e) && e.filesFailed > 0 ? [`${e.filesFailed} failed`] : []),
    `x${e.activeConnections}`,
  ];
  const room = Math.max(1, columns - 1);
  for (let keep = figures.length; keep >= 1; keep--) {
    const text = figures.slice(0, keep).join(' ');
    const barWidth = Math.min(MAX_BAR, room - text.length - 3);
    if (barWidth >= MIN_BAR) return `${drawBar(pct, barWidth)} ${text}`;
    if (text.length <= room && keep === 1) return text;
  }
  return (figures[0] ?? '').slice(0, room);
}

function drawBar(pct: number | undefined, width: number): string {
  if (pct === undefined) return `[${'?'.repeat(width)}]`;
  const filled = Math.round(pct * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
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
