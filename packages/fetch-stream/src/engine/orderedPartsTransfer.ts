import { crc32 } from 'node:zlib';
import { IncompleteBodyError } from '../errors.js';
import { abortReason } from '../http/request.js';
import { ifRangeValue } from '../http/validators.js';
import type { CompletedPart } from '../types.js';
import { readBody } from './bodyReader.js';
import type { OpenResponse } from './rangedTransfer.js';
import { acceptRanged } from './responseChecks.js';
import { RestartRequest } from './restart.js';
import type { TransferState } from './transferState.js';

/**
 * Transfer into a sink that cannot read back (an object-store multipart upload): whole
 * parts are fetched with one request each, lowest missing part first, at most `slots` parts
 * in memory; each part is hashed and handed to the sink strictly in order. Parts a previous
 * run already stored are fetched again only to be hashed (their CRC32 must match the
 * journal's), never written twice.
 */
export async function orderedPartsTransfer(
  st: TransferState,
  completed: ReadonlyMap<number, CompletedPart>,
  slots: number,
  probe: OpenResponse | undefined,
  runAll: (workers: Array<() => Promise<void>>) => Promise<void>,
): Promise<void> {
  const partCount = Math.ceil(st.total / st.partSize);
  let nextPart = 0;
  let turn = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (err: unknown) => void }>();
  let probeLeft = probe;

  // An abort (the user's, or another connection's failure) may leave the part before this one
  // unwritten for good: every waiter must then leave too, or download() never returns.
  const onAbort = (): void => {
    const reason = abortReason(st.signal);
    for (const w of waiting.values()) w.reject(reason);
    waiting.clear();
  };
  st.signal.addEventListener('abort', onAbort, { once: true });
  const waitTurn = (index: number): Promise<void> => {
    if (st.signal.aborted) return Promise.reject(abortReason(st.signal));
    if (index === turn) return Promise.resolve();
    return new Promise((resolve, reject) => waiting.set(index, { resolve, reject }));
  };
  const passTurn = (): void => {
    turn++;
    const wake = waiting.get(turn);
    waiting.delete(turn);
    wake?.resolve();
  };

  const fetchPart = async (index: number): Promise<Buffer> => {
    const start = index * st.partSize;
    const end = Math.min(start + st.partSize, st.total);
    const buf = Buffer.allocUnsafe(end - start);
    let cursor = start;
    while (cursor < end) {
      await st.ctx.withRetries(st.signal, async () => {
        let r: OpenResponse;
        if (probeLeft !== undefined && probeLeft.start === cursor) {
          r = probeLeft;
          probeLeft = undefined;
        } else {
          const ifRange = ifRangeValue(st.ctx.validators);
          const ex = await st.ctx.get(st.signal, {
            range: `bytes=${cursor}-${end - 1}`,
            ...(ifRange !== undefined ? { 'if-range': ifRange } : {}),
          });
          try {
            r = { ex, start: cursor, ...acceptRanged(ex, cursor, st.ctx.validators, st.total) };
          } catch (err) {
            if (!(err instanceof RestartRequest && err.carried === ex)) ex.destroy(new Error('rejected'));
            throw err;
          }
        }
        const stopAt = Math.min(end, r.end);
        // Bytes before the asked start (a range rounded down) are dropped.
        let skip = r.skip;
        const outcome = await readBody(r.ex, st.ctx.settings.timeouts, (whole) => {
          const dropped = Math.min(skip, whole.length);
          skip -= dropped;
          const chunk = whole.subarray(dropped);
          const take = Math.min(chunk.length, stopAt - cursor);
          if (take > 0) {
            buf.set(chunk.subarray(0, take), cursor - start);
            cursor += take;
            st.received += take;
          }
          return !(cursor >= stopAt && r.end > end);
        });
        if (outcome === 'ended' && cursor < stopAt) {
          throw new IncompleteBodyError(`The response ended at byte ${cursor} before ${stopAt}.`);
        }
      });
    }
    return buf;
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const index = nextPart++;
      if (index >= partCount) return;
      const buf = await st.ctx.transferring(() => fetchPart(index));
      await waitTurn(index);
      const offset = index * st.partSize;
      const crc = crc32(buf);
      const known = completed.get(index);
      if (known !== undefined) {
        // Same validators but other bytes: the source changed under a stable ETag.
        if (known.crc32 !== crc) throw new RestartRequest('changed');
        st.hasher.onWritten(offset, buf);
        await st.hasher.waitForCapacity();
      } else {
        await st.sink.write(offset, buf);
        st.hasher.onWritten(offset, buf);
        await st.hasher.waitForCapacity();
        st.meter.add(buf.length);
        await st.sink.commitPart({ index, offset, length: buf.length, crc32: crc });
      }
      passTurn();
    }
  };

  const workers: Array<() => Promise<void>> = [];
  for (let i = 0; i < Math.max(1, Math.min(slots, partCount)); i++) workers.push(worker);
  try {
    await runAll(workers);
  } finally {
    st.signal.removeEventListener('abort', onAbort);
  }
  probeLeft?.ex.destroy(new Error('not needed'));
}
