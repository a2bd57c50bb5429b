/**
 * Which special-purpose range an IP address belongs to (IANA IPv4/IPv6 special-purpose
 * registries, plus cloud metadata endpoints), looking through every IPv6 form that embeds
 * an IPv4 address.
 */
import { formatIpv4, type IpAddress } from './ipAddress.js';
import type { AddressRange, EmbeddingForm } from './types.js';

/** Where an address falls. `range: 'public'` is the only one a download may connect to. */
export interface AddressClassification {
  readonly range: AddressRange | 'public';
  /** Set when the verdict came from an IPv4 address embedded in an IPv6 one. */
  readonly embeddedIpv4?: string;
  readonly via?: EmbeddingForm;
}

interface Ipv4Rule {
  readonly base: number;
  readonly prefix: number;
  readonly range: AddressRange;
}

const v4 = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

// Most specific first: the first match wins.
const IPV4_RULES: readonly Ipv4Rule[] = [
  { base: v4(0, 0, 0, 0), prefix: 32, range: 'unspecified' },
  { base: v4(255, 255, 255, 255), prefix: 32, range: 'broadcast' },
  // Cloud metadata services: AWS/GCP/Azure (169.254.169.254), AWS ECS task metadata
  // (169.254.170.2) and Alibaba Cloud (100.100.100.200, which sits inside CGNAT space).
  { base: v4(169, 254, 169, 254), prefix: 32, range: 'metadata' },
  { base: v4(169, 254, 170, 2), prefix: 32, range: 'metadata' },
  { base: v4(100, 100, 100, 200), prefix: 32, range: 'metadata' },
  { base: v4(0, 0, 0, 0), prefix: 8, range: 'reserved' },
  { base: v4(10, 0, 0, 0), prefix: 8, range: 'private' },
  { base: v4(100, 64, 0, 0), prefix: 10, range: 'cgnat' },
  { base: v4(127, 0, 0, 0), prefix: 8, range: 'loopback' },
  { base: v4(169, 254, 0, 0), prefix: 16, range: 'link_local' },
  { base: v4(172, 16, 0, 0), prefix: 12, range: 'private' },
  { base: v4(192, 0, 0, 0), prefix: 24, range: 'reserved' },
  { base: v4(192, 0, 2, 0), prefix: 24, range: 'documentation' },
  // Former 6to4 relay anycast: deprecated, nothing legitimate serves files there.
  { base: v4(192, 88, 99, 0), prefix: 24, range: 'reserved' },
  { base: v4(192, 168, 0, 0), prefix: 16, range: 'private' },
  { base: v4(198, 18, 0, 0), prefix: 15, range: 'benchmarking' },
  { base: v4(198, 51, 100, 0), prefix: 24, range: 'documentation' },
  { base: v4(203, 0, 113, 0), prefix: 24, range: 'documentation' },
  { base: v4(224, 0, 0, 0), prefix: 4, range: 'multicast' },
  { base: v4(240, 0, 0, 0), prefix: 4, range: 'reserved' },
];

