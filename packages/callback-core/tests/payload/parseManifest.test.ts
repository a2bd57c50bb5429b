import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, InvalidPayloadError } from '../../src/errors.js';
import { parseManifest } from '../../src/payload/parseManifest.js';
import { HASHES, json, profileWith } from './fixtures.js';

describe('parseManifest', () => {
  const profile = profileWith({
    files: { source: 'manifest', urlField: 'manifestUrl', path: '/export/objects', fields: { name: 'key' } },
  });

  it('normalises the list found at files.path of the manifest', () => {
    // Prepare
    const manifest = json({
      export: {
        objects: [
          {
            url: 'https://eu.acme-cdn.example/o/1',
            key: 'scenes/S2A_01.tif',
            size: 10,
            sha256: HASHES.sha256,
          },
          { url: 'https://eu.acme-cdn.example/o/2', key: 'scenes\\S2A_02.tif' },
        ],
      },
    });

    // Act
    const result = parseManifest(manifest, profile);

    // Assess
    expect(result).toEqual({
      kind: 'files',
      files: [
        {
          url: 'https://eu.acme-cdn.example/o/1',
          name: 'scenes/S2A_01.tif',
          size: 10,
          checksums: { sha256: HASHES.sha256 },
        },
        { url: 'https://eu.acme-cdn.example/o/2', name: 'scenes/S2A_02.tif' },
      ],
    });
  });

  it('refuses a manifest over maxManifestBytes', () => {
    const small = profileWith({
      files: { source: 'manifest', urlField: 'manifestUrl' },
      limits: { maxManifestBytes: 1024 },
    });
    const big = json(Array.from({ length: 100 }, (_, i) => `https://eu.acme-cdn.example/${i}`));
    expect(() => parseManifest(big, small)).toThrow(BodyTooLargeError);
  });

  it('refuses a manifest that is not UTF-8 JSON, naming the manifest', () => {
    expect(() => parseManifest(Uint8Array.of(0xc3, 0x28), profile)).toThrow(
      expect.objectContaining({ issues: [{ path: '', message: 'the manifest is not valid UTF-8' }] }),
    );
    expect(() => parseManifest(new TextEncoder().encode('<xml/>'), profile)).toThrow(InvalidPayloadError);
  });

  it('validates every entry of a list-API answer like an inline list', () => {
    const listApi = profileWith({
      files: { source: 'list-api', listUrl: 'https://api.acme-cdn.example/p', projectIdField: 'id' },
    });
    expect(() => parseManifest(json({ files: [{ url: 'https://127.0.0.1/x' }] }), listApi)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'files[0].url' })] }),
    );
    expect(parseManifest(json({ files: ['https://api.acme-cdn.example/f/a.zip'] }), listApi)).toEqual({
      kind: 'files',
      files: [{ url: 'https://api.acme-cdn.example/f/a.zip', name: 'a.zip' }],
    });
  });
});
