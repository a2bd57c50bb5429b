import { type FaultOrigin, startFaultOrigin } from '@downloader/fault-origin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockedAddressError,
  type ConnectTarget,
  download,
  RedirectLoopError,
  TooManyRedirectsError,
} from '../../src/index.js';
import { useFaultOrigin } from './helpers/faultBench.js';
import {
  CONNECTION_MODES,
  expectIdentical,
  FILE_SIZE,
  options,
  PROBE_BYTES,
  rejectionOf,
} from './helpers/faultHarness.js';
import { pathExists } from './helpers/files.js';

const bench = useFaultOrigin('fault-redirect');

describe.each(CONNECTION_MODES)('redirects ($label)', ({ connections }) => {
  let other: FaultOrigin;
  beforeAll(async () => {
    other = await startFaultOrigin({ seed: 'fault-redirect' });
  });
  afterAll(async () => {
    await other.close();
  });

  it('follows a chain of 3 hops to the file: byte-identical, every hop counted', async () => {
    const { name, dir, output } = await bench.prepare('redirect', connections);
    const origin = bench.origin();

    const result = await download(
      origin.url(name, { mode: 'redirect', hops: 3, status: 307 }),
      options(connections, output),
    );

    await expectIdentical(origin, name, dir, result);
    expect(origin.stats.perRequest.filter((record) => record.status === 307).length).toBeGreaterThanOrEqual(
      3,
    );
    expect(result.requests).toBe(origin.stats.requests);
    expect(new URL(result.url).searchParams.getAll('f')).toEqual(['none']);
    expect(origin.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
  });

  it('stops a chain longer than maxRedirects with TooManyRedirectsError after maxRedirects + 1 requests', async () => {
    const { name, output } = await bench.prepare('redirect-long', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'redirect', hops: 20 }),
        options(connections, output, { maxRedirects: 5 }),
      ),
    );

    expect(error).toBeInstanceOf(TooManyRedirectsError);
    expect(error).toMatchObject({ code: 'TOO_MANY_REDIRECTS' });
    expect(origin.stats.requests).toBe(6);
    expect(await pathExists(output)).toBe(false);
  });

  it('detects a redirect loop with RedirectLoopError, without retrying it', async () => {
    const { name, output } = await bench.prepare('redirect-loop', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(origin.url(name, { mode: 'redirect-loop' }), options(connections, output)),
    );

    expect(error).toBeInstanceOf(RedirectLoopError);
    expect(error).toMatchObject({ code: 'REDIRECT_LOOP', retryable: false });
    expect(origin.stats.requests).toBeLessThanOrEqual(2);
    expect(await pathExists(output)).toBe(false);
  });

  it('asks the connect guard on every hop; a refused hop to another host:port is BlockedAddressError', async () => {
    const { name, output } = await bench.prepare('redirect-guard', connections);
    const origin = bench.origin();
    other.addFile(name, FILE_SIZE);
    other.resetStats();
    const seen: ConnectTarget[] = [];

    const error = await rejectionOf(
      download(
        origin.url(name, { mode: 'redirect-to', location: other.url(name) }),
        options(connections, output, {
          connectGuard: (target) => {
            seen.push(target);
            if (target.port === other.port) throw new Error('port not allowed');
          },
        }),
      ),
    );

    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ code: 'BLOCKED_ADDRESS', address: '127.0.0.1' });
    expect(seen.map((target) => [target.redirectHop, target.port, target.address])).toEqual([
      [0, origin.port, '127.0.0.1'],
      [1, other.port, '127.0.0.1'],
    ]);
    expect(other.stats.requests).toBe(0);
    expect(await pathExists(output)).toBe(false);
  });

  it('credentials do not follow a redirect to another origin; other headers do', async () => {
    const { name, dir, output } = await bench.prepare('redirect-credentials', connections);
    const origin = bench.origin();
    other.setContent(name, origin.bytes(name));
    other.resetStats();

    const result = await download(
      origin.url(name, { mode: 'redirect-to', location: other.url(name) }),
      options(connections, output, {
        headers: { Authorization: 'Bearer origin-secret', Cookie: 'session=1', 'X-Trace': 'kept' },
      }),
    );

    await expectIdentical(origin, name, dir, result);
    expect(origin.stats.perRequest[0]?.headers.authorization).toBe('Bearer origin-secret');
    expect(other.stats.requests).toBeGreaterThan(0);
    for (const record of other.stats.perRequest) {
      expect(record.headers.authorization).toBeUndefined();
      expect(record.headers.cookie).toBeUndefined();
      expect(record.headers['x-trace']).toBe('kept');
    }
  });

  it('a guard that refuses the first address stops the download before any request', async () => {
    const { name, output } = await bench.prepare('guard-first-hop', connections);
    const origin = bench.origin();

    const error = await rejectionOf(
      download(
        origin.url(name),
        options(connections, output, {
          connectGuard: () => {
            throw new Error('loopback not allowed');
          },
        }),
      ),
    );

    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ code: 'BLOCKED_ADDRESS', retryable: false });
    expect(origin.stats.requests).toBe(0);
    expect(await pathExists(output)).toBe(false);
  });

  it('a hop the guard allows is followed to the other origin: byte-identical', async () => {
    const { name, dir, output } = await bench.prepare('redirect-other', connections);
    const origin = bench.origin();
    other.setContent(name, origin.bytes(name));
    other.resetStats();
    const vetted: ConnectTarget[] = [];

    const result = await download(
      origin.url(name, { mode: 'redirect-to', location: other.url(name) }),
      options(connections, output, { connectGuard: (target) => void vetted.push(target) }),
    );

    expect(result.sha256).toBe(other.info(name).sha256);
    expect(new Set(vetted.map((target) => target.port))).toEqual(new Set([origin.port, other.port]));
    // Every connection opened to the other origin was vetted first, not only the redirect hop.
    const sockets = new Set(other.stats.perRequest.map((record) => record.clientPort));
    expect(vetted.filter((target) => target.port === other.port).length).toBeGreaterThanOrEqual(sockets.size);
    expect(new URL(result.url).port).toBe(String(other.port));
    expect(other.stats.bytesServed).toBeLessThanOrEqual(FILE_SIZE + PROBE_BYTES);
    await expectIdentical(origin, name, dir, result);
  });
});
