/** A data provider on loopback: files, a manifest, and a signed "your files are ready" callback. */
import { type Fault, type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { Webhook } from 'standardwebhooks';

/** One file the provider offers. */
export interface MockFile {
  readonly name: string;
  readonly url: string;
  readonly size: number;
  /** Lower-case hex sha256 of the bytes served. */
  readonly sha256: string;
  /** Why this file is in the set: `small`, `large` (above the large-file threshold) or `faulty`. */
  readonly kind: 'small' | 'large' | 'faulty';
}

/** Options of {@link startMockProvider}. */
export interface MockProviderOptions {
  /** How many small files. @default 12 */
  readonly smallFiles?: number;
  /** Size of each small file. @default 64 KiB */
  readonly smallFileBytes?: number;
  /** Size of the one large file (make it larger than the service's threshold). @default 6 MiB */
  readonly largeFileBytes?: number;
  /** Size of the file served with faults. @default 512 KiB */
  readonly faultyFileBytes?: number;
  /**
   * Faults of the faulty file: by default one 503 and then one connection reset mid-body, each
   * once, so a client that retries and resumes still gets every byte.
   */
  readonly faults?: readonly Fault[];
  /** Content seed. @default 'mock-provider' */
  readonly seed?: string;
}

/** How the callback tells where the files are. */
export type CallbackStyle = 'inline' | 'manifest';

/** A running mock provider. */
export interface MockProvider {
  /** `http://127.0.0.1:<port>`: the only address its file URLs use. */
  readonly baseUrl: string;
  readonly port: number;
  readonly files: readonly MockFile[];
  /** URL of `manifest.json` (`{ files: [{ url, name, size, checksums: { sha256 } }] }`). */
  readonly manifestUrl: string;
  /** The underlying origin (request counts per file in `origin.stats.perRequest`). */
  readonly origin: FaultOrigin;
  /** The callback body: the file list inline (`{ files }`) or a pointer to the manifest (`{ manifestUrl }`). */
  callbackBody(style?: CallbackStyle): string;
  /**
   * POSTs a Standard Webhooks-signed callback (signed with the `standardwebhooks` library).
   * @param secret - the `whsec_…` secret the service's profile holds
   */
  sendCallback(
    callbackUrl: string,
    secret: string,
    options?: { readonly style?: CallbackStyle; readonly msgId?: string },
  ): Promise<{ readonly status: number; readonly body: unknown }>;
  /** GET requests the origin answered for `name` (any status). */
  getCount(name: string): number;
  /** GET requests for `name` whose body was sent in full. */
  completedGetCount(name: string): number;
  close(): Promise<void>;
}

const DEFAULT_FAULTS: readonly Fault[] = [
  { mode: 'status', status: 503, times: 1 },
  { mode: 'reset', afterBytes: 100_000, times: 1 },
];

function getsOf(origin: FaultOrigin, name: string) {
  const path = `/${name}`;
  return origin.stats.perRequest.filter(
    (record) => record.method === 'GET' && new URL(record.url, origin.baseUrl).pathname === path,
  );
}

/** Starts a mock provider on `127.0.0.1`, port chosen by the system. */
export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const smallCount = options.smallFiles ?? 12;
  const sizes: Record<string, number> = {};
  const kinds = new Map<string, MockFile['kind']>();
  for (let i = 1; i <= smallCount; i++) {
    const name = `small/part-${String(i).padStart(3, '0')}.csv`;
    sizes[name] = options.smallFileBytes ?? 64 * 1024;
    kinds.set(name, 'small');
  }
  sizes['large/scene.tif'] = options.largeFileBytes ?? 6 * 1024 * 1024;
  kinds.set('large/scene.tif', 'large');
  sizes['flaky/readings.bin'] = options.faultyFileBytes ?? 512 * 1024;
  kinds.set('flaky/readings.bin', 'faulty');

  const origin = await startFaultOrigin({ files: sizes, seed: options.seed ?? 'mock-provider' });
  origin.setFaults('flaky/readings.bin', [...(options.faults ?? DEFAULT_FAULTS)]);
  const files: MockFile[] = Object.keys(sizes).map((name) => ({
    name,
    url: origin.url(name),
    size: origin.info(name).size,
    sha256: origin.info(name).sha256,
    kind: kinds.get(name) ?? 'small',
  }));
  const list = {
    files: files.map((file) => ({
      url: file.url,
      name: file.name,
      size: file.size,
      checksums: { sha256: file.sha256 },
    })),
  };
  origin.setContent('manifest.json', Buffer.from(JSON.stringify(list)));
  const manifestUrl = origin.url('manifest.json');

  const callbackBody = (style: CallbackStyle = 'inline'): string =>
    JSON.stringify(style === 'inline' ? list : { manifestUrl });

  return {
    baseUrl: origin.baseUrl,
    port: origin.port,
    files,
    manifestUrl,
    origin,
    callbackBody,
    async sendCallback(callbackUrl, secret, sendOptions = {}) {
      const body = callbackBody(sendOptions.style);
      const msgId = sendOptions.msgId ?? `msg_${Date.now().toString(36)}`;
      const timestamp = new Date();
      const res = await fetch(callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(msgId, timestamp, body),
        },
        body,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the text so the caller can show it.
      }
      return { status: res.status, body: parsed };
    },
    getCount: (name) => getsOf(origin, name).length,
    completedGetCount: (name) => getsOf(origin, name).filter((record) => record.completed).length,
    close: () => origin.close(),
  };
}
