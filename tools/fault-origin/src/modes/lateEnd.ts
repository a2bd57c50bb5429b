import type { FaultModule } from '../response/FaultModule.js';

/** 206 ending `bytes` after the asked end (clamped at the size), honestly labelled. */
export const lateEnd: FaultModule<'late-end'> = {
  mode: 'late-end',
  phase: 'served-range',
  parse: (p, times) => ({ mode: 'late-end', bytes: p.int('bytes'), times }),
  apply(fault, ctx, plan) {
    const ranged = plan.outcome.kind === 'range';
    const size = plan.resource.size;
    if (ctx.take(fault, ranged && ctx.isGet && fault.bytes > 0 && plan.end < size)) {
      plan.end = Math.min(size, plan.end + fault.bytes);
    }
    return undefined;
  },
};
