import { InvalidOptionsError } from './errors.js';
import type {
  ConnectGuard,
  DownloadOptions,
  DownloadProgress,
  DownloadStart,
  ExpectedChecksums,
  RetryOptions,
} from './types.js';

/** Every option with its default applied; what the engine works from. */
export interface Settings {
  readonly connections: number;
  readonly maxConnectionsPerHost: number;
  readonly partSize: number;
  readonly checksum: ExpectedChecksums;
  readonly verifyServerDigests: boolean;
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly refreshUrl: RetryOptions['refreshUrl'];
  readonly timeouts: {
    readonly connect: number;
    readonly responseHeaders: number;
    readonly idle: number;
    readonly overall: number;
    readonly lowSpeedBytesPerSecond: number;
    readonly lowSpeedWindow: number;
  };
  readonly progressIntervalMs: number;
  readonly onProgress: ((event: DownloadProgress) => void) | undefined;
  readonly onStart: ((info: DownloadStart) => void) | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly credentialHeaders: Readonly<Record<string, string>>;
  readonly connectGuard: ConnectGuard | undefined;
  readonly maxRedirects: number;
  readonly maxRestarts: number;
  readonly expectedSize: number | undefined;
  readonly maxBytes: number | undefined;
}

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Headers the engine owns; a caller's value would break range or encoding guarantees. */
const RESERVED_HEADERS = new Set([
  'range',
  'if-range',
  'accept-encoding',
  'host',
  'connection',
  'content-length',
]);
/**
 * Hop-by-hop and framing headers: on a GET without a body they announce a body or a protocol
 * switch that never comes, which a server or proxy may read as the start of a smuggled request.
 */
const FRAMING_HEADERS = new Set([
  'transfer-encoding',
  'te',
  'trailer',
  'expect',
  'upgrade',
  'keep-alive',
  'proxy-connection',
  'http2-settings',
]);

/** A copy of caller headers, refusing the ones the engine sets itself (names only in the message). */
function checkedHeaders(
  given: Readonly<Record<string, string>> | undefined,
  option: 'headers' | 'credentialHeaders',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given ?? {})) {
    if (RESERVED_HEADERS.has(k.toLowerCase())) {
      throw new InvalidOptionsError(
        `${option}.${k} is set by fetch-stream itself; remove it from options.${option}.`,
      );
    }
    if (FRAMING_HEADERS.has(k.toLowerCase())) {
      throw new InvalidOptionsError(
        `${option}.${k} is a hop-by-hop or framing header, which a GET without a body must not send; remove it.`,
      );
    }
    out[k] = v;
  }
  return out;
}

/** Applies defaults and validates; throws `InvalidOptionsError` with what to fix. */
export function resolveSettings(o: DownloadOptions): Settings {
  const maxConnectionsPerHost = int(o.maxConnectionsPerHost, 8, 1, 64, 'maxConnectionsPerHost');
  const connections = Math.min(int(o.connections, 4, 1, 64, 'connections'), maxConnectionsPerHost);
  const partSize = int(o.partSize, DEFAULT_PART_SIZE, 64 * 1024, 5 * 1024 ** 3, 'partSize');
  const r = o.retry ?? {};
  const t = o.timeouts ?? {};
  const checksum = o.checksum ?? {};
  hex(checksum.sha256, 64, 'checksum.sha256');
  hex(checksum.md5, 32, 'checksum.md5');
  hex(checksum.crc32c, 8, 'checksum.crc32c');
  const headers = checkedHeaders(o.headers, 'headers');
  const credentialHeaders = checkedHeaders(o.credentialHeaders, 'credentialHeaders');
  return {
    connections,
    maxConnectionsPerHost,
    partSize,
    checksum: {
      ...(checksum.sha256 ? { sha256: checksum.sha256.toLowerCase() } : {}),
      ...(checksum.md5 ? { md5: checksum.md5.toLowerCase() } : {}),
      ...(checksum.crc32c ? { crc32c: checksum.crc32c.toLowerCase() } : {}),
    },
    verifyServerDigests: o.verifyServerDigests ?? true,
    retries: int(r.retries, 5, 0, 1000, 'retry.retries'),
    baseDelayMs: int(r.baseDelayMs, 250, 0, 3_600_000, 'retry.baseDelayMs'),
    maxDelayMs: int(r.maxDelayMs, 30_000, 0, 3_600_000, 'retry.maxDelayMs'),
    refreshUrl: r.refreshUrl,
    timeouts: {
      connect: int(t.connect, 15_000, 0, 3_600_000, 'timeouts.connect'),
      responseHeaders: int(t.responseHeaders, 30_000, 0, 3_600_000, 'timeouts.responseHeaders'),
      idle: int(t.idle, 30_000, 0, 3_600_000, 'timeouts.idle'),
      overall: int(t.overall, 0, 0, 2_147_483_647, 'timeouts.overall'),
      lowSpeedBytesPerSecond: int(
        t.lowSpeedBytesPerSecond,
        0,
        0,
        Number.MAX_SAFE_INTEGER,
        'timeouts.lowSpeedBytesPerSecond',
      ),
      lowSpeedWindow: int(t.lowSpeedWindow, 30_000, 100, 3_600_000, 'timeouts.lowSpeedWindow'),
    },
    progressIntervalMs: int(o.progressIntervalMs, 250, 0, 3_600_000, 'progressIntervalMs'),
    onProgress: o.onProgress,
    onStart: o.onStart,
    headers,
    credentialHeaders,
    connectGuard: o.connectGuard,
    maxRedirects: int(o.maxRedirects, 10, 0, 100, 'maxRedirects'),
    maxRestarts: int(o.maxRestarts, 3, 0, 100, 'maxRestarts'),
    expectedSize:
      o.expectedSize === undefined
        ? undefined
        : int(o.expectedSize, 0, 0, Number.MAX_SAFE_INTEGER, 'expectedSize'),
    maxBytes:
      o.maxBytes === undefined ? undefined : int(o.maxBytes, 0, 0, Number.MAX_SAFE_INTEGER, 'maxBytes'),
  };
}

function int(v: number | undefined, dflt: number, min: number, max: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidOptionsError(`${name} must be an integer from ${min} to ${max}; got ${String(v)}.`);
  }
  return v;
}

function hex(v: string | undefined, len: number, name: string): void {
  if (v !== undefined && !new RegExp(`^[0-9a-fA-F]{${len}}$`).test(v)) {
    throw new InvalidOptionsError(`${name} must be ${len} hex digits; got "${v}".`);
  }
}
