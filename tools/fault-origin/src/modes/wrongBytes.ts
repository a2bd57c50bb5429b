import type { FaultModule } from '../response/FaultModule.js';

/** Flips the byte at an absolute offset; every header stays correct. */
export const wrongBytes: FaultModule<'wrong-bytes'> = {
  mode: 'wrong-bytes',
  phase: 'body',
  parse: (p, times) => ({ mode: 'wrong-bytes', offset: p.int('offset'), times }),
  apply(fault, ctx, plan) {
    if (ctx.take(fault, ctx.isGet && fault.offset >= plan.start && fault.offset < plan.end)) {
      plan.flipAt = fault.offset;
    }
    return undefined;
  },
};
