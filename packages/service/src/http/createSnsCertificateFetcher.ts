/** How the service gets SNS signing certificates (callback-core does no network I/O itself). */
import { createCachingCertificateFetcher, type SnsCertificateFetcher } from '@downloader/callback-core';

/** Options of {@link createSnsCertificateFetcher}. */
export interface SnsCertificateFetcherOptions {
  /** The HTTP client. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Longest wait for one certificate. @default 5000 */
  readonly timeoutMs?: number;
  /** Largest certificate accepted, in bytes (a PEM is ~2 KB). @default 65536 */
  readonly maxBytes?: number;
}

/**
 * A cached fetcher of SNS signing certificates. callback-core has already checked that the URL is
 * https on an `sns.<region>.amazonaws.com` host; redirects are refused so it stays there.
 */
export function createSnsCertificateFetcher(
  options: SnsCertificateFetcherOptions = {},
): SnsCertificateFetcher {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return createCachingCertificateFetcher(async (url) => {
    const response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`the certificate host answered HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > maxBytes)
      throw new Error(`the certificate is ${bytes.length} bytes; at most ${maxBytes}`);
    return new TextDecoder().decode(bytes);
  });
}
