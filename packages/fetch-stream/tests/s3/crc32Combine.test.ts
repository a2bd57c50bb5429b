import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine, crc32ToBase64 } from '../../src/s3/crc32Combine.js';

describe('crc32Combine', () => {
  it.each([0, 1, 7, 8, 1000, 65_537, 1_048_576])('equals the CRC of A‖B when B has %i bytes', (lengthB) => {
    // Prepare
    const a = randomBytes(12_345);
    const b = randomBytes(lengthB);

    // Act
    const combined = crc32Combine(crc32(a), crc32(b), b.length);

    // Assess
    expect(combined).toBe(crc32(Buffer.concat([a, b])));
  });

  it('combines many parts in order into the whole-object CRC', () => {
    // Prepare
    const parts = [5, 300_000, 1, 77_777, 4096].map((n) => randomBytes(n));

    // Act
    const combined = parts.reduce((crc, part) => crc32Combine(crc, crc32(part), part.length), 0);

    // Assess
    expect(combined).toBe(crc32(Buffer.concat(parts)));
  });

  it('prints the CRC the way S3 headers carry it (big-endian, base64)', () => {
    expect(crc32ToBase64(crc32(Buffer.from('hello world')))).toBe('DUoRhQ==');
  });
});
