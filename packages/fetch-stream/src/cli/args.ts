import { parseArgs } from 'node:util';
import { FetchStreamError } from '../errors.js';
import type { FileDurability } from '../types.js';

/** What the command line asked for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'download';
      readonly url: string;
      readonly output: string;
      readonly connections: number | undefined;
      readonly partSize: number | undefined;
      /** `--no-fsync`: `'process-exit'`; otherwise `'power-loss'`. */
      readonly durability: FileDurability;
      readonly sha256: string | undefined;
      readonly retries: number | undefined;
      readonly json: boolean;
      readonly quiet: boolean;
      readonly headers: Record<string, string>;
    };

/** Bad command line; the CLI prints the message and exits with the usage code. */
export class UsageError extends FetchStreamError {
  constructor(message: string) {
    super(message, { code: 'USAGE', retryable: false });
    this.name = 'UsageError';
  }
}

/** Parses `fetch-stream <url> -o <file> [options]`. Throws `UsageError` with what to fix. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError(
      positionals.length === 0 ? 'Missing <url>.' : `Expected one <url>, got ${positionals.length}.`,
    );
  }
  if (values.output === undefined || values.output === '') throw new UsageError('Missing -o <file>.');
  const url = positionals[0];
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(`Not an http(s) URL: ${url}`);
  }
  const sha256 = values.sha256;
  if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256)) {
    throw new UsageError('--sha256 needs 64 hex digits.');
  }
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header needs "Name: value", got "${h}".`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  return {
    kind: 'download',
    url,
    output: values.output,
    connections: intOption(values.connections, '--connections', 1, 64),
    partSize: sizeOption(values['part-size'], '--part-size', 64 * 1024, 5 * 1024 ** 3),
    durability: values['no-fsync'] === true ? 'process-exit' : 'power-loss',
    sha256: sha256?.toLowerCase(),
    retries: intOption(values.retries, '--retries', 0, 1000),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    headers,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      connections: { type: 'string', short: 'c' },
      'part-size': { type: 'string' },
      'no-fsync': { type: 'boolean' },
      sha256: { type: 'string' },
      retries: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      header: { type: 'string', short: 'H', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  });
}

function intOption(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`${name} needs an integer from ${min} to ${max}, got "${v}".`);
  }
  return Number(v);
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A byte size: digits with an optional binary unit (K, M, G; `KiB`, `MB` are read the same). */
function sizeOption(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(v.trim());
  const bytes = m ? Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1) : Number.NaN;
  if (!(bytes >= min && bytes <= max)) {
    throw new UsageError(`${name} needs a size from 64K to 5G (e.g. 8M), got "${v}".`);
  }
  return bytes;
}

export const HELP = `Usage: fetch-stream <url> -o <file> [options]

Downloads <url> to <file>: ranged, multi-connection, resumable, sha256-verified.
Rerun the same command after an interruption to resume.

Options:
  -o, --output <file>     where to write (a <file>.part and <file>.part.json hold progress)
  -c, --connections <n>   connections when the server supports ranges (default 4)
      --part-size <size>  unit of resume and of work sharing, e.g. 1M, 8M (default 8M)
      --no-fsync          do not fsync: a killed run still resumes exactly, but after a
                          power cut the last writes may be lost (as with curl -o)
      --sha256 <hex>      expected sha256; on mismatch nothing is written (exit 5)
      --retries <n>       retries per request after a failure (default 5)
  -H, --header 'K: V'     extra request header (repeatable)
      --json              print a JSON summary on stdout when done
  -q, --quiet             no progress output
  -h, --help              this text
  -V, --version           print the version

Progress goes to stderr: a bar on a terminal, JSON lines otherwise.

Exit codes:
  0    complete and verified
  2    usage error
  3    network or server failure (retries exhausted, protocol error); rerun to resume
  4    HTTP 4xx refused the request (terminal)
  5    verification failed (checksum mismatch); no output file was created
  130  interrupted (SIGINT/SIGTERM); rerun to resume
`;
