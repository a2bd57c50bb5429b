import { describe, expect, it } from 'vitest';
import { parseContentRange, parseLength } from '../../src/http/contentRange.js';

describe('parseContentRange', () => {
  it('reads a satisfied range with its total', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ kind: 'range', start: 0, end: 99, total: 1000 });
  });

  it('reads an unknown total and the 416 form', () => {
    expect(parseContentRange('bytes 5-9/*')).toEqual({ kind: 'range', start: 5, end: 9, total: undefined });
    expect(parseContentRange('bytes */1234')).toEqual({ kind: 'unsatisfied', total: 1234 });
  });

  it.each([
    ['end before start', 'bytes 10-9/100'],
    ['end beyond total', 'bytes 0-100/100'],
    ['not bytes', 'items 0-1/2'],
    ['garbage', 'bytes a-b/c'],
    ['negative', 'bytes -1-5/10'],
    ['unsafe integer', 'bytes 0-1/99999999999999999'],
  ])('refuses %s', (_label, header) => {
    expect(parseContentRange(header)).toBeUndefined();
  });

  it('returns undefined when the header is absent', () => {
    expect(parseContentRange(undefined)).toBeUndefined();
  });
});

describe('parseLength', () => {
  it('reads decimal lengths and refuses anything else', () => {
    expect(parseLength('42')).toBe(42);
    expect(parseLength(' 7 ')).toBe(7);
    expect(parseLength('4.2')).toBeUndefined();
    expect(parseLength('-1')).toBeUndefined();
    expect(parseLength(undefined)).toBeUndefined();
  });
});
