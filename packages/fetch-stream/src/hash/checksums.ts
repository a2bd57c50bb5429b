import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { VerifiedChecksum } from '../types.js';
import { crc32c, crc32Hex } from './crc32c.js';
import { Sha256Offload } from './sha256Offload.js';

/** Algorithms fetch-stream can compute over the final bytes. */
export type Algorithm = VerifiedChecksum['algorithm'];

/** Computes several digests over one in-order byte stream. sha256 is always included. */
export class MultiDigest {
  private readonly hashes = new Map<Algorithm, Hash>();
  private crc32cValue: number | undefined;
  private crc32Value: number | undefined;
  private readonly offload: Sha256Offload | undefined;

  /** `offloadSha256`: compute sha256 on a worker thread (worth it for large files). */
  constructor(algorithms: Iterable<Algorithm>, offloadSha256 = false) {
    const wanted = new Set<Algorithm>(algorithms);
    wanted.add('sha256');
    if (offloadSha256) {
      this.offload = new Sha256Offload();
      wanted.delete('sha256');
    }
    for (const a of wanted) {
      if (a === 'crc32c') this.crc32cValue = 0;
      else if (a === 'crc32') this.crc32Value = 0;
      else if (a === 'sha256' || a === 'md5' || a === 'sha1' || a === 'sha512')
        this.hashes.set(a, createHash(a));
      // crc64nvme is declared by some servers but not computed here; it stays unverified.
    }
  }

  update(data: Uint8Array): void {
    this.offload?.update(data);
    for (const h of this.hashes.values()) h.update(data);
    if (this.crc32cValue !== undefined) this.crc32cValue = crc32c(data, this.crc32cValue);
    if (this.crc32Value !== undefined) this.crc32Value = crc32(data, this.crc32Value);
  }

  /** Resolves when more input may be given without growing memory (sha256 worker backlog). */
  waitForCapacity(): Promise<void> {
    return this.offload ? this.offload.waitForCapacity() : Promise.resolve();
  }

  /** Stops the sha256 worker, if any (after a failure; `digest` stops it itself). */
  dispose(): Promise<void> {
    return this.offload ? this.offload.dispose() : Promise.resolve();
  }

  /** Lower-case hex digests by algorithm. */
  async digest(): Promise<Map<Algorithm, string>> {
    const out = new Map<Algorithm, string>();
    if (this.offload) out.set('sha256', await this.offload.digest());
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
