import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, prepareHmacSha256Key } from '../../src/signatures/hmacSha256.js';

function reference(key: Uint8Array, prefix: string, body: Uint8Array): Buffer {
  return createHmac('sha256', key).update(prefix).update(body).digest();
}

describe('hmacSha256', () => {
  const keys = {
    'a 24-byte key (a typical whsec_ secret)': randomBytes(24),
    'a key of exactly one block (64 bytes)': randomBytes(64),
    'a key longer than one block (hashed first)': randomBytes(100),
    'a one-byte key': Buffer.from([0x5c]),
  };
  const bodies = {
    empty: new Uint8Array(0),
    'a small JSON body': Buffer.from('{"files":[{"url":"https://files.example.com/a.csv"}]}'),
    'exactly 16 KiB (the last one-shot size)': randomBytes(16 * 1024),
    'over 16 KiB (streamed)': randomBytes(16 * 1024 + 1),
  };

  for (const [keyName, key] of Object.entries(keys)) {
    for (const [bodyName, body] of Object.entries(bodies)) {
      it(`gives createHmac's digest for ${keyName} and ${bodyName}`, () => {
        // Prepare
        const prepared = prepareHmacSha256Key(key);
        const prefix = 'msg_2Lq9.1700000000.';

        // Act
        const digest = hmacSha256(prepared, prefix, body);

        // Assess
        expect(digest.equals(reference(key, prefix, body))).toBe(true);
      });
    }
  }

  it('encodes the prefix as UTF-8 and accepts an empty one', () => {
    // Prepare
    const key = randomBytes(32);
    const prepared = prepareHmacSha256Key(key);
    const body = Buffer.from('{}');

    // Act
    const unicode = hmacSha256(prepared, 'é€😀.', body);
    const empty = hmacSha256(prepared, '', body);

    // Assess
    expect(unicode.equals(reference(key, 'é€😀.', body))).toBe(true);
    expect(empty.equals(reference(key, '', body))).toBe(true);
  });

  it('keeps its own copy of the key: changing the caller buffer later changes nothing', () => {
    // Prepare
    const key = randomBytes(32);
    const original = Buffer.from(key);
    const prepared = prepareHmacSha256Key(key);

    // Act
    key.fill(0);
    const digest = hmacSha256(prepared, 'p.', Buffer.from('body'));

    // Assess
    expect(digest.equals(reference(original, 'p.', Buffer.from('body')))).toBe(true);
  });
});
