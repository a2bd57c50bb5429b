/**
 * IP address parsing that accepts every spelling a URL, a resolver or an attacker may use.
 *
 * WHATWG `new URL()` already normalises legacy IPv4 forms in http(s) URLs, but addresses also
 * reach us from outside a URL (a connect target, an allowlist entry, a redirect built by hand),
 * so the parser here implements the same legacy rules itself instead of trusting the caller.
 */

/** A parsed IP address: 4 bytes for IPv4, 16 bytes for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

// Longer inputs cannot be an address in any spelling we accept; refusing early keeps the
// parser's work bounded on hostile input.
const MAX_INPUT_LENGTH = 256;

/**
 * Parses an IPv4 address in any legacy spelling that `inet_aton` and WHATWG URL accept:
 * one to four parts, each decimal, octal (leading `0`) or hex (`0x`), the last part filling
 * the remaining bytes (`127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`), with an optional
 * single trailing dot. Returns `undefined` for anything else. Never throws.
 */
export function parseIpv4(input: string): IpAddress | undefined {
  if (input.length === 0 || input.length > MAX_INPUT_LENGTH) return undefined;
  const parts = input.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Part(part);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const last = values.pop() as number; // parts.length >= 1, checked above
  if (values.some((v) => v > 255)) return undefined;
  if (last >= 256 ** (4 - values.length)) return undefined;
  let n = last;
  values.forEach((v, i) => {
    n += v * 256 ** (3 - i);
  });
  return {
    family: 4,
    bytes: Uint8Array.of(
      Math.floor(n / 2 ** 24) % 256,
      Math.floor(n / 2 ** 16) % 256,
      Math.floor(n / 256) % 256,
      n % 256,
    ),
  };
}

function parseIpv4Part(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    // WHATWG treats a bare "0x" as zero.
    if (digits === '') return 0;
    if (!/^[0-9a-f]+$/i.test(digits)) return undefined;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(digits)) return undefined;
  } else if (!/^[0-9]+$/.test(digits)) {
    return undefined;
  }
  // Values above 2^53 lose precision, but anything that large is already out of range.
  const value = Number.parseInt(digits, radix);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Parses an IPv6 address: `::` compression, an optional embedded dotted IPv4 tail
 * (`::ffff:127.0.0.1`), optional surrounding brackets and an optional zone id (`%eth0` or the
 * URL-encoded `%25eth0`), which is dropped because it does not change which range the address is in.
 * Returns `undefined` for anything else. Never throws.
 */
export function parseIpv6(input: string): IpAddress | undefined {
  if (input.length === 0 || input.length > MAX_INPUT_LENGTH) return undefined;
  let text = input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) {
    if (zone === text.length - 1) return undefined;
    text = text.slice(0, zone);
  }
  if (!/^[0-9a-f:.]+$/i.test(text)) return undefined;

  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon === -1) return undefined;
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = parseStrictDottedIpv4(maybeV4);
    if (v4 === undefined) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    // Keep the colon so "::1.2.3.4" still ends in "::" for the split below.
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }

  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    // "::" stands for at least one zero group.
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
  } else {
    if (explicit !== 8) return undefined;
    groups = [...head, ...tail];
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return { family: 6, bytes };
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    out.push(Number.parseInt(group, 16));
  }
  return out;
}

function parseStrictDottedIpv4(text: string): [number, number, number, number] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out.push(value);
  }
  return out as [number, number, number, number];
}

/**
 * Parses an IP address in any spelling this package recognises (see {@link parseIpv4} and
 * {@link parseIpv6}). A host name returns `undefined`. Never throws.
 */
export function parseIpAddress(input: string): IpAddress | undefined {
  if (typeof input !== 'string') return undefined;
  return input.includes(':') ? parseIpv6(input) : parseIpv4(input);
}

/** Dotted-decimal text of 4 IPv4 bytes. */
export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** Canonical text (RFC 5952: lower case, longest zero run compressed) of an address. */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) return formatIpv4(address.bytes);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((address.bytes[i] ?? 0) << 8) | (address.bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
