import type { FaultModule } from '../response/FaultModule.js';

/** 200 with the whole body to a ranged request. */
export const ignoreRange: FaultModule<'ignore-range'> = {
  mode: 'ignore-range',
  phase: 'request-range',
  parse: (_p, times) => ({ mode: 'ignore-range', times }),
  apply(fault, ctx, plan) {
    if (ctx.take(fault, ctx.request.headers.range !== undefined)) plan.outcome = { kind: 'none' };
    return undefined;
  },
};
