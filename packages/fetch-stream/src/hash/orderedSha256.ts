import type { Algorithm } from './checksums.js';
import { MultiDigest } from './checksums.js';

/** Reads bytes back from where they were stored. */
export type ReadBack = (offset: number, length: number, into?: Uint8Array) => Promise<Uint8Array>;

const READ_BACK_CHUNK = 1024 * 1024;

/**
 * Hashes a file in byte order although its bytes land in any order (N connections, resume).
 * A chunk written exactly at the hashed frontier is hashed inline from memory; bytes written
 * beyond the frontier are read back from the sink once the frontier reaches them. Memory
 * stays bounded: nothing is buffered, only a list of written intervals is kept.
 */
export class OrderedHasher {
  private readonly digest: MultiDigest;
  private frontier = 0;
  /** Sorted, disjoint, non-adjacent [start, end) intervals written at or beyond the frontier. */
  private readonly written: Array<[number, number]> = [];
  private catchUp: Promise<void> | undefined;
  private failure: unknown;
  /** One read-back buffer, reused: hashing consumes (or copies) bytes before the next read. */
  private scratch: Buffer | undefined;

  constructor(
    algorithms: Iterable<Algorithm>,
    private readonly readBack: ReadBack | undefined,
    offloadSha256 = false,
  ) {
    this.digest = new MultiDigest(algorithms, offloadSha256);
  }

  /** Writers await this after `onWritten` so a slower hashing thread bounds memory. */
  waitForCapacity(): Promise<void> {
    return this.digest.waitForCapacity();
  }

  /** Releases the hashing thread after a failed transfer. */
  dispose(): Promise<void> {
    return this.digest.dispose();
  }

  /** Bytes hashed so far (the contiguous prefix). */
  get hashedBytes(): number {
    return this.frontier;
  }

  /** Records bytes stored at `offset`. `data` must not be mutated afterwards while this call runs. */
  onWritten(offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    if (offset === this.frontier && this.catchUp === undefined && this.firstStart() !== offset) {
      this.digest.update(data);
      this.frontier += data.length;
      this.mergeFrontier();
      return;
    }
    this.addInterval(offset, offset + data.length);
    this.scheduleCatchUp();
  }

  /** Marks bytes that are already stored (resumed parts) so they are read back and hashed. */
  markStored(offset: number, length: number): void {
    if (length > 0) this.addInterval(offset, offset + length);
    this.scheduleCatchUp();
  }

  /** Waits until every stored byte up to `total` is hashed, then returns the digests. */
  async finish(total: number): Promise<Map<Algorithm, string>> {
    while (this.catchUp !== undefined) await this.catchUp;
    if (this.failure !== undefined) throw this.failure;
    if (this.frontier !== total) {
      throw new Error(`internal: hashed ${this.frontier} of ${total} bytes; a range was never written`);
    }
    return await this.digest.digest();
  }

  private firstStart(): number | undefined {
    return this.written[0]?.[0];
  }

  private mergeFrontier(): void {
    // An interval that the frontier reached by inline hashing is only partly hashed when it
    // starts before the frontier; that cannot happen because writes never overlap.
    this.scheduleCatchUp();
  }

  private scheduleCatchUp(): void {
    if (this.catchUp !== undefined) return;
    const first = this.written[0];
    if (first === undefined || first[0] !== this.frontier) return;
    if (this.readBack === undefined) {
      this.failure = new Error('internal: out-of-order bytes but the sink cannot read back');
      return;
    }
    const readBack = this.readBack;
    this.catchUp = (async () => {
      try {
        for (;;) {
          const head = this.written[0];
          if (head === undefined || head[0] !== this.frontier) break;
          const n = Math.min(READ_BACK_CHUNK, head[1] - this.frontier);
          this.scratch ??= Buffer.allocUnsafeSlow(READ_BACK_CHUNK);
          const bytes = await readBack(this.frontier, n, this.scratch);
          if (bytes.length !== n)
            throw new Error(`read back ${bytes.length} of ${n} bytes at ${this.frontier}`);
          this.digest.update(bytes);
          await this.digest.waitForCapacity();
          this.frontier += n;
          // Re-read the head: inline writes may have extended it while we awaited.
          const h = this.written[0];
          if (h !== undefined && h[1] <= this.frontier) this.written.shift();
          else if (h !== undefined) h[0] = this.frontier;
        }
      } catch (err) {
        this.failure = err;
      } finally {
        this.catchUp = undefined;
      }
      this.scheduleCatchUp();
    })();
  }

  private addInterval(start: number, end: number): void {
    const w = this.written;
    let i = 0;
    while (i < w.length && (w[i] as [number, number])[1] < start) i++;
    let s = start;
    let e = end;
    let j = i;
    while (j < w.length && (w[j] as [number, number])[0] <= e) {
      const cur = w[j] as [number, number];
      s = Math.min(s, cur[0]);
      e = Math.max(e, cur[1]);
      j++;
    }
    w.splice(i, j - i, [s, e]);
  }
}
