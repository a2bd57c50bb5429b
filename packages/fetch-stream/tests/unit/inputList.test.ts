import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseInputList } from '../../src/cli/inputList.js';

const HEX = 'ab'.repeat(32);

describe('input lists', () => {
  it('reads aria2-style entries and JSON lines, mixed, skipping comments and blank lines', () => {
    const text = [
      '# a comment',
      'http://h/a.bin',
      '  out=a.bin',
      `  checksum=sha-256=${HEX.toUpperCase()}`,
      '',
      'https://h/b.bin',
      JSON.stringify({ url: 'http://h/c', output: 'c.bin', sha256: HEX }),
    ].join('\n');

    expect(parseInputList(text)).toEqual([
      { url: 'http://h/a.bin', output: 'a.bin', sha256: HEX },
      { url: 'https://h/b.bin', output: undefined, sha256: undefined },
      { url: 'http://h/c', output: 'c.bin', sha256: HEX },
    ]);
  });

  it.each([
    ['an option before any URL', '  out=x'],
    ['an unknown option', 'http://h/a\n  split=4'],
    ['a non-http URL', 'ftp://h/a'],
    ['a short checksum', 'http://h/a\n  checksum=sha-256=abc'],
    ['JSON without url', '{"output":"x"}'],
    ['broken JSON', '{"url":'],
  ])('refuses %s with a UsageError naming the line', (_what, text) => {
    expect(() => parseInputList(text)).toThrow(UsageError);
    expect(() => parseInputList(text)).toThrow(/^List line \d+: /);
  });
});
