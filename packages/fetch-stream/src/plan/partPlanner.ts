/**
 * A contiguous byte range of whole parts owned by one connection. `end` may shrink while
 * the owner streams it (another connection stole the upper half); the owner stops there.
 */
export interface Run {
  readonly start: number;
  end: number;
  /** Next byte to write. */
  cursor: number;
  /**
   * End (exclusive) of the owner's request in flight. Bytes below it are already on their
   * way; only whole parts above it are stolen, so no response is ever cut short (cutting
   * one wastes whatever the server already pushed into socket buffers).
   */
  requestedEnd: number;
}

/**
 * Divides the missing parts of a file among connections, and rebalances dynamically: a
 * connection that runs out of work takes the upper half (aligned to part boundaries) of the
 * largest remaining run, so all connections finish at about the same time.
 */
export class PartPlanner {
  private readonly pending: Run[] = [];
  private readonly active = new Set<Run>();

  constructor(
    private readonly total: number,
    private readonly partSize: number,
    missingParts: readonly number[],
    connections: number,
  ) {
    // Contiguous segments of missing parts, as [firstPart, endPart).
    const segments: Array<[number, number]> = [];
    for (const p of missingParts) {
      const last = segments[segments.length - 1];
      if (last !== undefined && last[1] === p) last[1] = p + 1;
      else segments.push([p, p + 1]);
    }
    // Split the largest segment until each connection can start on its own run.
    while (segments.length < connections) {
      let best = -1;
      let bestLen = 1;
      segments.forEach(([a, b], i) => {
        if (b - a > bestLen) {
          best = i;
          bestLen = b - a;
        }
      });
      if (best < 0) break;
      const [a, b] = segments[best] as [number, number];
      const mid = a + Math.floor((b - a) / 2);
      segments.splice(best, 1, [a, mid], [mid, b]);
    }
    for (const [a, b] of segments) {
      const start = a * partSize;
      this.pending.push({ start, end: Math.min(b * partSize, total), cursor: start, requestedEnd: start });
    }
  }

  /** Runs not yet taken by a connection. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Takes the pending run that starts at `start` (for the probe response), if any. */
  take(start: number): Run | undefined {
    const i = this.pending.findIndex((r) => r.start === start);
    if (i < 0) return undefined;
    const [run] = this.pending.splice(i, 1);
    if (run) this.active.add(run);
    return run;
  }

  /** Next work for a free connection: a pending run, else half of the largest active run. */
  next(): Run | undefined {
    const pending = this.pending.shift();
    if (pending) {
      this.active.add(pending);
      return pending;
    }
    return this.steal();
  }

  /** Marks a run finished (its owner reached its end). */
  finish(run: Run): void {
    this.active.delete(run);
  }

  private steal(): Run | undefined {
    let victim: Run | undefined;
    let victimParts = 0;
    let victimFirst = 0;
    for (const run of this.active) {
      // The part being written, and the rest of the request in flight, stay with the owner.
      const first = Math.max(
        Math.floor(run.cursor / this.partSize) + 1,
        Math.ceil(run.requestedEnd / this.partSize),
      );
      const endPart = Math.ceil(run.end / this.partSize);
      const parts = endPart - first;
      if (parts > victimParts) {
        victim = run;
        victimParts = parts;
        victimFirst = first;
      }
    }
    if (victim === undefined || victimParts < 1) return undefined;
    const endPart = victimFirst + victimParts;
    const split = endPart - Math.ceil(victimParts / 2);
    const start = split * this.partSize;
    const stolen: Run = { start, end: victim.end, cursor: start, requestedEnd: start };
    victim.end = Math.min(start, this.total);
    this.active.add(stolen);
    return stolen;
  }
}
