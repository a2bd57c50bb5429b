import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { VerifiedChecksum } from '../types.js';
import { crc32c, crc32Hex } from './crc32c.js';

/** Algorithms fetch-stream can compute over the final bytes. */
export type Algorithm = VerifiedChecksum['algorithm'];

/** Computes several digests over one in-order byte stream. sha256 is always included. */
export class MultiDigest {
  private readonly hashes = new Map<Algorithm, Hash>();
  private crc32cValue: number | undefined;
  private crc32Value: number | undefined;

  constructor(algorithms: Iterable<Algorithm>) {
    const wanted = new Set<Algorithm>(algorithms);
    wanted.add('sha256');
    for (const a of wanted) {
      if (a === 'crc32c') this.crc32cValue = 0;
      else if (a === 'crc32') this.crc32Value = 0;
      else if (a === 'sha256' || a === 'md5' || a === 'sha1' || a === 'sha512')
        this.hashes.set(a, createHash(a));
      // crc64nvme is declared by some servers but not computed here; it stays unverified.
    }
  }

  update(data: Uint8Array): void {
    for (const h of this.hashes.values()) h.update(data);
    if (this.crc32cValue !== undefined) this.crc32cValue = crc32c(data, this.crc32cValue);
    if (this.crc32Value !== undefined) this.crc32Value = crc32(data, this.crc32Value);
  }

  /** Lower-case hex digests by algorithm. */
  digest(): Map<Algorithm, string> {
    const out = new Map<Algorithm, string>();
    for (const [a, h] of this.hashes) out.set(a, h.digest('hex'));
    if (this.crc32cValue !== undefined) out.set('crc32c', crc32Hex(this.crc32cValue));
    if (this.crc32Value !== undefined) out.set('crc32', crc32Hex(this.crc32Value));
    return out;
  }
}

/** True when fetch-stream can compute `algorithm`. */
export function canCompute(algorithm: Algorithm): boolean {
  return algorithm !== 'crc64nvme';
}
