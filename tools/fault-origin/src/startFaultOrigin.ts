import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fault, formatFault, withFaults } from './faults.js';
import { parseFault } from './parseFault.js';
import { type Resource, ResourceStore } from './resourceStore.js';
import { planResponse, rangeOutcome } from './response/planResponse.js';
import type { FaultContext, FaultState } from './response/ResponsePlan.js';
import { sendAnswer, sendPlan } from './response/sendPlan.js';
import { type OriginStats, StatsRecorder } from './stats.js';

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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const ifRange = typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined;
    const record = stats.start(
      method,
      req.url ?? '/',
      req.socket.remotePort ?? 0,
      { ...req.headers },
      { range: req.headers.range, ifRange, acceptEncoding: req.headers['accept-encoding'] },
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
    const ctx: FaultContext = {
      name,
      request: req,
      url,
      isGet: method === 'GET',
      faults,
      record,
      store,
      state: (fault) => stateOf(name, fault),
      take: (fault, eligible) => {
        if (!eligible) return false;
        const state = stateOf(name, fault);
        state.count += 1;
        const times = 'times' in fault ? fault.times : undefined;
        const active = times === undefined || state.count <= times;
        if (active) record.faults.push(fault.mode);
        return active;
      },
      plannedLength: (resource) => {
        const outcome = rangeOutcome(ctx, resource);
        return outcome.kind === 'range' ? outcome.range.end - outcome.range.start : resource.size;
      },
    };
    const planned = planResponse(ctx, store.get(name), method);
    if (planned.kind === 'answer') return sendAnswer(res, record, planned.answer);
    await sendPlan(res, record, planned.plan, ctx.isGet, lifetime.signal);
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
