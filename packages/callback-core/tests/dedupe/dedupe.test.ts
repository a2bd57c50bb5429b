import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyDuplicate } from '../../src/dedupe/classifyDuplicate.js';
import { dedupeKey } from '../../src/dedupe/dedupeKey.js';
import { InvalidDedupeInputError } from '../../src/errors.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('dedupeKey', () => {
  it('keys on provider and event id and hashes the raw body', () => {
    const record = dedupeKey({
      providerId: 'acme',
      eventId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      body: bytes('{"a":1}'),
    });
    expect(record).toEqual({
      key: 'acme/msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      bodySha256: createHash('sha256').update('{"a":1}').digest('hex'),
    });
  });

  it('cannot be confused by separators inside the ids', () => {
    const a = dedupeKey({ providerId: 'a/b', eventId: 'c', body: bytes('') });
    const b = dedupeKey({ providerId: 'a', eventId: 'b/c', body: bytes('') });
    expect(a.key).not.toBe(b.key);
  });

  it('hashes bytes, not decoded text (0xFF differs from U+FFFD)', () => {
    const raw = dedupeKey({ providerId: 'p', eventId: 'e', body: Uint8Array.of(0xff) });
    const replaced = dedupeKey({ providerId: 'p', eventId: 'e', body: bytes('\uFFFD') });
    expect(raw.bodySha256).not.toBe(replaced.bodySha256);
  });

  it('refuses empty or oversized ids', () => {
    expect(() => dedupeKey({ providerId: '', eventId: 'e', body: bytes('') })).toThrow(
      InvalidDedupeInputError,
    );
    expect(() => dedupeKey({ providerId: 'p', eventId: 'x'.repeat(513), body: bytes('') })).toThrow(
      expect.objectContaining({ code: 'INVALID_DEDUPE_INPUT' }),
    );
  });
});

describe('classifyDuplicate', () => {
  const first = dedupeKey({ providerId: 'acme', eventId: 'evt-1', body: bytes('{"files":["https://x/1"]}') });

  it('new when nothing is stored', () => {
    expect(classifyDuplicate(undefined, first)).toBe('new');
  });

  it('duplicate for the same id and the same body (a provider retry)', () => {
    const retry = dedupeKey({
      providerId: 'acme',
      eventId: 'evt-1',
      body: bytes('{"files":["https://x/1"]}'),
    });
    expect(classifyDuplicate(first, retry)).toBe('duplicate');
  });

  it('conflict for the same id with a different body', () => {
    const changed = dedupeKey({
      providerId: 'acme',
      eventId: 'evt-1',
      body: bytes('{"files":["https://x/2"]}'),
    });
    expect(classifyDuplicate(first, changed)).toBe('conflict');
  });

  it('new when the stored record belongs to another key', () => {
    const other = dedupeKey({
      providerId: 'acme',
      eventId: 'evt-2',
      body: bytes('{"files":["https://x/1"]}'),
    });
    expect(classifyDuplicate(first, other)).toBe('new');
  });
});
