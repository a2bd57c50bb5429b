import { describe, expect, it } from 'vitest';
import { UnsafeObjectKeyError } from '../../src/errors.js';
import { sanitizeObjectKey } from '../../src/payload/sanitizeObjectKey.js';

function reasonOf(name: string): string {
  try {
    sanitizeObjectKey(name);
  } catch (error) {
    if (error instanceof UnsafeObjectKeyError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('sanitizeObjectKey', () => {
  it.each([
    ['report.csv', 'report.csv'],
    ['a/b/c.txt', 'a/b/c.txt'],
    ['/etc/passwd', 'etc/passwd'],
    ['//server/share/file', 'server/share/file'],
    ['a//b///c', 'a/b/c'],
    ['./a/./b', 'a/b'],
    ['a\\b\\c.txt', 'a/b/c.txt'],
    ['C:\\Users\\x.txt', 'C:/Users/x.txt'],
    ['tab\there', 'tab_here'],
    ['line\nbreak\r.txt', 'line_break_.txt'],
    ['esc\u001b[31mred', 'esc_[31mred'],
    ['del\u007f.txt', 'del_.txt'],
    ['c1\u0085.txt', 'c1_.txt'],
    ['invoice\u202Etxt.exe', 'invoice_txt.exe'],
    ['cafe\u0301.txt', 'caf\u00e9.txt'],
    ['lone\uD800surrogate', 'lone\uFFFDsurrogate'],
    ['...', '...'],
    ['a/ /b', 'a/b'],
    ['.hidden', '.hidden'],
    ['日本語/ファイル.txt', '日本語/ファイル.txt'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeObjectKey(input)).toBe(expected);
  });

  it.each([
    ['..', 'dot_segment'],
    ['../secret', 'dot_segment'],
    ['a/../../b', 'dot_segment'],
    ['a\\..\\..\\b', 'dot_segment'],
    ['a/ .. /b', 'dot_segment'],
    ['', 'empty'],
    ['/', 'empty'],
    ['./.', 'empty'],
    ['   ', 'empty'],
    ['nul\u0000.txt', 'nul'],
    ['_delivery.json', 'reserved'],
    ['_DELIVERY.JSON', 'reserved'],
    ['/_delivery.json', 'reserved'],
    ['_delivery.json/x', 'reserved'],
    ['_Delivery.JSON/sub/x.bin', 'reserved'],
    [`${'a'.repeat(256)}.txt`, 'segment_too_long'],
    [`${'é'.repeat(128)}`, 'segment_too_long'],
    [Array.from({ length: 9 }, () => 'b'.repeat(120)).join('/'), 'too_long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('keeps _delivery.json allowed below the top level (only the delivery record is reserved)', () => {
    expect(sanitizeObjectKey('sub/_delivery.json')).toBe('sub/_delivery.json');
  });

  it('throws a typed error with a stable code', () => {
    expect(() => sanitizeObjectKey('../x')).toThrow(expect.objectContaining({ code: 'UNSAFE_OBJECT_KEY' }));
  });
});
