import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { RequestRecord } from '../stats.js';
import { writeBody } from '../writeBody.js';
import type { Answer, ResponsePlan } from './ResponsePlan.js';

/** Sends a short answer with an empty body. */
export function sendAnswer(res: ServerResponse, record: RequestRecord, answer: Answer): void {
  record.status = answer.status;
  res.writeHead(answer.status, { 'content-length': '0', ...answer.headers });
  res.end(() => {
    record.completed = true;
  });
}

function* flipByte(chunks: Iterable<Buffer>, start: number, offset: number): Generator<Buffer> {
  let position = start;
  for (const chunk of chunks) {
    if (offset >= position && offset < position + chunk.length) {
      const copy = Buffer.from(chunk);
      copy[offset - position] = (copy[offset - position] ?? 0) ^ 0xff;
      yield copy;
    } else {
      yield chunk;
    }
    position += chunk.length;
  }
}

/** Sends the planned resource response; the body only to a GET. */
export async function sendPlan(
  res: ServerResponse,
  record: RequestRecord,
  plan: ResponsePlan,
  isGet: boolean,
  lifetime: AbortSignal,
): Promise<void> {
  const status = plan.outcome.kind === 'range' ? 206 : 200;
  record.status = status;
  record.etag = plan.resource.etag;
  res.writeHead(status, plan.headers);
  if (!isGet) {
    res.end(() => {
      record.completed = true;
    });
    return;
  }
  const responseGone = new AbortController();
  const onGone = () => responseGone.abort();
  res.on('close', onGone);
  lifetime.addEventListener('abort', onGone);
  const stop = plan.stops[0];
  try {
    let chunks: Iterable<Buffer> | AsyncIterable<Buffer> = plan.resource.chunks(plan.start, plan.end);
    if (plan.flipAt !== undefined) chunks = flipByte(chunks as Iterable<Buffer>, plan.start, plan.flipAt);
    if (plan.gzip) chunks = Readable.from(chunks).pipe(createGzip());
    const result = await writeBody(res, chunks, {
      stopAfter: stop?.at,
      stallAt: plan.stall?.at,
      stallMs: plan.stall?.ms,
      bytesPerSecond: plan.bytesPerSecond,
      signal: responseGone.signal,
      onBytes: (count) => {
        record.bytes += count;
      },
    });
    if (result === 'done') {
      res.end(() => {
        record.completed = true;
      });
    } else if (result === 'stopped' && stop !== undefined) {
      for (const hook of plan.onStopped) hook(stop.at);
      if (stop.how === 'reset') res.socket?.resetAndDestroy();
      // A graceful FIN after the bytes: the client sees a clean close, short of what was declared.
      else res.socket?.end();
    }
  } finally {
    res.off('close', onGone);
    lifetime.removeEventListener('abort', onGone);
  }
}
