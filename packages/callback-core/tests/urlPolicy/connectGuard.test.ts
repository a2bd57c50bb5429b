import { describe, expect, it } from 'vitest';
import { BlockedUrlError } from '../../src/errors.js';
import { checkResolvedAddress } from '../../src/urlPolicy/checkResolvedAddress.js';
import { createConnectGuard } from '../../src/urlPolicy/createConnectGuard.js';
import { type HostResolver, resolveAndCheckUrl } from '../../src/urlPolicy/resolveAndCheckUrl.js';
import type { ConnectTarget, UrlPolicy } from '../../src/urlPolicy/types.js';

const target = (url: string, address: string, overrides: Partial<ConnectTarget> = {}): ConnectTarget => {
  const parsed = new URL(url);
  return {
    url: parsed,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
    address,
    family: address.includes(':') ? 6 : 4,
    port: parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port),
    redirectHop: 0,
    ...overrides,
  };
};

/** A resolver whose answers change between calls, like a rebinding attacker's DNS server. */
function rebindingResolver(answers: readonly (readonly string[])[]): HostResolver & { calls: number } {
  const resolver = async () => {
    const answer = answers[Math.min(resolver.calls, answers.length - 1)] ?? [];
    resolver.calls++;
    return answer.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  resolver.calls = 0;
  return resolver;
}

describe('createConnectGuard', () => {
  const policy: UrlPolicy = {};

  it('lets a public address through', () => {
    const guard = createConnectGuard(policy);
    expect(guard(target('https://files.example.com/a', '93.184.216.34'))).toBeUndefined();
  });

  it('refuses a private address with a typed BlockedUrlError', () => {
    // Prepare
    const guard = createConnectGuard(policy);

    // Act
    let caught: unknown;
    try {
      guard(target('https://files.example.com/a', '10.1.2.3'));
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(BlockedUrlError);
    expect(caught).toMatchObject({
      code: 'BLOCKED_URL',
      reason: 'private_address',
      range: 'private',
      url: 'https://files.example.com/a',
      address: '10.1.2.3',
    });
  });

  it('re-checks the URL of every redirect hop (scheme downgrade, userinfo, allowlist)', () => {
    const guard = createConnectGuard({ allowedHosts: ['files.example.com'] });
    expect(() => guard(target('http://files.example.com/a', '93.184.216.34', { redirectHop: 1 }))).toThrow(
      expect.objectContaining({ reason: 'scheme' }),
    );
    expect(() => guard(target('https://other.example.net/a', '93.184.216.34', { redirectHop: 2 }))).toThrow(
      expect.objectContaining({ reason: 'host_not_allowed' }),
    );
  });

  it('refuses an IPv4-mapped IPv6 answer that hides a loopback address', () => {
    const guard = createConnectGuard(policy);
    expect(() => guard(target('https://files.example.com/a', '::ffff:127.0.0.1'))).toThrow(
      expect.objectContaining({ reason: 'private_address', range: 'loopback' }),
    );
  });

  it('refuses an address that does not match the family the resolver reported', () => {
    expect(checkResolvedAddress('127.0.0.1', 6, policy)).toMatchObject({
      ok: false,
      reason: 'invalid_address',
    });
    expect(checkResolvedAddress('not-an-ip', 4, policy)).toMatchObject({
      ok: false,
      reason: 'invalid_address',
    });
  });

  it('honours the loopback exception only on its port, including as a dual-stack mapped address', () => {
    const guard = createConnectGuard({ loopbackException: { host: '127.0.0.1', port: 4010 } });
    expect(guard(target('http://127.0.0.1:4010/a', '127.0.0.1'))).toBeUndefined();
    expect(guard(target('http://127.0.0.1:4010/a', '::ffff:127.0.0.1'))).toBeUndefined();
    expect(() => guard(target('http://127.0.0.1:4011/a', '127.0.0.1'))).toThrow(BlockedUrlError);
  });

  it('does not extend the loopback exception to a host name that resolves to the excepted address', () => {
    const guard = createConnectGuard({
      allowHttp: true,
      allowedPorts: [4010],
      loopbackException: { host: '127.0.0.1', port: 4010 },
    });
    expect(() => guard(target('http://demo.example:4010/a', '127.0.0.1'))).toThrow(
      expect.objectContaining({ reason: 'private_address', range: 'loopback' }),
    );
  });
});

describe('DNS rebinding and mixed answers', () => {
  it('a name that resolved to a public address at check time is refused when it connects to 127.0.0.1', async () => {
    // Prepare: first answer public (the pre-flight check), second answer loopback (the connect)
    const resolve = rebindingResolver([['93.184.216.34'], ['127.0.0.1']]);
    const policy: UrlPolicy = {};
    const url = 'https://rebind.attacker.example/payload';

    // Act: pre-flight passes…
    const preflight = await resolveAndCheckUrl(url, policy, { resolve });
    // …then the engine resolves again to connect and asks the guard about that answer
    const [connectAnswer] = await resolve('rebind.attacker.example');
    const guard = createConnectGuard(policy);

    // Assess
    expect(preflight).toEqual({ ok: true });
    expect(connectAnswer?.address).toBe('127.0.0.1');
    expect(() => guard(target(url, connectAnswer?.address ?? ''))).toThrow(
      expect.objectContaining({ code: 'BLOCKED_URL', reason: 'private_address', range: 'loopback' }),
    );
  });

  it('refuses a name whose answers mix public and private addresses', async () => {
    const resolve = rebindingResolver([['93.184.216.34', '10.0.0.5', '2606:4700::1']]);
    const result = await resolveAndCheckUrl('https://mixed.example/a', {}, { resolve });
    expect(result).toMatchObject({ ok: false, reason: 'private_address', range: 'private' });
  });

  it('refuses a name whose IPv6 answer is private even if the IPv4 one is public', async () => {
    const resolve = rebindingResolver([['93.184.216.34', 'fd00:ec2::254']]);
    const result = await resolveAndCheckUrl('https://mixed.example/a', {}, { resolve });
    expect(result).toMatchObject({ ok: false, reason: 'private_address', range: 'metadata' });
  });

  it('the guard refuses each private connect target among a mixed answer set', () => {
    const guard = createConnectGuard({});
    const url = 'https://mixed.example/a';
    const verdicts = ['93.184.216.34', '10.0.0.5', '2606:4700::1', '169.254.169.254'].map((address) => {
      try {
        guard(target(url, address));
        return 'connect';
      } catch (error) {
        return error instanceof BlockedUrlError ? error.range : 'other error';
      }
    });
    expect(verdicts).toEqual(['connect', 'private', 'connect', 'metadata']);
  });

  it('reports a name that does not resolve, or resolves to nothing', async () => {
    const failing: HostResolver = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await resolveAndCheckUrl('https://nx.example/a', {}, { resolve: failing })).toMatchObject({
      ok: false,
      reason: 'invalid_address',
    });
    expect(
      await resolveAndCheckUrl('https://empty.example/a', {}, { resolve: async () => [] }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid_address',
    });
  });

  it('does not resolve at all when the static check already fails', async () => {
    const resolve = rebindingResolver([['93.184.216.34']]);
    const result = await resolveAndCheckUrl('http://files.example.com/a', {}, { resolve });
    expect(result).toMatchObject({ ok: false, reason: 'scheme' });
    expect(resolve.calls).toBe(0);
  });
});
