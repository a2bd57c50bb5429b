import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32Hex } from '../../src/hash/crc32c.js';

/** Bit-by-bit reference, obviously correct and slow. */
function reference(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the known check value for "123456789"', () => {
    expect(crc32Hex(crc32c(Buffer.from('123456789')))).toBe('e3069283');
  });

  it('matches known answers from RFC 3720 (iSCSI)', () => {
    expect(crc32Hex(crc32c(Buffer.alloc(32, 0)))).toBe('8a9136aa');
    expect(crc32Hex(crc32c(Buffer.alloc(32, 0xff)))).toBe('62a8ab43');
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the bitwise reference for every length around the 8-byte stride', () => {
    const data = randomBytes(100);
    for (let n = 0; n <= data.length; n++)
      expect(crc32c(data.subarray(0, n))).toBe(reference(data.subarray(0, n)));
  });

  it('continues across chunk boundaries exactly as over the whole buffer', () => {
    const data = randomBytes(10_007);
    const whole = crc32c(data);
    let running = 0;
    for (let i = 0; i < data.length; i += 999) running = crc32c(data.subarray(i, i + 999), running);
    expect(running).toBe(whole);
  });
});
