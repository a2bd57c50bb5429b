import { describe, expect, it } from 'vitest';
import { InvalidBaseUrlError, InvalidDeliveryIdError } from '../../src/errors.js';
import { callbackUrlFor } from '../../src/tokens/callbackUrlFor.js';
import { DELIVERY_ID_LENGTH, isWellFormedDeliveryId, mintDeliveryId } from '../../src/tokens/deliveryId.js';

describe('mintDeliveryId', () => {
  it('is fixed-length base64url carrying at least 128 random bits', () => {
    const id = mintDeliveryId();
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).toHaveLength(DELIVERY_ID_LENGTH);
    expect(Buffer.from(id, 'base64url').byteLength * 8).toBeGreaterThanOrEqual(128);
    expect(encodeURIComponent(id)).toBe(id);
  });

  it('does not repeat across many mints', () => {
    const ids = new Set(Array.from({ length: 10_000 }, mintDeliveryId));
    expect(ids.size).toBe(10_000);
  });

  it('uses every base64url character (the bits are spread, not a counter)', () => {
    const seen = new Set(Array.from({ length: 500 }, mintDeliveryId).join(''));
    expect(seen.size).toBe(64);
  });
});

describe('isWellFormedDeliveryId', () => {
  it('accepts minted ids', () => {
    expect(isWellFormedDeliveryId(mintDeliveryId())).toBe(true);
  });

  it.each([
    '',
    'short',
    `${'a'.repeat(31)}=`,
    `${'a'.repeat(31)}/`,
    `${'a'.repeat(31)}+`,
    'a'.repeat(33),
    `../${'a'.repeat(29)}`,
    `${'a'.repeat(31)}\n`,
  ])('refuses %j', (value) => {
    expect(isWellFormedDeliveryId(value)).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(isWellFormedDeliveryId(42)).toBe(false);
    expect(isWellFormedDeliveryId(undefined)).toBe(false);
  });
});

describe('callbackUrlFor', () => {
  const id = 'Abcdefghijklmnopqrstuvwxyz012-_9';

  it('appends /callbacks/<id>, keeping a base path', () => {
    expect(callbackUrlFor('https://api.example.com', id)).toBe(`https://api.example.com/callbacks/${id}`);
    expect(callbackUrlFor('https://api.example.com/prod/', id)).toBe(
      `https://api.example.com/prod/callbacks/${id}`,
    );
    expect(callbackUrlFor(new URL('https://api.example.com/prod'), id)).toBe(
      `https://api.example.com/prod/callbacks/${id}`,
    );
    expect(callbackUrlFor('http://127.0.0.1:8787', id)).toBe(`http://127.0.0.1:8787/callbacks/${id}`);
  });

  it('refuses ids that are not well formed', () => {
    expect(() => callbackUrlFor('https://api.example.com', '../../admin')).toThrow(InvalidDeliveryIdError);
  });

  it.each([
    'not a url',
    'ftp://api.example.com',
    'https://api.example.com/?x=1',
    'https://api.example.com/#f',
    'https://u:p@api.example.com',
  ])('refuses the base URL %j', (base) => {
    expect(() => callbackUrlFor(base, id)).toThrow(InvalidBaseUrlError);
  });
});