function ipv4Number(bytes: Uint8Array, offset = 0): number {
  return (
    ((bytes[offset] ?? 0) * 2 ** 24 +
      ((bytes[offset + 1] ?? 0) << 16) +
      ((bytes[offset + 2] ?? 0) << 8) +
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

function classifyIpv4Number(n: number): AddressRange | 'public' {
  for (const rule of IPV4_RULES) {
    const mask = rule.prefix === 0 ? 0 : (0xffffffff << (32 - rule.prefix)) >>> 0;
    if ((n & mask) >>> 0 === rule.base) return rule.range;
  }
  return 'public';
}

function ipv4Bytes(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** True when the first `bits` bits of `bytes` equal those of `prefix` (given as 16-bit groups). */
function hasPrefix(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 16) {
    const group = ((bytes[bit / 8] ?? 0) << 8) | (bytes[bit / 8 + 1] ?? 0);
    const want = prefix[bit / 16] ?? 0;
    const take = Math.min(16, bits - bit);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((group & mask) !== (want & mask)) return false;
  }
  return true;
}

function isAllZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

function embedded(
  n: number,
  via: EmbeddingForm,
  publicVerdict: AddressRange | 'public',
): AddressClassification {
  const range = classifyIpv4Number(n);
  const text = formatIpv4(ipv4Bytes(n));
  return { range: range === 'public' ? publicVerdict : range, embeddedIpv4: text, via };
}

interface Ipv6Rule {
  readonly prefix: readonly number[];
  readonly bits: number;
  readonly range: AddressRange;
}

// Checked after the IPv4-embedding forms; most specific first.
const IPV6_RULES: readonly Ipv6Rule[] = [
  // AWS IMDS over IPv6.
  { prefix: [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254], bits: 128, range: 'metadata' },
  { prefix: [0x0064, 0xff9b, 0x0001], bits: 48, range: 'private' },
  { prefix: [0x0100, 0, 0, 0], bits: 64, range: 'discard' },
  { prefix: [0x2001, 0x0002, 0], bits: 48, range: 'benchmarking' },
  { prefix: [0x2001, 0x0db8], bits: 32, range: 'documentation' },
  // IETF protocol assignments (ORCHID, AMT, AS112 …): nothing a provider serves files from.
  { prefix: [0x2001, 0x0000], bits: 23, range: 'reserved' },
  { prefix: [0x3fff, 0x0000], bits: 20, range: 'documentation' },
  { prefix: [0x5f00], bits: 16, range: 'reserved' },
  { prefix: [0xfc00], bits: 7, range: 'private' },
  { prefix: [0xfe80], bits: 10, range: 'link_local' },
  // Deprecated site-local: treated as private, which is what it meant.
  { prefix: [0xfec0], bits: 10, range: 'private' },
  { prefix: [0xff00], bits: 8, range: 'multicast' },
];

function classifyIpv6(bytes: Uint8Array): AddressClassification {
  if (isAllZero(bytes, 0, 16)) return { range: 'unspecified' };
  if (isAllZero(bytes, 0, 15) && bytes[15] === 1) return { range: 'loopback' };
  const tail = ipv4Number(bytes, 12);
  // ::ffff:a.b.c.d (IPv4-mapped): the kernel connects to a.b.c.d.
  if (isAllZero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return embedded(tail, 'ipv4-mapped', 'public');
  }
  // ::ffff:0:a.b.c.d (IPv4-translated, SIIT).
  if (isAllZero(bytes, 0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && isAllZero(bytes, 10, 12)) {
    return embedded(tail, 'ipv4-translated', 'public');
  }
  // ::a.b.c.d (IPv4-compatible, deprecated): never legitimate, but say what it hides.
  if (isAllZero(bytes, 0, 12)) return embedded(tail, 'ipv4-compatible', 'reserved');
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix): the translator connects to a.b.c.d.
  if (hasPrefix(bytes, [0x0064, 0xff9b, 0, 0, 0, 0], 96)) return embedded(tail, 'nat64', 'public');
  // 2002:AABB:CCDD::/48 (6to4) carries the IPv4 address in bits 16–47.
  if (hasPrefix(bytes, [0x2002], 16)) return embedded(ipv4Number(bytes, 2), '6to4', 'public');
  // 2001:0000:SSSS:SSSS:flags:port:CCCC:CCCC (Teredo): server in bits 32-63, client stored
  // inverted in the last 32 bits. No file host is reached through a Teredo tunnel, so it is
  // refused either way; the verdict names a non-public embedded address when there is one.
  if (hasPrefix(bytes, [0x2001, 0x0000], 32)) {
    const server = classifyIpv4Number(ipv4Number(bytes, 4));
    const client = embedded(~tail >>> 0, 'teredo', 'reserved');
    if (client.range === 'reserved' && server !== 'public') {
      return { range: server, embeddedIpv4: formatIpv4(bytes.subarray(4, 8)), via: 'teredo' };
    }
    return client;
  }
  for (const rule of IPV6_RULES) {
    if (hasPrefix(bytes, rule.prefix, rule.bits)) return { range: rule.range };
  }
  // Only 2000::/3 is allocated as global unicast; everything else is reserved.
  if (((bytes[0] ?? 0) & 0xe0) !== 0x20) return { range: 'reserved' };
  return { range: 'public' };
}

/**
 * Classifies a parsed address. IPv6 forms that carry an IPv4 address (mapped, translated,
 * compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address they lead to.
 */
export function classifyAddress(address: IpAddress): AddressClassification {
  if (address.family === 4) return { range: classifyIpv4Number(ipv4Number(address.bytes)) };
  return classifyIpv6(address.bytes);
}
