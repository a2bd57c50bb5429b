import type { FaultModule } from '../response/FaultModule.js';

/**
 * The resource gets a new version when GET K+1 arrives, or, with `cutAfterBytes`, the moment
 * GET K has sent that many bytes (that body is cut there).
 */
export const change: FaultModule<'change'> = {
  mode: 'change',
  phase: 'version',
  parse: (p) => ({
    mode: 'change',
    afterRequests: p.int('afterRequests', 1),
    cutAfterBytes: p.optInt('cutAfterBytes'),
    every: p.bool('every'),
  }),
  apply(fault, ctx, plan) {
    if (!ctx.isGet) return undefined;
    const state = ctx.state(fault);
    if (state.fired && !fault.every) return undefined;
    const cut = fault.cutAfterBytes;
    if (cut !== undefined && ctx.plannedLength(plan.resource) <= cut) return undefined;
    state.count += 1;
    if (state.count > fault.afterRequests) {
      plan.resource = ctx.store.bump(ctx.name);
      state.fired = true;
      ctx.record.faults.push('change');
    } else if (state.count === fault.afterRequests && cut !== undefined) {
      plan.stops.push({ at: cut, how: 'fin' });
      plan.onStopped.push((at) => {
        if (at !== cut || state.fired) return;
        ctx.store.bump(ctx.name);
        state.fired = true;
      });
      ctx.record.faults.push('change');
    }
    return undefined;
  },
};
