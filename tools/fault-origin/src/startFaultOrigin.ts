import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type Fault, formatFault, parseFault, withFaults } from './faults.js';
import { ifRangeMatches, parseRange } from './parseRange.js';
import { type Resource, ResourceStore } from './resourceStore.js';
import { type OriginStats, type RequestRecord, StatsRecorder } from './stats.js';
import { writeBody } from './writeBody.js';

/** Options of {@link startFaultOrigin}. */
export interface FaultOriginOptions {
  /**
   * Generated files to serve, name → size in bytes. Names are paths without the leading slash.
   * @default {}
   */
  readonly files?: Readonly<Record<string, number>>;
  /**
   * Seed of the generated content: same seed, name and version → same bytes.
   * @default 'fault-origin'
   */
  readonly seed?: string;
}

/** What a test sees of one resource's current version. */
export interface ResourceInfo {
  readonly size: number;
  readonly version: number;
  readonly etag: string;
  readonly lastModified: string;
  /** Lower-case hex sha256 of the current version's bytes. */
  readonly sha256: string;
}

/** A running fault origin. */
export interface FaultOrigin {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  /** Absolute URL of `path`, with `faults` in its query string. */
  url(path: string, faults?: Fault | ReadonlyArray<Fault>): string;
  /** Live counters since start or the last {@link FaultOrigin.resetStats}. */
  readonly stats: OriginStats;
  /** Clears the counters and the per-fault request counts (`times`, `afterRequests`). */
  resetStats(): void;
  /** Registers (or replaces, as a new version) a generated file. */
  addFile(name: string, size: number): ResourceInfo;
  /** Replaces a resource's bytes: a new version with a new ETag and Last-Modified. */
  setContent(name: string, data: Buffer): ResourceInfo;
  /** Faults applied to every request for `name` whose URL names none; `undefined` clears them. */
  setFaults(name: string, faults: Fault | ReadonlyArray<Fault> | undefined): void;
  /** The current version of a resource. */
  info(name: string): ResourceInfo;
  /** The current version's bytes (for small resources). */
  bytes(name: string): Buffer;
  /** Stops listening, cuts every open connection and cancels pending stalls. */
  close(): Promise<void>;
}

interface FaultState {
  count: number;
  fired: boolean;
  /** `status` with `enforce`: the last Retry-After moment announced. */
  notBefore?: number;
}

const DEFAULT_REDIRECT_STATUS = 302;

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function* flipByte(chunks: Iterable<Buffer>, start: number, offset: number): Generator<Buffer> {
  let position = start;
  for (const chunk of chunks) {
    if (offset >= position && offset < position + chunk.length) {
      const copy = Buffer.from(chunk);
      copy[offset - position] = (copy[offset - position] ?? 0) ^ 0xff;
      yield copy;
    } else {
      yield chunk;
    }
    position += chunk.length;
  }
}

/** Retry-After header value for `seconds` from now, and the moment it names (ms since epoch). */
function retryAfter(seconds: number, format: 'seconds' | 'date' | undefined): { header: string; at: number } {
  if (format === 'date') {
    // HTTP-dates have whole seconds: round up so the date is never earlier than asked.
    const at = Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000;
    return { header: new Date(at).toUTCString(), at };
  }
  return { header: String(seconds), at: Date.now() + seconds * 1000 };
}

/** Timers may fire a hair early against the wall clock; an arrival this close counts as on time. */
const RETRY_AFTER_TOLERANCE_MS = 50;

/**
 * Starts a loopback HTTP origin that serves deterministic files with correct Range, If-Range, ETag,
 * Last-Modified, HEAD and 416 semantics, and misbehaves on request: faults are named in the URL's
 * `f` query parameters (see {@link FaultOrigin.url}) or configured per path with
 * {@link FaultOrigin.setFaults}.
 */
