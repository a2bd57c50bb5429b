import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/cli/args.js';
import { EXIT, exitCodeFor } from '../../src/cli/exitCodes.js';
import { AbortedError, ChecksumMismatchError, HttpStatusError, NetworkError } from '../../src/index.js';

describe('parseCliArgs', () => {
  it('reads a full command line', () => {
    const cmd = parseCliArgs([
      'http://h/x',
      '-o',
      'x.bin',
      '-c',
      '8',
      '--sha256',
      'AB'.repeat(32),
      '--retries',
      '3',
      '--json',
      '-H',
      'Authorization: Bearer t',
      '--header',
      'X-A: b:c',
    ]);
    expect(cmd).toEqual({
      kind: 'download',
      url: 'http://h/x',
      output: 'x.bin',
      connections: 8,
      partSize: undefined,
      durability: 'power-loss',
      sha256: 'ab'.repeat(32),
      retries: 3,
      json: true,
      quiet: false,
      headers: { Authorization: 'Bearer t', 'X-A': 'b:c' },
    });
  });

  it('--no-fsync asks for process-exit durability; the default is power-loss', () => {
    const durability = (...flags: string[]): unknown => {
      const cmd = parseCliArgs(['http://h/x', '-o', 'x', ...flags]);
      return cmd.kind === 'download' ? cmd.durability : cmd.kind;
    };
    expect(durability()).toBe('power-loss');
    expect(durability('--no-fsync')).toBe('process-exit');
  });

  it('reads --part-size in bytes or with a binary unit', () => {
    const partSize = (v: string): unknown => {
      const cmd = parseCliArgs(['http://h/x', '-o', 'x', '--part-size', v]);
      return cmd.kind === 'download' ? cmd.partSize : undefined;
    };
    expect(partSize('65536')).toBe(65536);
    expect(partSize('512K')).toBe(512 * 1024);
    expect(partSize('8M')).toBe(8 * 1024 ** 2);
    expect(partSize('16MiB')).toBe(16 * 1024 ** 2);
    expect(partSize('1g')).toBe(1024 ** 3);
  });

  it('answers --help and --version', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    ['no url', ['-o', 'x']],
    ['both -o and -O', ['http://h/x', '-o', 'x', '-O']],
    ['-j without a list', ['http://h/x', '-j', '4']],
    ['a URL beside -i', ['http://h/x', '-i', 'list.txt']],
    ['--sha256 with -i (it is per file)', ['-i', 'list.txt', '--sha256', 'a'.repeat(64)]],
    ['two urls', ['http://h/x', 'http://h/y', '-o', 'x']],
    ['ftp url', ['ftp://h/x', '-o', 'x']],
    ['bad sha256', ['http://h/x', '-o', 'x', '--sha256', 'abc']],
    ['zero connections', ['http://h/x', '-o', 'x', '-c', '0']],
    ['unknown option', ['http://h/x', '-o', 'x', '--fast']],
    ['header without colon', ['http://h/x', '-o', 'x', '-H', 'nope']],
    ['a part size below 64K', ['http://h/x', '-o', 'x', '--part-size', '1K']],
    ['a part size above 5G', ['http://h/x', '-o', 'x', '--part-size', '6G']],
    ['a part size that is not a size', ['http://h/x', '-o', 'x', '--part-size', 'big']],
  ])('refuses %s with a UsageError', (_label, argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });
});

describe('exitCodeFor', () => {
  it('maps failures to the documented exit codes', () => {
    expect(exitCodeFor(new HttpStatusError(404, 'http://h/x'))).toBe(EXIT.httpRefused);
    expect(exitCodeFor(new HttpStatusError(503, 'http://h/x'))).toBe(EXIT.network);
    expect(exitCodeFor(new NetworkError('reset'))).toBe(EXIT.network);
    expect(exitCodeFor(new ChecksumMismatchError('sha256', 'a', 'b', 'caller'))).toBe(EXIT.verification);
    expect(exitCodeFor(new AbortedError())).toBe(EXIT.interrupted);
  });
});

describe('names and lists', () => {
  it('without -o the output is left to -O naming; -i reads a list with -j jobs into -d', () => {
    expect(parseCliArgs(['http://h/x'])).toMatchObject({ kind: 'download', output: undefined });
    expect(parseCliArgs(['http://h/x', '-O', '-d', 'out'])).toMatchObject({ output: undefined, dir: 'out' });
    expect(parseCliArgs(['-i', 'l.txt', '-j', '16', '-d', 'out'])).toMatchObject({
      kind: 'list',
      inputFile: 'l.txt',
      jobs: 16,
      dir: 'out',
    });
  });
});
