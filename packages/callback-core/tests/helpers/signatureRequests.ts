import type { RequestHeaders } from '../../src/signatures/types.js';

/** The fixed clock of the signature tests. */
export const NOW = new Date('2026-11-27T22:00:00Z');

/** `NOW` moved by `seconds` (negative: earlier). */
export function secondsFromNow(seconds: number): Date {
  return new Date(NOW.getTime() + seconds * 1000);
}

/** A copy of `body` with the byte at `index` XOR-ed with 0x01. */
export function flipByte(body: Uint8Array, index = 0): Uint8Array {
  const copy = Uint8Array.from(body);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/** `headers` with `name` (any case) removed. */
export function withoutHeader(headers: RequestHeaders, name: string): RequestHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()),
  );
}

/** `headers` with `name` (any case) replaced by `value`. */
export function withHeader(
  headers: RequestHeaders,
  name: string,
  value: string | readonly string[],
): RequestHeaders {
  return { ...withoutHeader(headers, name), [name.toLowerCase()]: value };
}

/** `headers` with `name` sent twice under two spellings, as a client could send it. */
export function withDuplicatedHeader(headers: RequestHeaders, name: string, second: string): RequestHeaders {
  const current = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return { ...withoutHeader(headers, name), [name.toLowerCase()]: current, [name.toUpperCase()]: second };
}

/** `headers` with `name` (any case) sent as a two-element array, as Node gives repeated headers. */
export function withArrayHeader(headers: RequestHeaders, name: string): RequestHeaders {
  const current = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const value = typeof current === 'string' ? current : '';
  return withHeader(headers, name, [value, value]);
}

/** The UTF-8 bytes of U+FFFD, what a lossy decoder turns a lone 0xFF into. */
export const REPLACEMENT_CHARACTER_BYTES = Uint8Array.from([0xef, 0xbf, 0xbd]);

/** A body holding a byte that is not valid UTF-8. */
export const BODY_WITH_0XFF = Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"a":"<FF>"}

/** {@link BODY_WITH_0XFF} with 0xFF replaced by U+FFFD: what a verifier that decodes first would see. */
export const BODY_WITH_REPLACEMENT = Uint8Array.from([
  0x7b,
  0x22,
  0x61,
  0x22,
  0x3a,
  0x22,
  ...REPLACEMENT_CHARACTER_BYTES,
  0x22,
  0x7d,
]);
