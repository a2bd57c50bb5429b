import type { DownloadProgress } from '../types.js';

const WINDOW_MS = 5000;

/** Counts bytes and emits throttled progress events with a rate over the last few seconds. */
export class ProgressMeter {
  private bytes = 0;
  private total: number | undefined;
  private readonly samples: Array<[number, number]> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onProgress: ((e: DownloadProgress) => void) | undefined,
    private readonly intervalMs: number,
    private readonly activeConnections: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.onProgress === undefined || this.timer !== undefined) return;
    this.samples.push([this.now(), this.bytes]);
    this.timer = setInterval(() => this.emit(), Math.max(this.intervalMs, 10));
    this.timer.unref();
  }

  setTotal(total: number | undefined): void {
    this.total = total;
  }

  /** Sets the byte count (resume, restart) without counting it towards the rate. */
  reset(bytes: number): void {
    this.bytes = bytes;
    this.samples.length = 0;
    this.samples.push([this.now(), bytes]);
  }

  add(n: number): void {
    this.bytes += n;
  }

  get current(): number {
    return this.bytes;
  }

  /** Stops the timer and emits the final event. */
  stop(emitFinal: boolean): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (emitFinal) this.emit();
  }

  snapshot(): DownloadProgress {
    const t = this.now();
    while (this.samples.length > 1 && t - (this.samples[0] as [number, number])[0] > WINDOW_MS)
      this.samples.shift();
    const first = this.samples[0];
    const dt = first ? (t - first[0]) / 1000 : 0;
    const rate = first && dt > 0 ? Math.max(0, (this.bytes - first[1]) / dt) : 0;
    const eta =
      this.total !== undefined && rate > 0 ? Math.max(0, (this.total - this.bytes) / rate) : undefined;
    return {
      bytes: this.bytes,
      ...(this.total !== undefined ? { total: this.total } : {}),
      rate: Math.round(rate),
      ...(eta !== undefined ? { etaSeconds: Math.round(eta * 10) / 10 } : {}),
      activeConnections: this.activeConnections(),
    };
  }

  private emit(): void {
    const e = this.snapshot();
    this.samples.push([this.now(), this.bytes]);
    this.onProgress?.(e);
  }
}
