import { crc32 } from 'node:zlib';
import type { CompletedPart } from '../types.js';

/**
 * Keeps a running CRC32 per part while its bytes arrive (in order within the part) and
 * reports each part once its last byte has been stored.
 */
export class PartTracker {
  private readonly running = new Map<number, number>();

  constructor(
    private readonly partSize: number,
    private total: number | undefined,
  ) {}

  setTotal(total: number): void {
    this.total = total;
  }

  reset(): void {
    this.running.clear();
  }

  /** Feeds bytes stored at `offset`; returns the parts this completed. */
  add(offset: number, data: Uint8Array): CompletedPart[] {
    const done: CompletedPart[] = [];
    let pos = 0;
    while (pos < data.length) {
      const at = offset + pos;
      const index = Math.floor(at / this.partSize);
      const partStart = index * this.partSize;
      const partEnd =
        this.total === undefined
          ? partStart + this.partSize
          : Math.min(partStart + this.partSize, this.total);
      const n = Math.min(data.length - pos, partEnd - at);
      const crc = crc32(data.subarray(pos, pos + n), this.running.get(index) ?? 0);
      pos += n;
      if (at + n === partEnd) {
        this.running.delete(index);
        done.push({ index, offset: partStart, length: partEnd - partStart, crc32: crc });
      } else {
        this.running.set(index, crc);
      }
    }
    return done;
  }

  /** For a stream of unknown length: closes the last, shorter part at `end`. */
  flush(end: number): CompletedPart | undefined {
    const index = Math.floor(end / this.partSize);
    const crc = this.running.get(index);
    if (crc === undefined) return undefined;
    this.running.delete(index);
    const offset = index * this.partSize;
    return { index, offset, length: end - offset, crc32: crc };
  }
}
