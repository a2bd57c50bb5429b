/** runSlidingWindow: how many items run at once, when the next one starts, abort and failure. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runSlidingWindow } from '../../src/handlers/batch/slidingWindow.js';

async function* numbers(count: number, pulled: number[] = []): AsyncGenerator<number> {
  for (let i = 0; i < count; i += 1) {
    pulled.push(i);
    yield i;
  }
}

/** A promise settled from outside. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runSlidingWindow', () => {
  it('runs at most `concurrency` items and starts the next as soon as any one ends', async () => {
    const gates = Array.from({ length: 6 }, gate);
    const started: number[] = [];
    const pulled: number[] = [];
    const done = runSlidingWindow({
      items: numbers(6, pulled),
      concurrency: 3,
      signal: new AbortController().signal,
      run: async (i) => {
        started.push(i);
        await gates[i]?.promise;
      },
    });

    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(pulled).toEqual([0, 1, 2]);
    gates[1]?.open();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[3]?.open();
    gates[2]?.open();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    for (const g of gates) g.open();
    await done;
  });

  it('stops starting items and aborts the running ones when the signal aborts, then resolves', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const aborted: number[] = [];
    const done = runSlidingWindow({
      items: numbers(100),
      concurrency: 2,
      signal: controller.signal,
      run: (i, signal) =>
        new Promise<void>((resolve) => {
          started.push(i);
          signal.addEventListener('abort', () => {
            aborted.push(i);
            resolve();
          });
        }),
    });

    await settle();
    controller.abort(new Error('stop'));
    await done;

    expect(started).toEqual([0, 1]);
    expect(aborted.sort()).toEqual([0, 1]);
  });

  it('rethrows the first failure after the running items ended, starting nothing more', async () => {
    const slow = gate();
    const started: number[] = [];
    const done = runSlidingWindow({
      items: numbers(10),
      concurrency: 2,
      signal: new AbortController().signal,
      run: async (i) => {
        started.push(i);
        if (i === 1) throw new Error('store down');
        await slow.promise;
      },
    });
    const outcome = done.then(
      () => 'resolved',
      (error: Error) => error.message,
    );

    await settle();
    const early = await Promise.race([outcome, settle().then(() => 'pending')]);
    slow.open();

    expect(early).toBe('pending');
    expect(await outcome).toBe('store down');
    expect(started).toEqual([0, 1]);
  });

  it("gives every item its own signal, never one listener per item on the caller's", async () => {
    const controller = new AbortController();
    const signals = new Set<AbortSignal>();
    let mostListeners = 0;
    await runSlidingWindow({
      items: numbers(50),
      concurrency: 16,
      signal: controller.signal,
      run: async (_i, signal) => {
        signals.add(signal);
        mostListeners = Math.max(mostListeners, getEventListeners(controller.signal, 'abort').length);
        await settle();
      },
    });

    expect(signals.size).toBe(50);
    expect(signals.has(controller.signal)).toBe(false);
    expect(mostListeners).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
