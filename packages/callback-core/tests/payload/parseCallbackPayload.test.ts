import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, InvalidPayloadError, ProjectMismatchError } from '../../src/errors.js';
import { extractFileList, parseCallbackPayload } from '../../src/payload/extractFileList.js';
import { HASHES, json, profileWith } from './fixtures.js';

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidPayloadError) return error.issues.map((i) => ({ ...i }));
    throw error;
  }
  throw new Error('expected InvalidPayloadError');
}

describe('parseCallbackPayload: inline lists', () => {
  it('normalises a full entry: url, name, size, checksums (nested or flat, any case)', () => {
    // Prepare
    const body = json({
      files: [
        {
          url: 'https://eu.acme-cdn.example/x/report.csv?sig=abc',
          name: 'reports/2026/report.csv',
          size: 1234,
          checksums: { sha256: HASHES.sha256.toUpperCase(), md5: HASHES.md5 },
        },
        // A digit string near 2^53 (with 1234 it sums to exactly MAX_SAFE_INTEGER, the delivery cap here).
        { url: 'https://eu.acme-cdn.example/x/data.bin', size: '9007199254739757', crc32c: 'DEADBEEF' },
      ],
    });

    // Act
    const limits = { maxFileBytes: Number.MAX_SAFE_INTEGER, maxDeliveryBytes: Number.MAX_SAFE_INTEGER };
    const result = parseCallbackPayload(body, profileWith({ limits }));

    // Assess
    expect(result).toEqual({
      kind: 'files',
      files: [
        {
          url: 'https://eu.acme-cdn.example/x/report.csv?sig=abc',
          name: 'reports/2026/report.csv',
          size: 1234,
          checksums: { sha256: HASHES.sha256, md5: HASHES.md5 },
        },
        {
          url: 'https://eu.acme-cdn.example/x/data.bin',
          name: 'data.bin',
          size: Number.MAX_SAFE_INTEGER - 1234,
          checksums: { crc32c: 'deadbeef' },
        },
      ],
    });
  });

  it('accepts a bare array of URL strings and names each file after its last path segment', () => {
    const body = json([
      'https://a.acme-cdn.example/d/one%20file.txt',
      'https://a.acme-cdn.example/d/two.txt',
    ]);
    expect(parseCallbackPayload(body, profileWith())).toEqual({
      kind: 'files',
      files: [
        { url: 'https://a.acme-cdn.example/d/one%20file.txt', name: 'one file.txt' },
        { url: 'https://a.acme-cdn.example/d/two.txt', name: 'two.txt' },
      ],
    });
  });

  it('finds the list at a JSON pointer or a dot path, with custom field names', () => {
    // Prepare
    const payload = {
      data: {
        'result/items': [{ link: { href: 'https://a.acme-cdn.example/1.gz' }, fileName: 'one.gz', bytes: 5 }],
      },
    };
    const fields = { url: 'link.href', name: 'fileName', size: 'bytes' };

    // Act
    const byPointer = extractFileList(
      payload,
      profileWith({ files: { source: 'inline', path: '/data/result~1items', fields } }),
    );
    const byDots = extractFileList(
      { data: { items: payload.data['result/items'] } },
      profileWith({ files: { source: 'inline', path: 'data.items', fields } }),
    );

    // Assess
    const expected = {
      kind: 'files',
      files: [{ url: 'https://a.acme-cdn.example/1.gz', name: 'one.gz', size: 5 }],
    };
    expect(byPointer).toEqual(expected);
    expect(byDots).toEqual(expected);
  });

  it('resolves name collisions in list order, case-insensitively', () => {
    const body = json([
      { url: 'https://a.acme-cdn.example/1', name: 'a.txt' },
      { url: 'https://a.acme-cdn.example/2', name: 'A.TXT' },
      { url: 'https://a.acme-cdn.example/3', name: 'a.txt' },
      { url: 'https://a.acme-cdn.example/4', name: '/a.txt' },
    ]);
    const result = parseCallbackPayload(body, profileWith());
    expect(result.kind === 'files' && result.files.map((f) => f.name)).toEqual([
      'a.txt',
      'A (2).TXT',
      'a (3).txt',
      'a (4).txt',
    ]);
  });

  it('reports every bad entry with its path and a reason', () => {
    // Prepare
    const body = json({
      files: [
        { url: 'https://a.acme-cdn.example/ok', name: 'ok' },
        { url: 'http://a.acme-cdn.example/plain' },
        { url: 'https://169.254.169.254/latest/meta-data/' },
        { url: 'https://evil.example/x' },
        { name: 'no-url' },
        42,
        { url: 'https://a.acme-cdn.example/f', size: -1 },
        { url: 'https://a.acme-cdn.example/f', size: 1.5 },
        { url: 'https://a.acme-cdn.example/f', sha256: 'abc' },
        { url: 'https://a.acme-cdn.example/f', checksums: { md5: 'zz'.repeat(16) } },
        { url: 'https://a.acme-cdn.example/f', crc32c: 123 },
        { url: 'https://a.acme-cdn.example/f', name: '../../etc/passwd' },
        { url: 'https://a.acme-cdn.example/f', name: '_delivery.json' },
        { url: 'https://a.acme-cdn.example/f', name: 'nul\u0000byte' },
        { url: 'https://a.acme-cdn.example/dir/' },
        { url: 'not a url' },
      ],
    });

    // Act
    const issues = issuesOf(() => parseCallbackPayload(body, profileWith()));

    // Assess
    expect(issues.map((i) => i.path)).toEqual([
      'files[1].url',
      'files[2].url',
      'files[3].url',
      'files[4].url',
      'files[5]',
      'files[6].size',
      'files[7].size',
      'files[8].sha256',
      'files[9].md5',
      'files[10].crc32c',
      'files[11].name',
      'files[12].name',
      'files[13].name',
      'files[14].name',
      'files[15].url',
    ]);
    expect(issues[1]?.message).toContain('not public (metadata)');
    expect(issues[2]?.message).toContain('not in this provider');
    expect(issues[7]?.message).toBe('sha256 must be 64 hex digits');
  });

  it('enforces the caps on file count, URL length and name length', () => {
    // Prepare
    const profile = profileWith({ limits: { maxFiles: 2, maxUrlLength: 64, maxNameLength: 8 } });
    const three = json([
      'https://a.acme-cdn.example/1',
      'https://a.acme-cdn.example/2',
      'https://a.acme-cdn.example/3',
    ]);
    const longUrl = json([`https://a.acme-cdn.example/${'x'.repeat(64)}`]);
    const longName = json([{ url: 'https://a.acme-cdn.example/1', name: 'nine.char' }]);

    // Act / Assess
    expect(issuesOf(() => parseCallbackPayload(three, profile))).toEqual([
      { path: 'files', message: "the list has 3 files; this provider's limit is 2" },
    ]);
    expect(issuesOf(() => parseCallbackPayload(longUrl, profile))).toEqual([
      { path: 'files[0].url', message: 'url is longer than 64 characters' },
    ]);
    expect(issuesOf(() => parseCallbackPayload(longName, profile))).toEqual([
      { path: 'files[0].name', message: 'name is longer than 8 characters' },
    ]);
  });

  it('refuses a declared size over limits.maxFileBytes and declared sizes adding up over limits.maxDeliveryBytes', () => {
    // Prepare
    const profile = profileWith({ limits: { maxFileBytes: 1000, maxDeliveryBytes: 1500 } });
    const tooBig = json([{ url: 'https://a.acme-cdn.example/1', size: 1001 }]);
    const tooMuch = json([
      { url: 'https://a.acme-cdn.example/1', size: 1000 },
      { url: 'https://a.acme-cdn.example/2', size: 501 },
    ]);
    const fits = json([
      { url: 'https://a.acme-cdn.example/1', size: 1000 },
      { url: 'https://a.acme-cdn.example/2', size: 500 },
    ]);

    // Act / Assess
    expect(issuesOf(() => parseCallbackPayload(tooBig, profile))).toEqual([
      {
        path: 'files[0].size',
        message: "size 1001 is over this provider's limit of 1000 bytes (limits.maxFileBytes)",
      },
    ]);
    expect(issuesOf(() => parseCallbackPayload(tooMuch, profile))).toEqual([
      {
        path: 'files',
        message:
          "the declared sizes add up to 1501 bytes; this provider's limit is 1500 (limits.maxDeliveryBytes)",
      },
    ]);
    expect(parseCallbackPayload(fits, profile).kind).toBe('files');
  });

  it('accepts exactly the default cap of 10 000 files and refuses 10 001', () => {
    const urls = Array.from({ length: 10_001 }, (_, i) => `https://a.acme-cdn.example/f/${i}.bin`);
    const atCap = parseCallbackPayload(json(urls.slice(0, 10_000)), profileWith());
    expect(atCap.kind === 'files' && atCap.files.length).toBe(10_000);
    expect(issuesOf(() => parseCallbackPayload(json(urls), profileWith()))[0]?.path).toBe('files');
  });

  it('says where the list was expected when it is missing or not an array', () => {
    expect(issuesOf(() => parseCallbackPayload(json({ items: [] }), profileWith()))[0]?.path).toBe('files');
    expect(
      issuesOf(() =>
        parseCallbackPayload(
          json({ data: {} }),
          profileWith({ files: { source: 'inline', path: '/data/files' } }),
        ),
      ),
    ).toEqual([{ path: '/data/files', message: 'no file list at this path' }]);
    expect(issuesOf(() => parseCallbackPayload(json({ files: 'x' }), profileWith()))).toEqual([
      { path: 'files', message: 'the file list is not an array' },
    ]);
  });

  it('does not follow inherited properties such as __proto__ or constructor', () => {
    const profile = profileWith({ files: { source: 'inline', path: 'constructor.name' } });
    expect(issuesOf(() => parseCallbackPayload(json({}), profile))[0]?.message).toBe(
      'no file list at this path',
    );
  });
});