export async function startFaultOrigin(options: FaultOriginOptions = {}): Promise<FaultOrigin> {
  const store = new ResourceStore(options.seed ?? 'fault-origin');
  for (const [name, size] of Object.entries(options.files ?? {})) store.addFile(name, size);
  const stats = new StatsRecorder();
  const configured = new Map<string, Fault[]>();
  let states = new Map<string, FaultState>();
  const lifetime = new AbortController();

  const info = (resource: Resource): ResourceInfo => ({
    size: resource.size,
    version: resource.version,
    etag: resource.etag,
    lastModified: resource.lastModified,
    sha256: store.sha256(resource).toString('hex'),
  });

  const stateOf = (name: string, fault: Fault): FaultState => {
    const key = `${name}\0${formatFault(fault)}`;
    let state = states.get(key);
    if (!state) {
      state = { count: 0, fired: false };
      states.set(key, state);
    }
    return state;
  };

  /** Counts one request the fault could bite; true when it is within the fault's `times`. */
  const take = (name: string, fault: Fault, record: RequestRecord, eligible: boolean): boolean => {
    if (!eligible) return false;
    const state = stateOf(name, fault);
    state.count += 1;
    const times = 'times' in fault ? fault.times : undefined;
    const active = times === undefined || state.count <= times;
    if (active) record.faults.push(fault.mode);
    return active;
  };

  const send = (
    res: ServerResponse,
    record: RequestRecord,
    status: number,
    headers: Record<string, string>,
  ) => {
    record.status = status;
    res.writeHead(status, { 'content-length': '0', ...headers });
    res.end(() => {
      record.completed = true;
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const rangeHeader = req.headers.range;
    const ifRange = typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined;
    const acceptEncoding = req.headers['accept-encoding'];
    const record = stats.start(
      method,
      req.url ?? '/',
      req.socket.remotePort ?? 0,
      { ...req.headers },
      { range: rangeHeader, ifRange, acceptEncoding },
    );
    const url = new URL(req.url ?? '/', 'http://origin.invalid');
    const name = decodeURIComponent(url.pathname.replace(/^\/+/, ''));

    let faults: Fault[];
    try {
      const named = url.searchParams.getAll('f');
      faults = named.length > 0 ? named.map(parseFault) : (configured.get(name) ?? []);
    } catch (error) {
      record.status = 400;
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`${error instanceof Error ? error.message : String(error)}\n`);
      return;
    }
    const isGet = method === 'GET';

    for (const fault of faults) {
      if (fault.mode === 'status') {
        const state = stateOf(name, fault);
        if (
          fault.enforce &&
          state.notBefore !== undefined &&
          Date.now() < state.notBefore - RETRY_AFTER_TOLERANCE_MS
        ) {
          record.faults.push('status-early');
          const left = Math.max(1, Math.ceil((state.notBefore - Date.now()) / 1000));
          return send(res, record, fault.status, {
            'retry-after': retryAfter(left, fault.retryAfterFormat).header,
          });
        }
        if (take(name, fault, record, true)) {
          const headers: Record<string, string> = {};
          if (fault.retryAfter !== undefined) {
            const announced = retryAfter(fault.retryAfter, fault.retryAfterFormat);
            headers['retry-after'] = announced.header;
            state.notBefore = announced.at;
          }
          return send(res, record, fault.status, headers);
        }
      }
      if (fault.mode === 'redirect' && fault.hops > 0 && take(name, fault, record, true)) {
        const others = faults.filter((other) => other !== fault);
        const next: Fault[] = fault.hops > 1 ? [{ ...fault, hops: fault.hops - 1 }, ...others] : others;
        const location = withFaults(url.pathname, next.length > 0 ? next : [{ mode: 'none' }]);
        return send(res, record, fault.status ?? DEFAULT_REDIRECT_STATUS, { location });
      }
      if (fault.mode === 'redirect-loop' && take(name, fault, record, true)) {
        return send(res, record, fault.status ?? DEFAULT_REDIRECT_STATUS, { location: req.url ?? '/' });
      }
      if (fault.mode === 'redirect-to' && take(name, fault, record, true)) {
        return send(res, record, fault.status ?? DEFAULT_REDIRECT_STATUS, { location: fault.location });
      }
    }

    let resource = store.get(name);
    if (!resource) return send(res, record, 404, {});
    if (!isGet && method !== 'HEAD') return send(res, record, 405, { allow: 'GET, HEAD' });

    const plan = (current: Resource) => {
      const outcome = ifRangeMatches(ifRange, current.etag, current.lastModified)
        ? parseRange(rangeHeader, current.size)
        : ({ kind: 'none' } as const);
      return outcome;
    };
    const plannedLength = (current: Resource): number => {
      const outcome = plan(current);
      return outcome.kind === 'range' ? outcome.range.end - outcome.range.start : current.size;
    };

    // The `change` fault decides first: it chooses which version this request sees.
    let cutForChange: number | undefined;
    let changeState: FaultState | undefined;
    for (const fault of faults) {
      if (fault.mode !== 'change' || !isGet) continue;
      const state = stateOf(name, fault);
      if (state.fired && !fault.every) continue;
      const eligible = fault.cutAfterBytes === undefined || plannedLength(resource) > fault.cutAfterBytes;
      if (!eligible) continue;
      state.count += 1;
      if (state.count > fault.afterRequests) {
        resource = store.bump(name);
        state.fired = true;
        record.faults.push('change');
      } else if (state.count === fault.afterRequests && fault.cutAfterBytes !== undefined) {
        cutForChange = fault.cutAfterBytes;
        changeState = state;
        record.faults.push('change');
      }
    }
    const current = resource;

    let outcome = plan(current);
    const ignoreRange = faults.find((f) => f.mode === 'ignore-range');
    if (ignoreRange && take(name, ignoreRange, record, rangeHeader !== undefined)) outcome = { kind: 'none' };

    if (outcome.kind === 'unsatisfiable') {
      return send(res, record, 416, { 'content-range': `bytes */${current.size}`, 'accept-ranges': 'bytes' });
    }
    let start = outcome.kind === 'range' ? outcome.range.start : 0;
    let end = outcome.kind === 'range' ? outcome.range.end : current.size;
    const ranged = outcome.kind === 'range';

    for (const fault of faults) {
      if (
        fault.mode === 'wrong-range-start' &&
        take(name, fault, record, ranged && isGet && fault.shift !== 0)
      ) {
        const length = end - start;
        let claimed = Math.min(Math.max(0, start + fault.shift), current.size - 1);
        if (claimed === start) claimed = Math.min(Math.max(0, start - fault.shift), current.size - 1);
        start = claimed;
        end = Math.min(current.size, claimed + length);
      }
      if (
        fault.mode === 'short-206' &&
        take(name, fault, record, ranged && isGet && end - start > fault.maxBytes)
      ) {
        end = start + Math.max(1, fault.maxBytes);
      }
    }
    const length = end - start;

    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      etag: current.etag,
      'last-modified': current.lastModified,
    };
    if (ranged) headers['content-range'] = `bytes ${start}-${end - 1}/${current.size}`;
    if (faults.some((fault) => fault.mode === 'weak-etag')) {
      headers.etag = `W/${current.etag}`;
      record.faults.push('weak-etag');
    }
    for (const fault of faults) {
      if (fault.mode !== 'digest') continue;
      const digest = Buffer.from(store.sha256(current));
      if (fault.wrong) digest[0] = (digest[0] ?? 0) ^ 0xff;
      if (fault.header === 'repr-digest') {
        headers['repr-digest'] = `sha-256=:${digest.toString('base64')}:`;
        record.faults.push('digest');
      } else if (!ranged) {
        // Like S3: a whole-object checksum only on whole-object responses.
        headers['x-amz-checksum-sha256'] = digest.toString('base64');
        record.faults.push('digest');
      }
    }

    let chunked = false;
    let gzip = false;
    const stops: Array<{ at: number; how: 'reset' | 'fin' }> = [];
    let stallAt: number | undefined;
    let stallMs: number | undefined;
    let bytesPerSecond: number | undefined;
    let flipAt: number | undefined;
    for (const fault of faults) {
      switch (fault.mode) {
        case 'gzip':
          if (
            take(
              name,
              fault,
              record,
              isGet && length > 0 && (fault.force === true || acceptsGzip(req.headers['accept-encoding'])),
            )
          ) {
            gzip = true;
          }
          break;
        case 'reset':
          if (take(name, fault, record, isGet && length > fault.afterBytes))
            stops.push({ at: fault.afterBytes, how: 'reset' });
          break;
        case 'stall':
          if (take(name, fault, record, isGet && length > fault.afterBytes)) {
            stallAt = fault.afterBytes;
            stallMs = fault.stallMs;
          }
          break;
        case 'long-content-length': {
          const at =
            fault.afterBytes !== undefined
              ? fault.afterBytes
              : Math.max(0, length - Math.max(1, fault.missingBytes ?? 1));
          if (take(name, fault, record, isGet && length > at)) stops.push({ at, how: 'fin' });
          break;
        }
        case 'truncated-chunked':
          if (take(name, fault, record, isGet && length > fault.afterBytes)) {
            chunked = true;
            stops.push({ at: fault.afterBytes, how: 'fin' });
          }
          break;
        case 'wrong-bytes':
          if (take(name, fault, record, isGet && fault.offset >= start && fault.offset < end))
            flipAt = fault.offset;
          break;
        case 'throttle':
          if (isGet) bytesPerSecond = fault.bytesPerSecond;
          break;
        default:
          break;
      }
    }
    if (cutForChange !== undefined) stops.push({ at: cutForChange, how: 'fin' });
    stops.sort((a, b) => a.at - b.at);
    const stop = stops[0];

    if (gzip) {
      headers['content-encoding'] = 'gzip';
      headers.vary = 'Accept-Encoding';
    } else if (!chunked) {
      headers['content-length'] = String(length);
    }
    const status = ranged ? 206 : 200;
    record.status = status;
    record.etag = current.etag;
    res.writeHead(status, headers);
    if (!isGet) {
      res.end(() => {
        record.completed = true;
      });
      return;
    }

    const responseGone = new AbortController();
    const onGone = () => responseGone.abort();
    res.on('close', onGone);
    lifetime.signal.addEventListener('abort', onGone);
    try {
      let chunks: Iterable<Buffer> | AsyncIterable<Buffer> = current.chunks(start, end);
      if (flipAt !== undefined) chunks = flipByte(chunks as Iterable<Buffer>, start, flipAt);
      if (gzip) chunks = Readable.from(chunks).pipe(createGzip());
      const result = await writeBody(res, chunks, {
        stopAfter: stop?.at,
        stallAt,
        stallMs,
        bytesPerSecond,
        signal: responseGone.signal,
        onBytes: (count) => {
          record.bytes += count;
        },
      });
      if (result === 'done') {
        res.end(() => {
          record.completed = true;
        });
      } else if (result === 'stopped') {
        if (changeState && !changeState.fired && cutForChange === stop?.at) {
          store.bump(name);
          changeState.fired = true;
        }
        if (stop?.how === 'reset') res.socket?.resetAndDestroy();
        // A graceful FIN after the bytes: the client sees a clean close, short of what was declared.
        else res.socket?.end();
      }
    } finally {
      res.off('close', onGone);
      lifetime.signal.removeEventListener('abort', onGone);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fault-origin: ${error instanceof Error ? error.message : String(error)}\n`);
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    port,
    url: (path, faults) => `${baseUrl}${withFaults(path.startsWith('/') ? path : `/${path}`, faults)}`,
    stats,
    resetStats: () => {
      stats.reset();
      states = new Map();
    },
    addFile: (name, size) => info(store.addFile(name, size)),
    setContent: (name, data) => info(store.setContent(name, data)),
    setFaults: (name, faults) => {
      if (faults === undefined) configured.delete(name);
      else configured.set(name, Array.isArray(faults) ? [...faults] : [faults as Fault]);
    },
    info: (name) => info(store.require(name)),
    bytes: (name) => store.bytes(store.require(name)),
    close: async () => {
      lifetime.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
