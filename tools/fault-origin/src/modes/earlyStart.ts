import type { FaultModule } from '../response/FaultModule.js';

/** 206 starting `bytes` before the asked start (same end), honestly labelled. */
export const earlyStart: FaultModule<'early-start'> = {
  mode: 'early-start',
  phase: 'served-range',
  parse: (p, times) => ({ mode: 'early-start', bytes: p.int('bytes'), times }),
  apply(fault, ctx, plan) {
    const ranged = plan.outcome.kind === 'range';
    if (ctx.take(fault, ranged && ctx.isGet && fault.bytes > 0 && plan.start > 0)) {
      plan.start = Math.max(0, plan.start - fault.bytes);
    }
    return undefined;
  },
};
