import { describe, expect, it } from 'vitest';
import { dispositionName, outputNameFor, sanitizeFileName } from '../../src/cli/outputName.js';

describe('output names from the server or the URL', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['.bashrc', 'bashrc'],
    ['..', undefined],
    ['a\u0000b\u001bc.txt', 'abc.txt'],
    ['   ', undefined],
    ['x'.repeat(300), 'x'.repeat(200)],
  ])('sanitizes %j to %j', (raw, safe) => {
    expect(sanitizeFileName(raw)).toBe(safe);
  });

  it('reads filename*, then filename, from Content-Disposition', () => {
    expect(dispositionName('attachment; filename="a.txt"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf')).toBe(
      'résumé.pdf',
    );
    expect(dispositionName('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt');
    expect(dispositionName('attachment; filename=plain.bin')).toBe('plain.bin');
    expect(dispositionName('inline')).toBeUndefined();
  });

  it('prefers the server name, then the URL, then a fixed fallback', () => {
    expect(outputNameFor('http://h/dl?id=1', 'attachment; filename="r.pdf"')).toBe('r.pdf');
    expect(outputNameFor('http://h/files/a%20b.iso?x=1', null)).toBe('a b.iso');
    expect(outputNameFor('http://h/', null)).toBe('download');
  });
});
