import type { FaultModule } from '../response/FaultModule.js';

/** Paces every GET body. Not recorded as bitten: it changes timing, not content. */
export const throttle: FaultModule<'throttle'> = {
  mode: 'throttle',
  phase: 'body',
  parse: (p) => ({ mode: 'throttle', bytesPerSecond: p.int('bytesPerSecond') }),
  apply(fault, ctx, plan) {
    if (ctx.isGet) plan.bytesPerSecond = fault.bytesPerSecond;
    return undefined;
  },
};
