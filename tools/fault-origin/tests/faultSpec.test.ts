import { describe, expect, it } from 'vitest';
import { type Fault, FaultSpecError, formatFault, parseFault, withFaults } from '../src/index.js';

describe('fault descriptions in URLs', () => {
  it('round-trips every mode through its query form', () => {
    const faults: Fault[] = [
      { mode: 'none' },
      { mode: 'reset', afterBytes: 10, times: 2 },
      { mode: 'stall', afterBytes: 1, stallMs: 50 },
      { mode: 'throttle', bytesPerSecond: 1000 },
      { mode: 'status', status: 429, retryAfter: 1, retryAfterFormat: 'date', enforce: true, times: 1 },
      { mode: 'ignore-range' },
      { mode: 'wrong-range-start', shift: -3 },
      { mode: 'short-206', maxBytes: 9 },
      { mode: 'early-start', bytes: 4096, times: 3 },
      { mode: 'late-end', bytes: 100 },
      { mode: 'change', afterRequests: 2, cutAfterBytes: 100, every: true },
      { mode: 'long-content-length', missingBytes: 5 },
      { mode: 'long-content-length', afterBytes: 5, times: 1 },
      { mode: 'truncated-chunked', afterBytes: 7 },
      { mode: 'gzip', force: true },
      { mode: 'redirect', hops: 2, status: 301 },
      { mode: 'redirect-loop' },
      { mode: 'redirect-to', location: 'http://127.0.0.1:1/x?y=1,2' },
      { mode: 'weak-etag' },
      { mode: 'wrong-bytes', offset: 4 },
      { mode: 'digest', header: 'x-amz-checksum-sha256', wrong: true },
    ];
    for (const fault of faults) {
      const parsed = parseFault(formatFault(fault));
      expect(JSON.parse(JSON.stringify(parsed)), fault.mode).toEqual(fault);
    }
    const url = new URL(`http://h${withFaults('/a', faults)}`);
    expect(url.searchParams.getAll('f').map(parseFault)).toHaveLength(faults.length);
  });

  it('rejects unknown modes and missing parameters with a typed error', () => {
    expect(() => parseFault('bogus')).toThrow(FaultSpecError);
    expect(() => parseFault('reset')).toThrow(/needs afterBytes/);
    expect(() => parseFault('reset:afterBytes=x')).toThrow(/not an integer/);
    expect(() => parseFault('long-content-length')).toThrow(/exactly one of/);
  });
});
