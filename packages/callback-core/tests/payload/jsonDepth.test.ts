import { describe, expect, it } from 'vitest';
import { JsonDepthScanner, MAX_JSON_DEPTH } from '../../src/payload/jsonDepth.js';
import { parseManifest } from '../../src/payload/parseManifest.js';
import { profileWith } from './fixtures.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('JsonDepthScanner', () => {
  it('accepts 64 levels and refuses the 65th, also when the document arrives in pieces', () => {
    const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const pieces = new JsonDepthScanner();

    expect(new JsonDepthScanner().feed(bytes(ok))).toBe(true);
    expect(new JsonDepthScanner().feed(bytes(deep))).toBe(false);
    expect(pieces.feed(bytes(deep.slice(0, 40)))).toBe(true);
    expect(pieces.feed(bytes(deep.slice(40)))).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ name: `${'['.repeat(200)}\\"${'{'.repeat(200)}` });

    expect(new JsonDepthScanner().feed(bytes(text))).toBe(true);
  });

  it('makes parseManifest refuse a deep document with the cap named', () => {
    const deep = bytes('['.repeat(100_000));

    expect(() => parseManifest(deep, profileWith({ files: { source: 'manifest', urlField: 'm' } }))).toThrow(
      /deeper than 64 levels/,
    );
  });
});
