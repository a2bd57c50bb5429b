import { describe, expect, it } from 'vitest';
import { jsonLine } from '../../src/cli/jsonLines.js';
import { formatBytes, renderBar } from '../../src/cli/progressBar.js';

const event = { bytes: 512 * 1024, total: 1024 * 1024, rate: 2048, etaSeconds: 3.2, activeConnections: 4 };

describe('CLI progress output', () => {
  it('draws a bar with percentage, sizes, rate, ETA and connections on a wide terminal', () => {
    expect(renderBar(event, 80)).toBe(
      '[###############---------------] 50.0% 512.0 KiB/1.0 MiB 2.0 KiB/s eta 4s x4',
    );
  });

  it('never reaches the last column, however narrow the terminal: the bar narrows, then figures go', () => {
    for (let columns = 8; columns <= 120; columns++) {
      const line = renderBar(event, columns);
      expect(line.length, `${columns} columns: "${line}"`).toBeLessThan(columns);
    }
    expect(renderBar(event, 40)).toBe('[#######------] 50.0% 512.0 KiB/1.0 MiB');
    expect(renderBar(event, 20)).toBe('[######-----] 50.0%');
    expect(renderBar(event, 12)).toBe('50.0%');
  });

  it('shows an unknown total without a percentage', () => {
    expect(renderBar({ bytes: 10, rate: 0, activeConnections: 1 }, 40)).toBe(
      '[???????????????????????] 10 B 0 B/s x1',
    );
  });

  it('counts files for a list', () => {
    const list = { ...event, filesTotal: 10, filesDone: 3, filesFailed: 1, filesActive: 4 };
    expect(renderBar(list, 100)).toContain(' 4/10 files ');
    expect(renderBar(list, 100)).toContain(' 1 failed ');
  });

  it('writes one JSON object per line', () => {
    expect(jsonLine('progress', { bytes: 1, total: 2, rate: 3, activeConnections: 1 })).toBe(
      '{"type":"progress","bytes":1,"total":2,"rate":3,"activeConnections":1}\n',
    );
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
