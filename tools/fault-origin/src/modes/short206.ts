import type { FaultModule } from '../response/FaultModule.js';

/** 206 with at most `maxBytes` bytes, honestly labelled: the range ends early. */
export const short206: FaultModule<'short-206'> = {
  mode: 'short-206',
  phase: 'served-range',
  parse: (p, times) => ({ mode: 'short-206', maxBytes: p.int('maxBytes'), times }),
  apply(fault, ctx, plan) {
    const ranged = plan.outcome.kind === 'range';
    if (ctx.take(fault, ranged && ctx.isGet && plan.end - plan.start > fault.maxBytes)) {
      plan.end = plan.start + Math.max(1, fault.maxBytes);
    }
    return undefined;
  },
};
