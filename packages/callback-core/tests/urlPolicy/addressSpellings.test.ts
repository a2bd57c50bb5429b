import { describe, expect, it } from 'vitest';
import { checkResolvedAddress } from '../../src/urlPolicy/checkResolvedAddress.js';
import { checkUrl } from '../../src/urlPolicy/checkUrl.js';
import { parseIpAddress } from '../../src/urlPolicy/ipAddress.js';
import type { AddressRange } from '../../src/urlPolicy/types.js';

type Expected = 'public' | AddressRange;

/**
 * Every row: the host as it appears in a URL (IPv6 in brackets) and the verdict the policy must
 * give. Rows are checked twice: through `new URL()` (which normalises legacy IPv4 spellings) and
 * raw through our own parser (what a connect target or hand-built redirect would hand us).
 */
const SPELLINGS: [host: string, expected: Expected, embedded?: string][] = [
  // IPv4 loopback in every legacy spelling
  ['127.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.1', 'loopback'],
  ['2130706433', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['00000177.0.0.01', 'loopback'],
  ['017700000001', 'loopback'],
  ['0x7f.1', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0X7F.0x00.0.0x01', 'loopback'],
  ['127.0.0.1.', 'loopback'],
  ['127.255.255.254', 'loopback'],
  // IPv6 loopback and IPv6 forms that embed 127.0.0.1
  ['[::1]', 'loopback'],
  ['[0:0:0:0:0:0:0:1]', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback', '127.0.0.1'],
  ['[::ffff:7f00:1]', 'loopback', '127.0.0.1'],
  ['[0:0:0:0:0:ffff:7f00:0001]', 'loopback', '127.0.0.1'],
  ['[::ffff:0:7f00:1]', 'loopback', '127.0.0.1'],
  ['[::127.0.0.1]', 'loopback', '127.0.0.1'],
  ['[64:ff9b::7f00:1]', 'loopback', '127.0.0.1'],
  ['[64:ff9b::127.0.0.1]', 'loopback', '127.0.0.1'],
  ['[2002:7f00:1::]', 'loopback', '127.0.0.1'],
  ['[2001:0:4136:e378:8000:63bf:80ff:fffe]', 'loopback', '127.0.0.1'],
  // unspecified
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['00', 'unspecified'],
  ['[::]', 'unspecified'],
  // private
  ['10.0.0.1', 'private'],
  ['012.0.0.1', 'private'],
  ['167772161', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['3232235777', 'private'],
  ['0xc0a80101', 'private'],
  ['[::ffff:192.168.1.1]', 'private', '192.168.1.1'],
  ['[2002:c0a8:101::1]', 'private', '192.168.1.1'],
  ['[fc00::1]', 'private'],
  ['[fd12:3456:789a::1]', 'private'],
  ['[fec0::1]', 'private'],
  ['[64:ff9b:1::a00:1]', 'private'],
  // link-local and cloud metadata
  ['169.254.1.1', 'link_local'],
  ['[fe80::1]', 'link_local'],
  ['[febf:ffff::1]', 'link_local'],
  ['169.254.169.254', 'metadata'],
  ['0xa9fea9fe', 'metadata'],
  ['2852039166', 'metadata'],
  ['0251.0376.0251.0376', 'metadata'],
  ['[::ffff:a9fe:a9fe]', 'metadata', '169.254.169.254'],
  ['[64:ff9b::a9fe:a9fe]', 'metadata', '169.254.169.254'],
  ['169.254.170.2', 'metadata'],
  ['[fd00:ec2::254]', 'metadata'],
  ['100.100.100.200', 'metadata'],
  // CGNAT, benchmarking
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['[2001:2::1]', 'benchmarking'],
  // multicast, broadcast, reserved, documentation, discard
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['[ff02::1]', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['4294967295', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['0.1.2.3', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['192.88.99.1', 'reserved'],
  ['[::2]', 'reserved', '0.0.0.2'],
  ['[::8.8.8.8]', 'reserved', '8.8.8.8'],
  ['[2001:10::1]', 'reserved'],
  ['[4000::1]', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['[2001:db8::1]', 'documentation'],
  ['[3fff::1]', 'documentation'],
  ['[100::1]', 'discard'],
  // public addresses, also in disguise
  ['8.8.8.8', 'public'],
  ['134744072', 'public'],
  ['0x8.0x8.0x8.0x8', 'public'],
  ['1.1.1.1', 'public'],
  ['172.32.0.1', 'public'],
  ['100.128.0.1', 'public'],
  ['198.20.0.1', 'public'],
  ['[2606:4700:4700::1111]', 'public'],
  ['[::ffff:8.8.8.8]', 'public'],
  ['[64:ff9b::808:808]', 'public'],
  ['[2002:808:808::1]', 'public'],
];

describe('address spellings', () => {
  it('covers at least 40 spellings', () => {
    expect(SPELLINGS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(SPELLINGS)('checkUrl(https://%s/) → %s', (host, expected, embedded) => {
    // Act
    const result = checkUrl(`https://${host}/`, {});

    // Assess
    if (expected === 'public') {
      expect(result).toEqual({ ok: true });
    } else {
      expect(result).toMatchObject({ ok: false, reason: 'private_address', range: expected });
      if (embedded !== undefined) expect(result).toMatchObject({ embeddedIpv4: embedded });
    }
  });

  it.each(SPELLINGS)(
    'checkResolvedAddress(%s) with our own parser → %s',
    (host: string, expected: Expected) => {
      // Prepare: the raw spelling, not what WHATWG URL would have made of it
      const raw = host.replace(/^\[|\]$/g, '');
      const parsed = parseIpAddress(raw);
      expect(parsed).toBeDefined();

      // Act
      const result = checkResolvedAddress(raw, parsed?.family ?? 4, {});

      // Assess
      expect(result.ok ? 'public' : result.range).toBe(expected);
    },
  );
});

describe('what WHATWG URL does before the policy sees a host', () => {
  it('normalises legacy IPv4 spellings to dotted decimal', () => {
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001', '127.0.0.1.']) {
      expect(new URL(`https://${host}/`).hostname).toBe('127.0.0.1');
    }
  });

  it('rewrites IPv4-mapped IPv6 to hex groups but keeps it IPv6', () => {
    expect(new URL('https://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(new URL('https://[::127.0.0.1]/').hostname).toBe('[::7f00:1]');
  });

  it('keeps a trailing dot on names, which the policy strips', () => {
    expect(new URL('https://localhost./').hostname).toBe('localhost.');
    expect(checkUrl('https://localhost./', {})).toMatchObject({ ok: false, range: 'loopback' });
  });

  it('refuses a zone id in a URL, while a connect target with a zone id is still classified', () => {
    expect(checkUrl('https://[fe80::1%25eth0]/', {})).toMatchObject({ ok: false, reason: 'invalid_url' });
    expect(checkResolvedAddress('fe80::1%eth0', 6, {})).toMatchObject({
      ok: false,
      reason: 'private_address',
      range: 'link_local',
    });
    expect(checkResolvedAddress('fe80::1%25eth0', 6, {})).toMatchObject({ ok: false, range: 'link_local' });
  });
});

describe('special-use host names', () => {
  it.each([
    ['localhost', 'loopback'],
    ['LOCALHOST.', 'loopback'],
    ['api.localhost', 'loopback'],
    ['metadata.google.internal', 'private'],
    ['printer.local', 'private'],
    ['router.home.arpa', 'private'],
  ] as const)('%s is refused as %s', (host, range) => {
    expect(checkUrl(`https://${host}/file`, {})).toMatchObject({
      ok: false,
      reason: 'private_address',
      range,
    });
  });

  it('lets an ordinary name through (the connect-time guard checks what it resolves to)', () => {
    expect(checkUrl('https://files.example.com/a.csv', {})).toEqual({ ok: true });
  });
});
