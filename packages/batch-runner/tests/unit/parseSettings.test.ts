import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parseSettings.js';

const SHA = 'a'.repeat(64);

describe('parseSettings', () => {
  it('reads every setting from flags', () => {
    const command = parseSettings(
      [
        '--url',
        'https://files.example.org/a.bin?sig=1',
        '--bucket',
        'b',
        '--key',
        'k/a.bin',
        '--sha256',
        SHA.toUpperCase(),
        '--size',
        '123',
        '--endpoint',
        'http://127.0.0.1:9000',
        '--connections',
        '8',
        '--delivery-id',
        'dlv_9',
      ],
      {},
    );
    expect(command).toEqual({
      kind: 'run',
      settings: {
        url: 'https://files.example.org/a.bin?sig=1',
        s3: { bucket: 'b', key: 'k/a.bin', endpoint: 'http://127.0.0.1:9000' },
        sha256: SHA,
        size: 123,
        connections: 8,
        deliveryId: 'dlv_9',
        progressIntervalMs: 5000,
      },
    });
  });

  it('takes a value that starts with "-" in --flag=value form, and says how when it is split', () => {
    const joined = parseSettings(
      ['--url=https://files.example.org/a.bin', '--to-file=/tmp/a', '--delivery-id=-Z6G'],
      {},
    );
    expect(joined).toMatchObject({ kind: 'run', settings: { deliveryId: '-Z6G' } });

    expect(() =>
      parseSettings(
        ['--url', 'https://files.example.org/a.bin', '--to-file', '/tmp/a', '--delivery-id', '-Z6G'],
        {},
      ),
    ).toThrow(/--delivery-id=-XYZ/);
  });

  it('reads the same settings from DOWNLOADER_* environment variables, flags winning', () => {
    const command = parseSettings(['--connections', '2'], {
      DOWNLOADER_URL: 'https://files.example.org/b.bin',
      DOWNLOADER_BUCKET: 'bucket',
      DOWNLOADER_KEY: 'key',
      DOWNLOADER_CONNECTIONS: '16',
      DOWNLOADER_DELIVERY_ID: 'dlv_env',
    });
    expect(command).toMatchObject({
      kind: 'run',
      settings: {
        url: 'https://files.example.org/b.bin',
        s3: { bucket: 'bucket', key: 'key' },
        connections: 2,
        deliveryId: 'dlv_env',
      },
    });
  });

  it('takes --to-file as the target instead of S3', () => {
    const command = parseSettings(['--url', 'http://h/x', '--to-file', '/tmp/x'], {});
    expect(command).toMatchObject({ kind: 'run', settings: { toFile: '/tmp/x' } });
  });

  it.each([
    [[], '--url (or DOWNLOADER_URL) is required'],
    [['--url', 'ftp://h/x', '--to-file', 'x'], '--url must be http or https'],
    [['--url', 'http://h/x'], 'a target is required'],
    [['--url', 'http://h/x', '--to-file', 'x', '--bucket', 'b'], 'not both'],
    [['--url', 'http://h/x', '--to-file', 'x', '--sha256', 'abc'], '--sha256 must be 64 hex digits'],
    [
      ['--url', 'http://h/x', '--to-file', 'x', '--connections', '0'],
      '--connections must be an integer from 1 to 64',
    ],
    [['--url', 'http://h/x', '--to-file', 'x', '--part-size', '1024'], '--part-size must be an integer'],
    [['--nope'], "Unknown option '--nope'"],
  ])('refuses %j with a USAGE error saying "%s"', (argv, message) => {
    expect(() => parseSettings(argv, {})).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining(message) }),
    );
  });

  it('recognises --help and --version', () => {
    expect(parseSettings(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseSettings(['--version'], {})).toEqual({ kind: 'version' });
  });
});
