import { parseArgs } from 'node:util';
import { BatchRunnerError } from '../errors.js';
import { OPTIONS, type OptionName } from './options.js';
import type { Settings } from './Settings.js';

/** What the command line asked for. */
export type ParsedCommand =
  | { readonly kind: 'run'; readonly settings: Settings }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

const MIB = 1024 * 1024;

/**
 * Reads flags, then environment variables for whatever the flags left out, and validates.
 * @throws {BatchRunnerError} `USAGE` with a message saying what to fix.
 */
export function parseSettings(argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): ParsedCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: 'string' as const }]));
    values = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw usageError(`${(error as Error).message}`);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const get = (name: OptionName): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const spec = OPTIONS.find((o) => o.flag === name);
    const fromEnv = spec ? env[spec.env] : undefined;
    return fromEnv === '' ? undefined : fromEnv;
  };

  const url = get('url');
  if (!url) throw usageError('--url (or DOWNLOADER_URL) is required');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw usageError(`--url "${url}" is not a URL`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw usageError(`--url must be http or https, not ${parsedUrl.protocol}`);
  }

  const bucket = get('bucket');
  const key = get('key');
  const toFile = get('to-file');
  if (toFile !== undefined && (bucket !== undefined || key !== undefined)) {
    throw usageError('give either --to-file or --bucket with --key, not both');
  }
  if (toFile === undefined && (bucket === undefined || key === undefined)) {
    throw usageError(
      'a target is required: --bucket and --key (or DOWNLOADER_BUCKET and DOWNLOADER_KEY), or --to-file',
    );
  }

  const sha256 = hexDigits(get('sha256'), 'sha256', 64);
  const md5 = hexDigits(get('md5'), 'md5', 32);
  const crc32c = hexDigits(get('crc32c'), 'crc32c', 8);
  const endpoint = get('endpoint');
  if (endpoint !== undefined) {
    try {
      new URL(endpoint);
    } catch {
      throw usageError(`--endpoint "${endpoint}" is not a URL`);
    }
  }
  const region = get('region');
  const size = integer(get('size'), 'size', 0, Number.MAX_SAFE_INTEGER);
  const maxBytes = integer(get('max-bytes'), 'max-bytes', 0, Number.MAX_SAFE_INTEGER);
  const partSize = integer(get('part-size'), 'part-size', 5 * MIB, 5 * 1024 * MIB);
  const memoryBudget = integer(get('memory-budget'), 'memory-budget', 5 * MIB, Number.MAX_SAFE_INTEGER);
  const deliveryId = get('delivery-id');

  const settings: Settings = {
    url: parsedUrl.href,
    ...(toFile !== undefined
      ? { toFile }
      : {
          s3: {
            bucket: bucket ?? '',
            key: key ?? '',
            ...(endpoint === undefined ? {} : { endpoint }),
            ...(region === undefined ? {} : { region }),
          },
        }),
    ...(sha256 === undefined ? {} : { sha256 }),
    ...(md5 === undefined ? {} : { md5 }),
    ...(crc32c === undefined ? {} : { crc32c }),
    ...(size === undefined ? {} : { size }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    connections: integer(get('connections'), 'connections', 1, 64) ?? 4,
    ...(partSize === undefined ? {} : { partSize }),
    ...(memoryBudget === undefined ? {} : { memoryBudget }),
    ...(deliveryId === undefined ? {} : { deliveryId }),
    progressIntervalMs: integer(get('progress-interval'), 'progress-interval', 0, 3_600_000) ?? 5000,
  };
  return { kind: 'run', settings };
}

/** A checksum flag: exactly `digits` hex digits, returned lower-case. */
function hexDigits(text: string | undefined, name: string, digits: number): string | undefined {
  if (text === undefined) return undefined;
  if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text))
    throw usageError(`--${name} must be ${digits} hex digits`);
  return text.toLowerCase();
}

function integer(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw usageError(`--${name} must be an integer from ${min} to ${max}; got "${text}"`);
  }
  return value;
}

function usageError(message: string): BatchRunnerError {
  return new BatchRunnerError('USAGE', `${message}. Run batch-runner --help for the flags.`);
}
