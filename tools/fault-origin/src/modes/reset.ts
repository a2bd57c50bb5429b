import type { FaultModule } from '../response/FaultModule.js';

/** N body bytes, then a TCP reset. */
export const reset: FaultModule<'reset'> = {
  mode: 'reset',
  phase: 'body',
  parse: (p, times) => ({ mode: 'reset', afterBytes: p.int('afterBytes'), times }),
  apply(fault, ctx, plan) {
    if (ctx.take(fault, ctx.isGet && plan.end - plan.start > fault.afterBytes)) {
      plan.stops.push({ at: fault.afterBytes, how: 'reset' });
    }
    return undefined;
  },
};
