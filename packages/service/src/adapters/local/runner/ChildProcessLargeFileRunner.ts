/**
 * The local large-file runner: one child process per file running the batch-runner CLI with
 * the same flags and environment an AWS Batch job definition gives the container.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PARENT_WATCH_ENV } from '../../../largeFile/parentWatch.js';
import { CREDENTIAL_HEADERS_ENV } from '../../../largeFile/parseCredentialHeadersEnv.js';
import { URL_POLICY_ENV } from '../../../largeFile/parseUrlPolicyEnv.js';
import type { LargeFileJob, LargeFileResult, LargeFileRunner } from '../../../ports/LargeFileRunner.js';
import { LargeFileRunnerError } from './LargeFileRunnerError.js';

/** batch-runner's documented exit codes (sysexits numbers). */
const EXIT = {
  success: 0,
  usage: 64,
  sourceRefused: 65,
  verificationFailed: 66,
  internal: 70,
  retryable: 75,
};

/** How often the runner logs progress (the dashboard shows it); batch-runner's own default is 5 s. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * Like a Batch container, the child gets no service secrets: only what a process needs to run
 * (and AWS_* for an S3 target), plus the options' `env`.
 */
function inheritedEnv(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep =
    /^(PATH|HOME|TMPDIR|TMP|TEMP|LANG|LC_[A-Z]+|TZ|NODE_EXTRA_CA_CERTS|SYSTEMROOT|AWS_[A-Z0-9_]+)$/;
  return Object.fromEntries(Object.entries(source).filter(([key]) => keep.test(key)));
}

/** Options of {@link ChildProcessLargeFileRunner}. */
export interface ChildProcessLargeFileRunnerOptions {
  /**
   * Program and leading arguments, e.g. `[process.execPath, '<service>/dist/guardedBatchRunner.js']`
   * (batch-runner's CLI guarded by the URL policy passed in `DOWNLOADER_URL_POLICY`).
   */
  readonly command: readonly [string, ...string[]];
  /** Connections per file. @default 4 */
  readonly connections?: number;
  /** Extra environment for the child (merged over this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** Receives the child's stderr lines (it logs JSON there or on stdout). */
  readonly onLog?: (line: string) => void;
}

