import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/retry/backoff.js';

const policy = { baseDelayMs: 100, maxDelayMs: 5000 };

describe('backoffDelay', () => {
  it('grows exponentially with jitter between half and all of the ceiling', () => {
    expect(backoffDelay(0, policy, undefined, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, undefined, () => 0)).toBe(400);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(800);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(50, policy, undefined, () => 1)).toBe(5000);
  });

  it('honours Retry-After, capped by maxDelayMs', () => {
    expect(backoffDelay(0, policy, 2000, () => 0)).toBe(2000);
    expect(backoffDelay(0, policy, 60_000, () => 0)).toBe(5000);
  });
});
