/** The demo's closing table. */
import type { FileVerdict } from './verifyDelivery.js';

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '-';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A plain-text table: file, size, attempts, outcome, sha256 prefix, verified. */
export function summaryTable(verdicts: readonly FileVerdict[]): string {
  const header = ['file', 'size', 'attempts', 'outcome', 'sha256', 'verified'];
  const rows = verdicts.map((v) => [
    v.name,
    formatBytes(v.bytes ?? v.expectedSize),
    v.attempts === undefined ? '-' : String(v.attempts),
    v.reportedOutcome ?? '-',
    v.sha256 === undefined ? '-' : `${v.sha256.slice(0, 12)}…`,
    v.ok ? 'yes' : `NO (${v.problem ?? 'unknown'})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
