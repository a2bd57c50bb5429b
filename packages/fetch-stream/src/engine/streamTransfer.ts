import {
  FetchStreamError,
  IncompleteBodyError,
  ProtocolError,
  SizeLimitError,
  SizeMismatchError,
} from '../errors.js';
import { parseLength } from '../http/contentRange.js';
import type { Exchange } from '../http/request.js';
import { hasChanged, validatorsOf } from '../http/validators.js';
import { readBody } from './bodyReader.js';
import { PartTracker } from './partTracker.js';
import { assertIdentity, failOnErrorStatus } from './responseChecks.js';
import { RestartRequest } from './restart.js';
import type { TransferState } from './transferState.js';

/**
 * One plain stream from byte 0 (the server does not do ranges, or declared no size). A
 * failure part-way cannot resume, so it throws a restart and the caller starts again from 0.
 * Returns the number of bytes in the file.
 */
export async function streamTransfer(
  st: Omit<TransferState, 'total'>,
  first: Exchange | undefined,
  declaredTotal: number | undefined,
): Promise<number> {
  let opened = first;
  const expected = st.ctx.settings.expectedSize;
  const maxBytes = st.ctx.settings.maxBytes;
  return st.ctx.withRetries(st.signal, async () => {
    const ex = opened ?? (await st.ctx.get(st.signal, {}));
    opened = undefined;
    failOnErrorStatus(ex);
    const status = ex.res.statusCode ?? 0;
    if (status !== 200) {
      ex.destroy(new Error('rejected'));
      throw new ProtocolError(`Expected HTTP 200 for a plain GET, got ${status}.`, false);
    }
    assertIdentity(ex.res);
    const length = parseLength(ex.res.headers['content-length']);
    if (hasChanged(st.ctx.validators, validatorsOf(ex.res.headers, length)) || length !== declaredTotal) {
      ex.destroy(new Error('changed'));
      throw new RestartRequest('changed');
    }
    const tracker = new PartTracker(st.partSize, length);
    let cursor = 0;
    try {
      await st.ctx.transferring(() =>
        readBody(ex, st.ctx.settings.timeouts, async (chunk) => {
          if (length !== undefined && cursor + chunk.length > length) {
            throw new ProtocolError(`The body is longer than its Content-Length ${length}.`, true);
          }
          if (expected !== undefined && cursor + chunk.length > expected) {
            throw new SizeMismatchError(expected, cursor + chunk.length, ex.url.href);
          }
          if (maxBytes !== undefined && cursor + chunk.length > maxBytes) {
            throw new SizeLimitError(maxBytes, cursor + chunk.length, ex.url.href);
          }
          await st.sink.write(cursor, chunk);
          st.hasher.onWritten(cursor, chunk);
          await st.hasher.waitForCapacity();
          const offset = cursor;
          cursor += chunk.length;
          st.received += chunk.length;
          st.meter.add(chunk.length);
          for (const part of tracker.add(offset, chunk)) await st.sink.commitPart(part);
          return true;
        }),
      );
      if (length !== undefined && cursor !== length) {
        throw new IncompleteBodyError(`The body ended at byte ${cursor} of ${length}.`);
      }
    } catch (err) {
      // Without ranges the only way on is from byte 0 again: the caller restarts the attempt
      // (within the retry budget) rather than appending to what is stored.
      if (cursor > 0 && err instanceof FetchStreamError && err.retryable)
        throw new RestartRequest('streamBroken', err);
      throw err;
    }
    if (expected !== undefined && cursor !== expected) {
      throw new SizeMismatchError(expected, cursor, ex.url.href);
    }
    const last = tracker.flush(cursor);
    if (last) await st.sink.commitPart(last);
    return cursor;
  });
}
