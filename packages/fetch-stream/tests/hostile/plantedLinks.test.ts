import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download } from '../../src/index.js';
import { payload, type RawHttpServer, rangeResponse, startRawHttpServer } from '../helpers/rawHttpServer.js';
import { tempDir } from '../helpers/tempDir.js';

const KiB = 1024;

let dir: string;
let remove: () => Promise<void>;
let server: RawHttpServer;
const file = payload(300 * KiB);
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  server = await startRawHttpServer((req, socket) => socket.write(rangeResponse(req, file.data)));
});
afterEach(async () => {
  await server.close();
  await remove();
});

describe('links planted next to the output are never written through', () => {
  it('a link at <output>.part: the download fails with SINK, the link target is untouched', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const output = join(dir, 'out.bin');
    symlinkSync(victim, `${output}.part`);

    const error = await download(server.url, { output }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'SINK' });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('a link at the journal temp name: the target is untouched', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const output = join(dir, 'out.bin');
    symlinkSync(victim, join(dir, '.out.bin.part.json.tmp'));

    await download(server.url, { output, partSize: 64 * KiB, connections: 2 }).catch(() => undefined);

    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('a link at the output itself is replaced by the file, its target untouched', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const output = join(dir, 'out.bin');
    symlinkSync(victim, output);

    const result = await download(server.url, { output });

    expect(result.sha256).toBe(file.sha256);
    expect(lstatSync(output).isFile()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('a folder at the output is refused before anything is fetched', async () => {
    const output = join(dir, 'out.bin');
    mkdirSync(output);

    const error = await download(server.url, { output }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'SINK' });
    expect(server.requests).toHaveLength(0);
  });
});
