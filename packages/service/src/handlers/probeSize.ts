/**
 * Learns a file's size without downloading it: `HEAD`, or `GET` with `Range: bytes=0-0` where
 * HEAD is refused. Every connection goes through the provider's connect guard; redirects are
 * not followed here (the size is then unknown and the large-file path handles the URL).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConnectGuard } from '@downloader/fetch-stream';

const PROBE_TIMEOUT_MS = 15_000;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function guardedLookup(url: URL, guard: ConnectGuard) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const first = addresses[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      Promise.resolve(
        guard({
          url,
          hostname,
          address: first.address,
          family: first.family === 6 ? 6 : 4,
          port,
          redirectHop: 0,
        }),
      ).then(
        () => (options.all === true ? callback(null, [first]) : callback(null, first.address, first.family)),
        (refusal: unknown) => callback(refusal as NodeJS.ErrnoException, []),
      );
    });
  };
}

function send(
  url: URL,
  method: 'HEAD' | 'GET',
  guard: ConnectGuard,
  signal: AbortSignal,
  credentials: Readonly<Record<string, string>>,
): Promise<IncomingMessage> {
  const options: RequestOptions = {
    method,
    // Redirects are not followed here, so credentials reach only this URL's host.
    headers:
      method === 'GET'
        ? { ...credentials, range: 'bytes=0-0', 'accept-encoding': 'identity' }
        : { ...credentials, 'accept-encoding': 'identity' },
    lookup: guardedLookup(url, guard) as unknown as RequestOptions['lookup'],
    signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]),
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, options, resolve);
    req.once('error', reject);
    req.end();
  });
}

function contentLength(response: IncomingMessage): number | undefined {
  const header = response.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** Total size from `Content-Range: bytes 0-0/<total>`. */
function rangeTotal(response: IncomingMessage): number | undefined {
  const match = /^bytes \d+-\d+\/(\d+)$/.exec(response.headers['content-range'] ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * @returns the size in bytes, or undefined when the server does not say (or redirects)
 * @throws the guard's error when the address is refused; network errors as they come
 */
export async function probeSize(
  rawUrl: string,
  guard: ConnectGuard,
  signal: AbortSignal,
  credentials: Readonly<Record<string, string>> = {},
): Promise<number | undefined> {
  const url = new URL(rawUrl);
  const head = await send(url, 'HEAD', guard, signal, credentials);
  head.resume();
  if (head.statusCode === 200) return contentLength(head);
  if (head.statusCode !== 405 && head.statusCode !== 501 && head.statusCode !== 403) return undefined;
  const get = await send(url, 'GET', guard, signal, credentials);
  get.destroy();
  if (get.statusCode === 206) return rangeTotal(get);
  if (get.statusCode === 200) return contentLength(get);
  return undefined;
}
