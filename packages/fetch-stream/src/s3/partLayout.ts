import { S3SinkError } from './errors.js';

const MIB = 1024 * 1024;

/** Our smallest part: 8 MiB (S3 allows 5 MiB; bigger parts mean fewer requests). */
export const DEFAULT_MIN_PART_SIZE = 8 * MIB;
/** S3's smallest part except the last. */
export const S3_MIN_PART_SIZE = 5 * MIB;
/** S3's largest part. */
export const S3_MAX_PART_SIZE = 5 * 1024 * MIB;
/** S3's part-number limit. */
export const S3_MAX_PARTS = 10_000;
/** With unknown size, the part size doubles every this many parts (8 MiB × 1000 × (1+2+…+512) > 5 TiB). */
const GROWTH_INTERVAL = 1000;

/**
 * Where each part of an upload starts and how long it is.
 *
 * Known size: one part size, at least `max(minPartSize, ceil(size / 9000))`, so the largest S3
 * object fits in 9 000 parts with room to spare. Unknown size: parts start at `minPartSize`
 * and double every 1 000 parts.
 */
export class PartLayout {
  /** Total object size, when known. */
  readonly size: number | undefined;
  /** Size of part 1 (and of every part but the last when the size is known). */
  readonly basePartSize: number;

  constructor(size: number | undefined, minPartSize: number = DEFAULT_MIN_PART_SIZE) {
    if (minPartSize < S3_MIN_PART_SIZE) {
      throw new S3SinkError('S3_INVALID_USE', `part size ${minPartSize} is below S3's minimum of 5 MiB`);
    }
    if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
      throw new S3SinkError('S3_INVALID_USE', `object size ${size} is not a non-negative integer`);
    }
    this.size = size;
    this.basePartSize = size === undefined ? minPartSize : Math.max(minPartSize, Math.ceil(size / 9000));
  }

  /** Number of parts, when the size is known (at least 1). */
  get partCount(): number | undefined {
    if (this.size === undefined) return undefined;
    return Math.max(1, Math.ceil(this.size / this.basePartSize));
  }

  /** Nominal length of part `partNumber` (the last part of a known size may be shorter). */
  partSize(partNumber: number): number {
    this.check(partNumber);
    if (this.size !== undefined) {
      const start = (partNumber - 1) * this.basePartSize;
      return Math.min(this.basePartSize, Math.max(0, this.size - start));
    }
    const growth = 2 ** Math.floor((partNumber - 1) / GROWTH_INTERVAL);
    return Math.min(S3_MAX_PART_SIZE, this.basePartSize * growth);
  }

  /** Byte offset where part `partNumber` starts. */
  partOffset(partNumber: number): number {
    this.check(partNumber);
    if (this.size !== undefined) return (partNumber - 1) * this.basePartSize;
    let offset = 0;
    let n = 1;
    // Whole growth steps first, then the rest of the current step.
    while (n + GROWTH_INTERVAL <= partNumber) {
      offset += GROWTH_INTERVAL * this.partSize(n);
      n += GROWTH_INTERVAL;
    }
    return offset + (partNumber - n) * this.partSize(n);
  }

  private check(partNumber: number): void {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > S3_MAX_PARTS) {
      throw new S3SinkError('S3_INVALID_USE', `part number ${partNumber} is outside 1..${S3_MAX_PARTS}`);
    }
  }
}
