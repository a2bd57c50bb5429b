import type { SnsCertificateFetcher } from './types.js';

/** Options of {@link createCachingCertificateFetcher}. */
export interface CachingCertificateFetcherOptions {
  /**
   * Most certificates kept. SNS uses one per region and rotates it rarely.
   * @default 32
   */
  readonly maxEntries?: number;
}

/**
 * Wraps a certificate fetcher with an in-memory cache keyed by URL: one fetch per certificate, shared
 * by concurrent callers. Failed fetches are not cached, so a transient error is retried by the next
 * message. The cache belongs to the returned function (no module-level state).
 */
export function createCachingCertificateFetcher(
  fetchPem: SnsCertificateFetcher,
  options: CachingCertificateFetcherOptions = {},
): SnsCertificateFetcher {
  const maxEntries = options.maxEntries ?? 32;
  const cache = new Map<string, Promise<string>>();
  return (url) => {
    const key = url.href;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const pending = fetchPem(url);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    if (cache.size > maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return pending;
  };
}
