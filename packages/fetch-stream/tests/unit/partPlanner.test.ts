import { describe, expect, it } from 'vitest';
import { PartPlanner } from '../../src/plan/partPlanner.js';

const P = 100;

describe('PartPlanner', () => {
  it('splits the missing parts into one run per connection, aligned to parts', () => {
    const planner = new PartPlanner(1000, P, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4);
    const runs = [planner.next(), planner.next(), planner.next(), planner.next()];
    const spans = runs.map((r) => [r?.start, r?.end]);
    expect(spans.flat().every((x) => (x ?? 1) % P === 0)).toBe(true);
    const covered = spans.map(([a, b]) => (b ?? 0) - (a ?? 0)).reduce((x, y) => x + y, 0);
    expect(covered).toBe(1000);
    expect(spans).toHaveLength(4);
  });

  it('keeps resumed parts out of every run', () => {
    const planner = new PartPlanner(1000, P, [2, 3, 7], 1);
    const spans: Array<[number, number]> = [];
    for (let r = planner.next(); r; r = planner.next()) {
      spans.push([r.start, r.end]);
      r.cursor = r.end;
      planner.finish(r);
    }
    expect(spans.sort((a, b) => a[0] - b[0])).toEqual([
      [200, 400],
      [700, 800],
    ]);
  });

  it('a free connection steals the upper half of the largest run, never the part being written', () => {
    const planner = new PartPlanner(1050, P, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1);
    const owner = planner.next();
    if (!owner) throw new Error('expected a run');
    owner.cursor = 150; // inside part 1
    owner.requestedEnd = 200;
    const stolen = planner.next();
    // Parts 2..10 are stealable (9 parts); the thief takes the upper 5: [600, 1050).
    expect(stolen).toMatchObject({ start: 600, end: 1050, cursor: 600 });
    expect(owner.end).toBe(600);
  });

  it('never steals parts inside the owner’s request in flight', () => {
    const planner = new PartPlanner(1000, P, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 1);
    const owner = planner.next();
    if (!owner) throw new Error('expected a run');
    owner.requestedEnd = 1000;
    expect(planner.next()).toBeUndefined();
    expect(owner.end).toBe(1000);
  });

  it('has nothing to give once every run is on its last part', () => {
    const planner = new PartPlanner(200, P, [0, 1], 2);
    const a = planner.next();
    const b = planner.next();
    expect([a?.start, b?.start]).toEqual([0, 100]);
    expect(planner.next()).toBeUndefined();
  });
});
