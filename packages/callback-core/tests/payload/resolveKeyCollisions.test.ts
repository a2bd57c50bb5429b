import { describe, expect, it } from 'vitest';
import { resolveKeyCollisions } from '../../src/payload/resolveKeyCollisions.js';

describe('resolveKeyCollisions', () => {
  it('keeps unique keys unchanged', () => {
    expect(resolveKeyCollisions(['a.txt', 'b.txt', 'dir/a.txt'])).toEqual(['a.txt', 'b.txt', 'dir/a.txt']);
  });

  it('numbers later duplicates in list order, before the extension', () => {
    expect(resolveKeyCollisions(['a.txt', 'a.txt', 'a.txt', 'b', 'b'])).toEqual([
      'a.txt',
      'a (2).txt',
      'a (3).txt',
      'b',
      'b (2)',
    ]);
  });

  it('treats keys that differ only in case (or ß/ss) as the same file', () => {
    expect(resolveKeyCollisions(['Report.PDF', 'report.pdf', 'REPORT.pdf'])).toEqual([
      'Report.PDF',
      'report (2).pdf',
      'REPORT (3).pdf',
    ]);
    expect(resolveKeyCollisions(['straße.txt', 'STRASSE.txt'])).toEqual(['straße.txt', 'STRASSE (2).txt']);
  });

  it('does not reuse a name a later file holds in the list as given', () => {
    expect(resolveKeyCollisions(['a.txt', 'a.txt', 'a (2).txt'])).toEqual([
      'a.txt',
      'a (2).txt',
      'a (2) (2).txt',
    ]);
  });

  it('keeps .tar.gz together and treats a leading dot as part of the name', () => {
    expect(resolveKeyCollisions(['x.tar.gz', 'x.tar.gz', '.env', '.env'])).toEqual([
      'x.tar.gz',
      'x (2).tar.gz',
      '.env',
      '.env (2)',
    ]);
  });

  it('renames a key that would need a path as both file and folder', () => {
    expect(resolveKeyCollisions(['a', 'a/b.txt'])).toEqual(['a', 'a (2)/b.txt']);
    expect(resolveKeyCollisions(['a/b.txt', 'a'])).toEqual(['a/b.txt', 'a (2)']);
    expect(resolveKeyCollisions(['A/b.txt', 'a/c.txt'])).toEqual(['A/b.txt', 'a/c.txt']);
  });

  it('keeps room for in-flight companions such as a.bin.part, in either order', () => {
    expect(resolveKeyCollisions(['a.bin', 'a.bin.part', 'a.bin.part.json'])).toEqual([
      'a.bin',
      'a.bin (2).part',
      'a.bin.part (2).json',
    ]);
    expect(resolveKeyCollisions(['a.bin.part', 'a.bin'])).toEqual(['a.bin.part', 'a (2).bin']);
    expect(resolveKeyCollisions(['x', 'X.FETCH-STREAM-JOURNAL.JSON'])).toEqual([
      'x',
      'X.FETCH-STREAM-JOURNAL (2).JSON',
    ]);
    expect(resolveKeyCollisions(['a.bin', 'a.bin.part'], { companionSuffixes: [] })).toEqual([
      'a.bin',
      'a.bin.part',
    ]);
  });

  it("keeps room for the file sink's lock and hidden journal temp, whichever comes first in the list", () => {
    expect(resolveKeyCollisions(['b.bin', 'b.bin.part.lock'])).toEqual(['b.bin', 'b.bin.part (2).lock']);
    expect(resolveKeyCollisions(['b.bin.part.lock', 'b.bin'])).toEqual(['b.bin.part.lock', 'b (2).bin']);
    expect(resolveKeyCollisions(['d/c.bin', 'd/.c.bin.part.json.tmp'])).toEqual([
      'd/c.bin',
      'd/.c.bin.part.json (2).tmp',
    ]);
    expect(resolveKeyCollisions(['.C.BIN.PART.JSON.TMP', 'c.bin'])).toEqual([
      '.C.BIN.PART.JSON.TMP',
      'c (2).bin',
    ]);
  });

  it('numbers 10 000 files of the same name (the default list cap) 2 … 10 000', () => {
    const resolved = resolveKeyCollisions(
      Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 'data/Report.csv' : 'data/report.csv')),
    );
    expect(new Set(resolved.map((k) => k.toLowerCase())).size).toBe(10_000);
    expect(resolved.slice(0, 3)).toEqual(['data/report.csv', 'data/Report (2).csv', 'data/report (3).csv']);
    expect(resolved[9_999]).toBe('data/Report (10000).csv');
  });

  it('is deterministic', () => {
    const keys = ['x', 'X', 'x/y', 'x (2)', 'x.txt', 'x.TXT'];
    expect(resolveKeyCollisions(keys)).toEqual(resolveKeyCollisions([...keys]));
  });
});
