import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../src/engine/writeQueue.js';

describe('WriteQueue', () => {
  it('runs jobs in order and never lets more than maxBytes wait', async () => {
    const queue = new WriteQueue(100);
    const done: number[] = [];
    let waiting = 0;
    let peak = 0;
    for (let i = 0; i < 10; i++) {
      waiting += 40;
      peak = Math.max(peak, waiting);
      await queue.push(40, async () => {
        await new Promise((r) => setTimeout(r, 1));
        done.push(i);
        waiting -= 40;
      });
    }
    await queue.drain();
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBeLessThanOrEqual(140);
  });

  it('reports the first failure and runs no later job', async () => {
    const queue = new WriteQueue(1000);
    const ran: number[] = [];
    await queue.push(1, async () => {
      throw new Error('disk full');
    });
    await expect(
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        await queue.push(1, async () => {
          ran.push(2);
        });
      })(),
    ).rejects.toThrow('disk full');
    await expect(queue.drain()).rejects.toThrow('disk full');
    expect(ran).toEqual([]);
  });
});