async function sha256OfFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function numberField(record: Record<string, unknown>, name: string): number | undefined {
  const value = record[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** {@link LargeFileRunner} that spawns the batch-runner CLI. */
export class ChildProcessLargeFileRunner implements LargeFileRunner {
  readonly #options: ChildProcessLargeFileRunnerOptions;

  constructor(options: ChildProcessLargeFileRunnerOptions) {
    this.#options = options;
  }

  async run(job: LargeFileJob): Promise<LargeFileResult> {
    const [program, ...lead] = this.#options.command;
    // Every value rides in `--flag=value` form: delivery ids are base64url, so one in 64 starts
    // with `-`, and `--delivery-id -x…` would read as a flag with its value missing.
    const flags: [string, string][] = [
      ['url', job.url],
      ['delivery-id', job.deliveryId],
    ];
    if (job.target.kind === 'file') flags.push(['to-file', job.target.path]);
    else {
      flags.push(['bucket', job.target.bucket], ['key', job.target.key]);
      if (job.target.endpoint !== undefined) flags.push(['endpoint', job.target.endpoint]);
    }
    if (job.expected?.sha256 !== undefined) flags.push(['sha256', job.expected.sha256]);
    if (job.expected?.md5 !== undefined) flags.push(['md5', job.expected.md5]);
    if (job.expected?.crc32c !== undefined) flags.push(['crc32c', job.expected.crc32c]);
    if (job.size !== undefined) flags.push(['size', String(job.size)]);
    if (job.maxBytes !== undefined) flags.push(['max-bytes', String(job.maxBytes)]);
    flags.push(['connections', String(this.#options.connections ?? 4)]);
    flags.push(['progress-interval', String(PROGRESS_INTERVAL_MS)]);
    const args = [...lead, ...flags.map(([name, value]) => `--${name}=${value}`)];
    const env: NodeJS.ProcessEnv = {
      ...inheritedEnv(process.env),
      ...this.#options.env,
      // The provider's URL policy, applied by the guarded runner at connect time on every hop;
      // without one it applies the strictest policy.
      ...(job.urlPolicy === undefined ? {} : { [URL_POLICY_ENV]: JSON.stringify(job.urlPolicy) }),
      // Credentials go by environment, never argv (argv is readable by every user in `ps`).
      ...(job.credentialHeaders === undefined || Object.keys(job.credentialHeaders).length === 0
        ? {}
        : { [CREDENTIAL_HEADERS_ENV]: JSON.stringify(job.credentialHeaders) }),
    };

    let reported: { sha256?: string; bytes?: number } = {};
    // The runner's own reason for failing (its `failed` line), e.g. BLOCKED_ADDRESS from the guard.
    let failure: { code: string; message: string } | undefined;
    // stdin stays open and unused: it closes when this process dies (even by SIGKILL), which
    // tells the guarded runner to stop instead of writing on as an orphan beside a restarted
    // service's new attempt (see PARENT_WATCH_ENV).
    const child = spawn(program, args, {
      env: { ...env, [PARENT_WATCH_ENV]: 'stdin' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const onAbort = () => child.kill('SIGTERM');
    job.signal?.addEventListener('abort', onAbort, { once: true });
    const readLines = (stream: NodeJS.ReadableStream) =>
      (async () => {
        for await (const line of createInterface({ input: stream })) {
          this.#options.onLog?.(line);
          let record: Record<string, unknown>;
          try {
            const parsed: unknown = JSON.parse(line);
            if (parsed === null || typeof parsed !== 'object') continue;
            record = parsed as Record<string, unknown>;
          } catch {
            continue;
          }
          if (record.event === 'failed' && typeof record.code === 'string') {
            failure = {
              code: record.code,
              message: typeof record.message === 'string' ? record.message : '',
            };
          }
          const bytes = numberField(record, 'bytes');
          if (bytes !== undefined) job.onProgress?.(bytes);
          if (typeof record.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(record.sha256)) {
            reported = { sha256: record.sha256.toLowerCase(), ...(bytes === undefined ? {} : { bytes }) };
          }
        }
      })();
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    let outcome: { code: number | null; signal: NodeJS.Signals | null };
    try {
      [outcome] = await Promise.all([exit, readLines(child.stdout), readLines(child.stderr)]);
    } catch (error) {
      throw new LargeFileRunnerError(`Could not start the large-file runner "${program}".`, {
        retryable: false,
        cause: error,
      });
    } finally {
      job.signal?.removeEventListener('abort', onAbort);
    }
    if (outcome.code === EXIT.success) {
      if (job.target.kind === 'file') {
        // The file is the truth: hash what is on disk (also covers a runner that reports no sha256).
        const onDisk = await sha256OfFile(job.target.path);
        if (reported.sha256 !== undefined && reported.sha256 !== onDisk.sha256) {
          throw new LargeFileRunnerError(
            'The runner reported a sha256 that differs from the file it wrote.',
            {
              retryable: false,
              exitCode: 0,
            },
          );
        }
        return onDisk;
      }
      if (reported.sha256 === undefined || reported.bytes === undefined) {
        throw new LargeFileRunnerError('The runner finished without reporting bytes and sha256.', {
          retryable: false,
          exitCode: 0,
        });
      }
      return { sha256: reported.sha256, bytes: reported.bytes };
    }
    const code = outcome.code ?? undefined;
    const retryable = code === EXIT.retryable || (code === undefined && job.signal?.aborted !== true);
    const meaning =
      code === EXIT.sourceRefused
        ? 'the source refused the download'
        : code === EXIT.verificationFailed
          ? 'the bytes failed verification; nothing was published'
          : code === EXIT.usage
            ? 'the runner was called with bad arguments'
            : code === EXIT.retryable
              ? 'a transient failure; state saved for a resume'
              : code === undefined
                ? `ended by ${outcome.signal ?? 'a signal'}`
                : 'an internal error';
    const reason = failure === undefined ? '' : ` ${failure.code}: ${failure.message}`;
    throw new LargeFileRunnerError(
      `Large-file runner failed (exit ${code ?? outcome.signal}): ${meaning}.${reason}`,
      {
        retryable,
        ...(code === undefined ? {} : { exitCode: code }),
      },
    );
  }
}
