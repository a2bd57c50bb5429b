import type { DownloadAllProgress, DownloadItemOutcome } from '../downloadAll.js';
import type { DownloadProgress, DownloadResult, DownloadStart } from '../types.js';
import { jsonLine } from './jsonLines.js';
import { errorJson, lastWords } from './lastWords.js';
import { formatBytes, renderBar } from './progressBar.js';

/** Where the CLI's stderr goes: a terminal gets a bar and plain lines, anything else JSON lines. */
export interface Reporter {
  progress(e: DownloadProgress | DownloadAllProgress): void;
  /** The transfer of `output` began (`resumedBytes` > 0: a resume). */
  started(output: string, info: DownloadStart): void;
  /** `output` is complete and in place. */
  finished(output: string, result: DownloadResult): void;
  /** A list entry whose output was already complete. */
  kept(output: string, bytes: number): void;
  /** A failure (of the run, or of one list entry). */
  failed(output: string | undefined, err: unknown, exitCode: number): void;
  /** A list's outcome, one row per file. */
  summary(outcomes: ReadonlyArray<DownloadItemOutcome>, exitCodes: ReadonlyArray<number>): void;
  /** Ends the bar line, if one is drawn. */
  end(): void;
}

type Write = (text: string) => void;

/** Human output for a terminal. */
export class TerminalReporter implements Reporter {
  private barShown = false;

  /** `showProgress` false (`--quiet`): only failures and the list summary are written. */
  constructor(
    private readonly write: Write,
    private readonly columns: () => number,
    private readonly showProgress: boolean,
  ) {}

  progress(e: DownloadProgress | DownloadAllProgress): void {
    if (!this.showProgress) return;
    this.write(`\r${renderBar(e, this.columns())}\x1b[K`);
    this.barShown = true;
  }

  started(output: string, info: DownloadStart): void {
    if (!this.showProgress || info.resumedBytes <= 0) return;
    const of = info.total !== undefined ? ` of ${formatBytes(info.total)}` : '';
    this.line(`${output}: resuming: ${formatBytes(info.resumedBytes)}${of} kept`);
  }

  finished(output: string, result: DownloadResult): void {
    if (!this.showProgress) return;
    for (const v of result.verified) {
      this.line(
        `${output}: ${v.algorithm} verified (${v.source === 'caller' ? 'expected value' : 'server digest'} matched)`,
      );
    }
    this.line(`${output}: ${result.bytes} bytes, sha256 ${result.sha256}`);
  }

  kept(output: string, bytes: number): void {
    if (!this.showProgress) return;
    this.line(`${output}: already complete (${formatBytes(bytes)}), kept`);
  }

  failed(output: string | undefined, err: unknown, exitCode: number): void {
    const words = lastWords(err, exitCode);
    const prefix = output !== undefined ? `${output}: ` : '';
    for (const text of words) this.line(`fetch-stream: ${prefix}${text}`);
  }

  summary(outcomes: ReadonlyArray<DownloadItemOutcome>, exitCodes: ReadonlyArray<number>): void {
    const counts = { downloaded: 0, kept: 0, failed: 0 };
    for (const o of outcomes) counts[o.status]++;
    // Every row for a short list; only the failures for a long one.
    const rows = outcomes.filter((o) => outcomes.length <= 20 || o.status === 'failed');
    if (rows.length > 0) this.line('status      exit  bytes       output');
    for (const o of rows) {
      const bytes = o.status === 'downloaded' ? o.result.bytes : o.status === 'kept' ? o.bytes : undefined;
      const code = String(exitCodes[o.index] ?? 0);
      const detail = o.status === 'failed' ? `  (${o.error.code})` : '';
      this.line(
        `${o.status.padEnd(11)} ${code.padEnd(5)} ${(bytes !== undefined ? formatBytes(bytes) : '-').padEnd(11)} ${o.item.output}${detail}`,
      );
    }
    this.line(
      `${outcomes.length} files: ${counts.downloaded} downloaded, ${counts.kept} already complete, ${counts.failed} failed`,
    );
  }

  end(): void {
    if (this.barShown) this.write('\n');
    this.barShown = false;
  }

  private line(text: string): void {
    // The bar is redrawn by the next progress event; the line replaces it meanwhile.
    this.write(`${this.barShown ? '\r\x1b[K' : ''}${text}\n`);
    this.barShown = false;
  }
}

/** Machine output: every line on stderr is one JSON object. */
export class JsonLinesReporter implements Reporter {
  constructor(
    private readonly write: Write,
    private readonly showProgress: boolean,
  ) {}

  progress(e: DownloadProgress | DownloadAllProgress): void {
    if (this.showProgress) this.write(jsonLine('progress', e));
  }

  started(output: string, info: DownloadStart): void {
    if (this.showProgress) this.write(jsonLine('start', { output, ...info }));
  }

  finished(output: string, result: DownloadResult): void {
    if (!this.showProgress) return;
    for (const v of result.verified) this.write(jsonLine('verified', { output, ...v }));
    this.write(
      jsonLine('done', {
        output,
        bytes: result.bytes,
        sha256: result.sha256,
        resumedBytes: result.resumedBytes,
      }),
    );
  }

  kept(output: string, bytes: number): void {
    if (this.showProgress) this.write(jsonLine('kept', { output, bytes }));
  }

  failed(output: string | undefined, err: unknown, exitCode: number): void {
    this.write(
      jsonLine('error', {
        ...(output !== undefined ? { output } : {}),
        exitCode,
        error: errorJson(err),
        lastWords: lastWords(err, exitCode),
      }),
    );
  }

  summary(outcomes: ReadonlyArray<DownloadItemOutcome>, exitCodes: ReadonlyArray<number>): void {
    const counts = { downloaded: 0, kept: 0, failed: 0 };
    for (const o of outcomes) counts[o.status]++;
    this.write(
      jsonLine('summary', { files: outcomes.length, ...counts, exitCode: Math.max(0, ...exitCodes) }),
    );
  }

  end(): void {}
}
