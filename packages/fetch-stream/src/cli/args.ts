import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FetchStreamError } from '../errors.js';
import type { FileDurability } from '../types.js';
import { closestOption } from './closestOption.js';

/** Options shared by a single download and a list. */
export interface TransferFlags {
  readonly connections: number | undefined;
  readonly partSize: number | undefined;
  /** `--no-fsync`: `'process-exit'`; otherwise `'power-loss'`. */
  readonly durability: FileDurability;
  readonly retries: number | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly headers: Record<string, string>;
}

/** What the command line asked for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | (TransferFlags & {
      readonly kind: 'download';
      readonly url: string;
      /** Undefined: named after the server's Content-Disposition or the URL (`-O`, or no `-o`). */
      readonly output: string | undefined;
      /** `-d`: directory of the output. */
      readonly dir: string | undefined;
      readonly sha256: string | undefined;
    })
  | (TransferFlags & {
      readonly kind: 'list';
      /** `-i`: the list file, `-` for stdin. */
      readonly inputFile: string;
      /** `-j`: files at once. */
      readonly jobs: number;
      /** `-d`: directory the list's outputs are relative to. */
      readonly dir: string;
    });

/** Bad command line; the CLI prints the message and exits with the usage code. */
export class UsageError extends FetchStreamError {
  constructor(message: string) {
    super(message, { code: 'USAGE', retryable: false });
    this.name = 'UsageError';
  }
}

/** True when the command line asks for JSON results (looked for even when it does not parse). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** Parses the command line. Throws `UsageError` with what to fix. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError(explainParseError(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header needs "Name: value", got "${h}".`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const flags: TransferFlags = {
    connections: intOption(values.connections, '--connections', 1, 64),
    partSize: sizeOption(values['part-size'], '--part-size', 64 * 1024, 5 * 1024 ** 3),
    durability: values['no-fsync'] === true ? 'process-exit' : 'power-loss',
    retries: intOption(values.retries, '--retries', 0, 1000),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    headers,
  };
  if (values['input-file'] !== undefined) {
    if (positionals.length > 0)
      throw new UsageError('-i reads the URLs from the list: give no <url> with it.');
    for (const single of ['output', 'remote-name', 'sha256'] as const) {
      if (values[single] !== undefined)
        throw new UsageError(`--${single} is per file: put it in the list (out=, checksum=).`);
    }
    return {
      ...flags,
      kind: 'list',
      inputFile: values['input-file'],
      jobs: intOption(values.jobs, '--jobs', 1, 256) ?? 4,
      dir: values.dir ?? '.',
    };
  }
  if (values.jobs !== undefined) throw new UsageError('-j applies to a list: use it with -i <list>.');
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError(
      positionals.length === 0
        ? 'Missing <url> (or -i <list>).'
        : `Expected one <url>, got ${positionals.length}.`,
    );
  }
  if (values.output !== undefined && values['remote-name'] === true) {
    throw new UsageError('Give either -o <file> or -O, not both.');
  }
  if (values.output === '') throw new UsageError('-o needs a file name.');
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
  const output =
    values.output === undefined
      ? undefined
      : values.dir !== undefined
        ? join(values.dir, values.output)
        : values.output;
  return { ...flags, kind: 'download', url, output, dir: values.dir, sha256: sha256?.toLowerCase() };
}

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  'remote-name': { type: 'boolean', short: 'O' },
  'input-file': { type: 'string', short: 'i' },
  jobs: { type: 'string', short: 'j' },
  dir: { type: 'string', short: 'd' },
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
} as const;

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
}

/** parseArgs' messages, reworded: what was wrong and the nearest valid spelling. */
function explainParseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'([^']+)'/.exec(message)?.[1] ?? message;
    const near = given.startsWith('--') ? closestOption(given, Object.keys(OPTIONS)) : undefined;
    return near !== undefined
      ? `Unknown option ${given}. Did you mean --${near}?`
      : `Unknown option ${given}.`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /--([a-z0-9-]+)/.exec(message)?.[1];
    if (option !== undefined && message.includes('argument missing')) return `--${option} needs a value.`;
    if (option !== undefined) return `--${option} does not take a value.`;
  }
  return message;
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

export const HELP = `Usage: fetch-stream <url> [-o <file> | -O] [options]
       fetch-stream -i <list> [-j <n>] [-d <dir>] [options]

Downloads <url> to <file>: ranged, multi-connection, resumable, sha256-verified.
Rerun the same command after an interruption to resume.

Options:
  -o, --output <file>     where to write (a <file>.part and <file>.part.json hold progress)
  -O, --remote-name       name the file after the server's Content-Disposition or the URL
                          (sanitized; also the default when -o is not given)
  -i, --input-file <list> download every entry of <list> (- for stdin): a URL per line with
                          indented out=<name> and checksum=sha-256=<hex> lines (as aria2c -i),
                          or JSON lines {"url", "output", "sha256"}; a rerun resumes the list
  -j, --jobs <n>          files at once with -i (default 4)
  -d, --dir <dir>         directory for the outputs (default: the current one)
  -c, --connections <n>   connections per file when the server supports ranges
                          (default 4; 1 per file with -i)
      --part-size <size>  unit of resume and of work sharing, e.g. 1M, 8M (default 8M)
      --no-fsync          do not fsync: a killed run still resumes exactly, but after a
                          power cut the last writes may be lost (as with curl -o)
      --sha256 <hex>      expected sha256; on mismatch nothing is written (exit 5)
      --retries <n>       retries per request after a failure (default 5)
  -H, --header 'K: V'     extra request header (repeatable)
      --json              print a JSON result on stdout for every outcome, errors included
  -q, --quiet             only failures (and a list's summary) on stderr
  -h, --help              this text
  -V, --version           print the version

On a terminal, stderr shows a progress bar and plain lines; otherwise it carries only JSON
lines ({"type":"progress"|"start"|"verified"|"done"|"error", ...}).

Exit codes (with -i: the highest of the files'):
  0    complete and verified
  2    usage error
  3    network or server failure (retries exhausted, protocol error)
  4    HTTP 4xx refused the request (terminal)
  5    verification failed (checksum mismatch); no output file was created
  130  interrupted (SIGINT/SIGTERM); the signal is re-raised after saving state
`;
