import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { BlockedAddressError, FetchStreamError, NetworkError } from '../errors.js';
import type { ConnectGuard } from '../types.js';

/** An address resolved and approved for one request. */
export interface ApprovedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves the URL's host once, lets the caller's guard vet the address, and returns it.
 * The request then connects to exactly this address (see {@link pinnedLookup}), so a DNS
 * answer that changes between check and connect (rebinding) cannot slip through.
 */
export async function resolveAndGuard(
  url: URL,
  redirectHop: number,
  guard: ConnectGuard,
): Promise<ApprovedAddress> {
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = isIP(hostname);
  const resolved: ApprovedAddress =
    literal !== 0
      ? { address: hostname, family: literal === 6 ? 6 : 4 }
      : await new Promise<ApprovedAddress>((resolve, reject) => {
          dnsLookup(hostname, { all: false }, (err, address, family) => {
            if (err)
              reject(new NetworkError(`DNS lookup of ${hostname} failed (${err.code ?? err.message}).`, err));
            else resolve({ address, family: family === 6 ? 6 : 4 });
          });
        });
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  try {
    await guard({ url, hostname, address: resolved.address, family: resolved.family, port, redirectHop });
  } catch (err) {
    if (err instanceof FetchStreamError) throw err;
    throw new BlockedAddressError(hostname, resolved.address, err);
  }
  return resolved;
}

/** A `lookup` for http.request that always answers with the approved address. */
export function pinnedLookup(approved: ApprovedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      const list: LookupAddress[] = [{ address: approved.address, family: approved.family }];
      (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, list);
    } else {
      callback(null, approved.address, approved.family);
    }
  };
}
