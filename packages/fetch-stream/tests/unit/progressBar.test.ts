import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/jsonLines.js';
import { formatBytes, renderBar } from '../../src/cli/progressBar.js';

describe('CLI progress output', () => {
  it('draws a bar with percentage, sizes, rate, connections and ETA', () => {
    const line = renderBar(
      { bytes: 512 * 1024, total: 1024 * 1024, rate: 2048, etaSeconds: 3.2, activeConnections: 4 },
      10,
    );

    expect(line).toBe('[#####-----] 50.0% 512.0 KiB/1.0 MiB 2.0 KiB/s x4 eta 4s');
  });

  it('shows an unknown total without a percentage', () => {
    expect(renderBar({ bytes: 10, rate: 0, activeConnections: 1 }, 4)).toBe('[????] 10 B 0 B/s x1');
  });

  it('writes one JSON object per line', () => {
    expect(progressLine({ bytes: 1, total: 2, rate: 3, activeConnections: 1 })).toBe(
      '{"type":"progress","bytes":1,"total":2,"rate":3,"activeConnections":1}\n',
    );
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
