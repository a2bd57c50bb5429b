import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnsafeObjectKeyError } from '../../src/errors.js';
import { resolveKeyCollisions } from '../../src/payload/resolveKeyCollisions.js';
import { sanitizeObjectKey } from '../../src/payload/sanitizeObjectKey.js';

// Strings rich in the characters that matter: separators, dots, controls, case pairs, combining marks.
const nasty = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '/',
        '\\',
        '.',
        '..',
        ' ',
        '\u0000',
        '\n',
        '\u001b',
        '\u0085',
        '\u202e',
        'a',
        'A',
        'é',
        'e\u0301',
        'ß',
        'SS',
        '_delivery.json',
        '\uD800',
      ),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

const anyName = fc.oneof(nasty, fc.string({ unit: 'binary' }), fc.string());

/** sanitizeObjectKey, or undefined when it refuses with its typed error. */
function trySanitize(name: string): string | undefined {
  try {
    return sanitizeObjectKey(name);
  } catch (error) {
    if (error instanceof UnsafeObjectKeyError) return undefined;
    throw error;
  }
}

// Control characters that must never reach a key.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const SUFFIXES = ['.part', '.part.json', '.fetch-stream-journal.json'];

const fold = (key: string): string => key.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');

describe('sanitizeObjectKey properties', () => {
  it('never returns a key with a ".." segment, a leading "/", a backslash, control characters or empty segments', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const key = trySanitize(name);
        if (key === undefined) return;
        const segments = key.split('/');
        expect(segments).not.toContain('..');
        expect(segments.every((s) => s.trim() !== '' && s.trim() !== '.' && s.trim() !== '..')).toBe(true);
        expect(key.startsWith('/')).toBe(false);
        expect(key.includes('\\')).toBe(false);
        expect(CONTROL.test(key)).toBe(false);
        expect(key).toBe(key.normalize('NFC'));
        expect(new TextEncoder().encode(key).byteLength).toBeLessThanOrEqual(1024);
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const key = trySanitize(name);
        if (key !== undefined) expect(sanitizeObjectKey(key)).toBe(key);
      }),
      { numRuns: 5000 },
    );
  });

  it('only ever fails with UnsafeObjectKeyError', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        trySanitize(name);
      }),
      { numRuns: 5000 },
    );
  });

  it('resolved keys are unique under case folding, keep their order, and no key is a folder of another', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            nasty,
            fc.constantFrom(
              'a',
              'A',
              'a/b',
              'a (2)',
              'b.txt',
              'B.TXT',
              'a.part',
              'b.txt.PART.json',
              'a.part/x',
            ),
          ),
          {
            maxLength: 40,
          },
        ),
        (names) => {
          // Prepare
          const keys = names.map(trySanitize).filter((k): k is string => k !== undefined);

          // Act
          const resolved = resolveKeyCollisions(keys);

          // Assess
          expect(resolved).toHaveLength(keys.length);
          const folded = resolved.map(fold);
          expect(new Set(folded).size).toBe(folded.length);
          // No key is another key's in-flight companion (<key>.part …)
          const companions = new Set(folded.flatMap((k) => SUFFIXES.map((s) => k + s)));
          expect(folded.filter((k) => companions.has(k))).toEqual([]);
          const folders = new Set(
            folded.flatMap((k) =>
              k
                .split('/')
                .slice(0, -1)
                .map((_, i, s) => s.slice(0, i + 1).join('/')),
            ),
          );
          expect(folded.filter((k) => folders.has(k))).toEqual([]);
          // A key that clashes with no earlier resolved key (same file, or one is the other's folder) keeps its name
          keys.forEach((key, i) => {
            const k = fold(key);
            const clashes = resolved
              .slice(0, i)
              .map(fold)
              .some(
                (r) =>
                  r === k ||
                  r.startsWith(`${k}/`) ||
                  k.startsWith(`${r}/`) ||
                  SUFFIXES.some(
                    (s) =>
                      r === k + s || k === r + s || k.startsWith(`${r + s}/`) || r.startsWith(`${k + s}/`),
                  ),
              );
            if (!clashes) expect(resolved[i]).toBe(key);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
