import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../../src/progress/progressMeter.js';

describe('ProgressMeter', () => {
  it('computes rate over the window and an ETA from the total', () => {
    let now = 0;
    const meter = new ProgressMeter(
      undefined,
      250,
      () => 3,
      () => now,
    );
    meter.setTotal(10_000);
    meter.reset(1000); // resumed bytes do not count towards the rate
    now = 2000;
    meter.add(4000);

    expect(meter.snapshot()).toEqual({
      bytes: 5000,
      total: 10_000,
      rate: 2000,
      etaSeconds: 2.5,
      activeConnections: 3,
    });
  });

  it('emits a final event on stop', () => {
    const events: number[] = [];
    const meter = new ProgressMeter(
      (e) => events.push(e.bytes),
      1000,
      () => 0,
    );
    meter.start();
    meter.add(42);
    meter.stop(true);

    expect(events).toEqual([42]);
  });
});
