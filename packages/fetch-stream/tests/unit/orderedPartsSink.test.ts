import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  type CompletedPart,
  download,
  type Sink,
  type SinkCapabilities,
  type SinkResumeState,
  type SinkTransfer,
} from '../../src/index.js';
import { type RangeServer, randomFile, startRangeServer } from '../helpers/rangeServer.js';

const PART = 256 * 1024;

/** A sink like an object-store multipart upload: no read-back, parts kept in memory. */
class MemorySink implements Sink {
  readonly capabilities: SinkCapabilities;
  readonly writes: Array<[number, number]> = [];
  readonly commits: number[] = [];
  readonly stored = new Map<number, Buffer>();
  finalized = false;
  constructor(
    private readonly resume?: SinkResumeState,
    maxBufferedParts = 2,
  ) {
    this.capabilities = { readBack: false, maxBufferedParts, partSizeFor: () => PART };
  }
  async open(): Promise<SinkResumeState | undefined> {
    return this.resume;
  }
  async begin(_t: SinkTransfer, keep: boolean): Promise<void> {
    if (!keep) this.stored.clear();
  }
  async write(offset: number, data: Uint8Array): Promise<void> {
    this.writes.push([offset, data.length]);
    this.stored.set(offset, Buffer.from(data));
  }
  async commitPart(part: CompletedPart): Promise<void> {
    this.commits.push(part.index);
  }
  async finalize(): Promise<void> {
    this.finalized = true;
  }
  async discard(): Promise<void> {
    this.stored.clear();
  }
  async close(): Promise<void> {}
  bytes(): Buffer {
    return Buffer.concat([...this.stored.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b));
  }
}

describe('a sink without read-back (ordered parts)', () => {
  let server: RangeServer;
  const file = randomFile(10 * PART + 999);

  beforeAll(async () => {
    server = await startRangeServer();
    server.put('o.bin', file.data);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('gets every part exactly once, whole and in ascending order, with 4 connections', async () => {
    const sink = new MemorySink();

    const result = await download(server.url('o.bin'), { sink, connections: 4 });

    expect(result.sha256).toBe(file.sha256);
    expect(sink.finalized).toBe(true);
    expect(sink.bytes().equals(file.data)).toBe(true);
    const offsets = sink.writes.map(([o]) => o);
    expect(offsets).toEqual(Array.from({ length: 11 }, (_, i) => i * PART));
    expect(sink.writes.slice(0, 10).every(([, n]) => n === PART)).toBe(true);
    expect(sink.commits).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(server.bytesServed()).toBe(file.data.length);
  });

  it('on resume writes only the missing parts, and still hashes every byte in order', async () => {
    const kept = [0, 1, 2].map((index) => {
      const bytes = file.data.subarray(index * PART, (index + 1) * PART);
      return { index, offset: index * PART, length: PART, crc32: crc32(bytes) };
    });
    // Validators must match the server's for the resume to be honoured.
    const probe = await download(server.url('o.bin'), { sink: new MemorySink(), connections: 1 });
    const sink = new MemorySink({
      url: server.url('o.bin'),
      validators: probe.validators,
      total: file.data.length,
      partSize: PART,
      completedParts: kept,
    });

    const result = await download(server.url('o.bin'), { sink, connections: 3 });

    expect(result.sha256).toBe(file.sha256);
    expect(result.resumedBytes).toBe(3 * PART);
    expect(sink.writes.map(([o]) => o / PART)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('when the resume state holds every part, it accepts the 416 at the end, writes nothing and finalizes', async () => {
    const partCount = Math.ceil(file.data.length / PART);
    const all = Array.from({ length: partCount }, (_, index) => {
      const bytes = file.data.subarray(index * PART, (index + 1) * PART);
      return { index, offset: index * PART, length: bytes.length, crc32: crc32(bytes) };
    });
    const probe = await download(server.url('o.bin'), { sink: new MemorySink(), connections: 1 });
    server.requests.length = 0;
    const sink = new MemorySink({
      url: server.url('o.bin'),
      validators: probe.validators,
      total: file.data.length,
      partSize: PART,
      completedParts: all,
    });

    const result = await download(server.url('o.bin'), { sink, connections: 4 });

    expect(result.sha256).toBe(file.sha256);
    expect(result.resumedBytes).toBe(file.data.length);
    expect(sink.finalized).toBe(true);
    expect(sink.writes).toEqual([]);
    expect(sink.commits).toEqual([]);
    expect(server.requests[0]).toMatchObject({
      range: expect.stringMatching(`^bytes=${file.data.length}-`),
      status: 416,
    });
  });

  it('an abort while later parts wait for an earlier one rejects with AbortedError instead of hanging', async () => {
    server.put('stuck.bin', file.data);
    // Part 1 never arrives, so the connections holding parts 2, 3 and 4 wait for their turn.
    server.stallAt('/stuck.bin', PART);
    const sink = new MemorySink(undefined, 4);
    const controller = new AbortController();
    const served = (): number =>
      server.requests.filter((r) => r.path === '/stuck.bin' && r.status === 206 && r.bytes === PART).length;

    const run = download(server.url('stuck.bin'), { sink, connections: 4, signal: controller.signal });
    while (served() < 4) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();

    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(sink.finalized).toBe(false);
    expect(sink.commits).toEqual([0]);
  });
});