describe('parseCallbackPayload: bytes that are not JSON', () => {
  it('refuses invalid JSON with invalid_payload', () => {
    let caught: unknown;
    try {
      parseCallbackPayload(new TextEncoder().encode('{"files": ['), profileWith());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPayloadError);
    expect(caught).toMatchObject({ reason: 'invalid_payload', code: 'INVALID_PAYLOAD' });
    expect((caught as InvalidPayloadError).issues).toEqual([
      { path: '', message: 'the body is not valid JSON' },
    ]);
  });

  it('refuses a body that is not UTF-8 (a 0xFF byte inside a string) instead of reading U+FFFD', () => {
    const body = Uint8Array.from([
      ...new TextEncoder().encode('["https://a.acme-cdn.example/'),
      0xff,
      0x22,
      0x5d,
    ]);
    expect(issuesOf(() => parseCallbackPayload(body, profileWith()))).toEqual([
      { path: '', message: 'the body is not valid UTF-8' },
    ]);
  });

  it('refuses deeply nested JSON as invalid, not with a crash', () => {
    const body = new TextEncoder().encode(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const profile = profileWith({ maxBodyBytes: 1024 * 1024 });
    expect(() => parseCallbackPayload(body, profile)).toThrow(InvalidPayloadError);
  });

  it('accepts a UTF-8 byte order mark', () => {
    const body = Uint8Array.from([0xef, 0xbb, 0xbf, ...json(['https://a.acme-cdn.example/x.txt'])]);
    expect(parseCallbackPayload(body, profileWith())).toMatchObject({
      kind: 'files',
      files: [{ name: 'x.txt' }],
    });
  });

  it('refuses a body over maxBodyBytes with body_too_large', () => {
    const body = new Uint8Array(2049).fill(0x20);
    expect(() => parseCallbackPayload(body, profileWith({ maxBodyBytes: 2048 }))).toThrow(
      expect.objectContaining({
        reason: 'body_too_large',
        code: 'BODY_TOO_LARGE',
        bytes: 2049,
        maxBytes: 2048,
      }),
    );
    expect(() => parseCallbackPayload(body, profileWith({ maxBodyBytes: 2048 }))).toThrow(BodyTooLargeError);
  });
});

describe('parseCallbackPayload: manifest and list-api references', () => {
  const manifestProfile = profileWith({ files: { source: 'manifest', urlField: 'data.manifestUrl' } });

  it('returns the manifest URL after checking it against the URL policy', () => {
    expect(
      parseCallbackPayload(
        json({ data: { manifestUrl: 'https://eu.acme-cdn.example/m.json' } }),
        manifestProfile,
      ),
    ).toEqual({ kind: 'manifest', url: 'https://eu.acme-cdn.example/m.json' });
  });

  it('refuses a manifest URL the policy refuses, or a missing one', () => {
    expect(
      issuesOf(() =>
        parseCallbackPayload(json({ data: { manifestUrl: 'https://[::ffff:10.0.0.1]/m' } }), manifestProfile),
      ),
    ).toEqual([{ path: 'data.manifestUrl', message: expect.stringContaining('not public (private)') }]);
    expect(issuesOf(() => parseCallbackPayload(json({ data: {} }), manifestProfile))).toEqual([
      { path: 'data.manifestUrl', message: 'missing' },
    ]);
  });

  const listApiProfile = profileWith({
    files: {
      source: 'list-api',
      listUrl: 'https://api.acme-cdn.example/v1/projects',
      projectIdField: 'projectId',
    },
  });

  it('builds GET <listUrl>?projectID=<id> as in the original design', () => {
    expect(parseCallbackPayload(json({ projectId: 'p-42' }), listApiProfile)).toEqual({
      kind: 'list-api',
      url: 'https://api.acme-cdn.example/v1/projects?projectID=p-42',
    });
    expect(parseCallbackPayload(json({ projectId: 42 }), listApiProfile)).toEqual({
      kind: 'list-api',
      url: 'https://api.acme-cdn.example/v1/projects?projectID=42',
    });
  });

  it('encodes the project id so it cannot add parameters or change the path', () => {
    const result = parseCallbackPayload(json({ projectId: '7&admin=true#/../../x' }), listApiProfile);
    expect(result.kind === 'list-api' && new URL(result.url).searchParams.getAll('projectID')).toEqual([
      '7&admin=true#/../../x',
    ]);
    expect(result.kind === 'list-api' && new URL(result.url).pathname).toBe('/v1/projects');
    expect(result.kind === 'list-api' && new URL(result.url).searchParams.has('admin')).toBe(false);
  });

  it('refuses a project id that is not a printable string or an integer', () => {
    for (const projectId of ['', 'a\nb', 1.5, { id: 1 }, 'x'.repeat(257)]) {
      expect(issuesOf(() => parseCallbackPayload(json({ projectId }), listApiProfile))[0]?.path).toBe(
        'projectId',
      );
    }
  });

  it('refuses a callback naming another project than the registration, with the field path and neither id', () => {
    let caught: unknown;
    try {
      parseCallbackPayload(json({ projectId: 'p-43' }), listApiProfile, { projectId: 'p-42' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProjectMismatchError);
    expect((caught as ProjectMismatchError).code).toBe('PROJECT_MISMATCH');
    expect((caught as ProjectMismatchError).reason).toBe('project_mismatch');
    expect((caught as ProjectMismatchError).path).toBe('projectId');
    expect((caught as Error).message).not.toContain('p-4');
    expect(parseCallbackPayload(json({ projectId: 42 }), listApiProfile, { projectId: '42' })).toEqual({
      kind: 'list-api',
      url: 'https://api.acme-cdn.example/v1/projects?projectID=42',
    });
  });

  it('checks the project of inline and manifest callbacks only where the profile names its field', () => {
    const inline = profileWith({ files: { source: 'inline', projectIdField: '/meta/project' } });
    const files = [{ url: 'https://eu.acme-cdn.example/a' }];
    expect(() =>
      parseCallbackPayload(json({ meta: { project: 'b' }, files }), inline, { projectId: 'a' }),
    ).toThrow(ProjectMismatchError);
    expect(issuesOf(() => parseCallbackPayload(json({ files }), inline, { projectId: 'a' }))).toEqual([
      { path: '/meta/project', message: 'missing' },
    ]);
    expect(
      parseCallbackPayload(json({ meta: { project: 'a' }, files }), inline, { projectId: 'a' }).kind,
    ).toBe('files');
    // No field in the profile: the registration's project cannot be compared and is not required.
    expect(parseCallbackPayload(json({ files }), profileWith(), { projectId: 'a' }).kind).toBe('files');
  });
});
