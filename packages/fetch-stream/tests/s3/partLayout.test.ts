import { describe, expect, it } from 'vitest';
import { PartLayout } from '../../src/s3/partLayout.js';

const MIB = 1024 * 1024;

describe('PartLayout', () => {
  it('uses 8 MiB parts for 1 GiB: 128 parts', () => {
    const layout = new PartLayout(1024 * MIB);
    expect(layout.basePartSize).toBe(8 * MIB);
    expect(layout.partCount).toBe(128);
  });

  it('fits the largest S3 object (5 TiB) in at most 9 000 parts', () => {
    const size = 5 * 1024 * 1024 * MIB;
    const layout = new PartLayout(size);
    expect(layout.basePartSize).toBe(Math.ceil(size / 9000));
    expect(layout.partCount).toBeLessThanOrEqual(9000);
  });

  it('gives the last part of a known size only the remaining bytes', () => {
    const layout = new PartLayout(20 * MIB + 5);
    expect(layout.partCount).toBe(3);
    expect(layout.partSize(3)).toBe(4 * MIB + 5);
    expect(layout.partOffset(3)).toBe(16 * MIB);
  });

  it('doubles the part size every 1 000 parts when the size is unknown', () => {
    const layout = new PartLayout(undefined);
    expect(layout.partSize(1000)).toBe(8 * MIB);
    expect(layout.partSize(1001)).toBe(16 * MIB);
    expect(layout.partOffset(1001)).toBe(1000 * 8 * MIB);
    expect(layout.partOffset(2002)).toBe(1000 * 8 * MIB + 1000 * 16 * MIB + 32 * MIB);
  });

  it('refuses parts below S3 minimum with a typed error', () => {
    expect(() => new PartLayout(undefined, 1024)).toThrow(
      expect.objectContaining({ code: 'S3_INVALID_USE' }),
    );
  });
});
