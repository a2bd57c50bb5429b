import type { FaultModule } from '../response/FaultModule.js';

/** 206 whose Content-Range and bytes start `shift` bytes from the asked start, same length. */
export const wrongRangeStart: FaultModule<'wrong-range-start'> = {
  mode: 'wrong-range-start',
  phase: 'served-range',
  parse: (p, times) => ({ mode: 'wrong-range-start', shift: p.int('shift'), times }),
  apply(fault, ctx, plan) {
    const ranged = plan.outcome.kind === 'range';
    if (!ctx.take(fault, ranged && ctx.isGet && fault.shift !== 0)) return undefined;
    const size = plan.resource.size;
    const length = plan.end - plan.start;
    let claimed = Math.min(Math.max(0, plan.start + fault.shift), size - 1);
    // Clamping would cancel the shift (at either end of the file): shift the other way.
    if (claimed === plan.start) claimed = Math.min(Math.max(0, plan.start - fault.shift), size - 1);
    plan.start = claimed;
    plan.end = Math.min(size, claimed + length);
    return undefined;
  },
};
