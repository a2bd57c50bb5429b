import type { FaultModule } from '../response/FaultModule.js';

/** N body bytes, silence, then the rest. */
export const stall: FaultModule<'stall'> = {
  mode: 'stall',
  phase: 'body',
  parse: (p, times) => ({ mode: 'stall', afterBytes: p.int('afterBytes'), stallMs: p.int('stallMs'), times }),
  apply(fault, ctx, plan) {
    if (ctx.take(fault, ctx.isGet && plan.end - plan.start > fault.afterBytes)) {
      plan.stall = { at: fault.afterBytes, ms: fault.stallMs };
    }
    return undefined;
  },
};
