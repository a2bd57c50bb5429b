import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/urlPolicy/classifyAddress.js';
import { parseIpAddress } from '../../src/urlPolicy/ipAddress.js';

/**
 * The same deny ranges, written as CIDR text and checked by node's own BlockList: an
 * independent implementation of the prefix arithmetic in classifyAddress.
 */
const IPV4_DENY = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
const IPV6_DENY_OUTSIDE_EMBEDDINGS = [
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/23',
  '3fff::/20',
  '5f00::/16',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];

const v4List = new BlockList();
for (const cidr of IPV4_DENY) {
  const [net, prefix] = cidr.split('/');
  v4List.addSubnet(net ?? '', Number(prefix), 'ipv4');
}
const v6List = new BlockList();
for (const cidr of IPV6_DENY_OUTSIDE_EMBEDDINGS) {
  const [net, prefix] = cidr.split('/');
  v6List.addSubnet(net ?? '', Number(prefix), 'ipv6');
}

const isPublic = (text: string): boolean => {
  const parsed = parseIpAddress(text);
  if (parsed === undefined) throw new Error(`unparsable ${text}`);
  return classifyAddress(parsed).range === 'public';
};

// Addresses near range edges are where off-by-one prefix mistakes show.
const edgyIpv4 = fc.oneof(
  fc.ipV4(),
  fc
    .tuple(fc.constantFrom(...IPV4_DENY), fc.integer({ min: -2, max: 2 }), fc.boolean())
    .map(([cidr, delta, end]) => {
      const [net, prefix] = cidr.split('/');
      const base = (net ?? '0.0.0.0').split('.').reduce((n, part) => n * 256 + Number(part), 0);
      const size = 2 ** (32 - Number(prefix));
      const n = (base + (end ? size - 1 : 0) + delta + 2 ** 32) % 2 ** 32;
      return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    }),
);

describe('address ranges agree with node:net BlockList', () => {
  it('IPv4: refused exactly when a deny range contains the address', () => {
    fc.assert(
      fc.property(edgyIpv4, (address) => {
        expect(isPublic(address)).toBe(!v4List.check(address, 'ipv4'));
      }),
      { numRuns: 20_000 },
    );
  });

  it('IPv6 global unicast outside the IPv4-embedding prefixes: refused exactly when a deny range contains it', () => {
    const globalUnicast = fc
      .tuple(
        fc.integer({ min: 0x2000, max: 0x3fff }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 7, maxLength: 7 }),
      )
      .map(([first, rest]) => [first, ...rest].map((g) => g.toString(16)).join(':'))
      // 2001:0::/32 (Teredo) and 2002::/16 (6to4) are judged by the IPv4 address they carry.
      .filter((address) => !/^2002:/.test(address) && !/^2001:0:/.test(address));
    fc.assert(
      fc.property(
        fc.oneof(globalUnicast, fc.constantFrom('2001:1ff:ffff::1', '2001:200::1', '3fff:fff::1', '4000::1')),
        (address) => {
          const outside2000 = !/^[23]/.test(address);
          expect(isPublic(address)).toBe(!outside2000 && !v6List.check(address, 'ipv6'));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('IPv6 outside 2000::/3 (other than loopback and embeddings) is never public', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const parsed = parseIpAddress(address);
        const verdict = parsed && classifyAddress(parsed);
        const first = parsed?.bytes[0] ?? 0;
        if ((first & 0xe0) !== 0x20 && verdict?.via === undefined) expect(verdict?.range).not.toBe('public');
      }),
      { numRuns: 5_000 },
    );
  });
});
