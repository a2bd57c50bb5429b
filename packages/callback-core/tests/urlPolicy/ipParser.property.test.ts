import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkResolvedAddress } from '../../src/urlPolicy/checkResolvedAddress.js';
import { checkUrl } from '../../src/urlPolicy/checkUrl.js';
import { classifyAddress } from '../../src/urlPolicy/classifyAddress.js';
import { formatIpAddress, parseIpAddress } from '../../src/urlPolicy/ipAddress.js';

const ipLikeChar = fc.constantFrom(...'0123456789abcdefxX.:%[]ABCDEF-_ '.split(''));
const ipLike = fc.array(ipLikeChar, { maxLength: 48 }).map((chars) => chars.join(''));

describe('IP parser properties', () => {
  it('never throws, on arbitrary strings and on address-like noise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), ipLike, fc.ipV4Extended(), fc.ipV6()), (input) => {
        const parsed = parseIpAddress(input);
        if (parsed !== undefined) classifyAddress(parsed);
        checkResolvedAddress(input, 4, {});
        checkResolvedAddress(input, 6, {});
        checkUrl(`https://${input}/`, {});
      }),
      { numRuns: 3000 },
    );
  });

  it('parses every IPv4 spelling fast-check generates (dotted, octal, hex, short) like WHATWG URL does', () => {
    fc.assert(
      fc.property(fc.ipV4Extended(), (spelling) => {
        const parsed = parseIpAddress(spelling);
        expect(parsed?.family).toBe(4);
        expect(formatIpAddress(parsed ?? { family: 4, bytes: new Uint8Array(4) })).toBe(
          new URL(`http://${spelling}/`).hostname,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every IPv6 address and agrees with WHATWG URL on its canonical form', () => {
    fc.assert(
      fc.property(fc.ipV6(), (spelling) => {
        const parsed = parseIpAddress(spelling);
        expect(parsed?.family).toBe(6);
        const canonical = formatIpAddress(parsed ?? { family: 6, bytes: new Uint8Array(16) });
        expect(`[${canonical}]`).toBe(new URL(`http://[${spelling}]/`).hostname);
        expect(isIP(canonical)).toBe(6);
      }),
      { numRuns: 2000 },
    );
  });

  it('a private or loopback verdict does not depend on the spelling', () => {
    fc.assert(
      fc.property(fc.ipV4(), (dotted) => {
        const parts = dotted.split('.').map(Number);
        const n =
          (((parts[0] ?? 0) << 24) >>> 0) +
          ((parts[1] ?? 0) << 16) +
          ((parts[2] ?? 0) << 8) +
          (parts[3] ?? 0);
        const spellings = [dotted, String(n), `0x${n.toString(16)}`, `0${n.toString(8)}`];
        const verdicts = spellings.map((s) => {
          const r = checkResolvedAddress(s, 4, {});
          return r.ok ? 'public' : r.range;
        });
        expect(new Set(verdicts).size).toBe(1);
      }),
      { numRuns: 2000 },
    );
  });
});
