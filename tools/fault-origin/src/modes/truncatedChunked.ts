import type { FaultModule } from '../response/FaultModule.js';

/** A chunked body closed after N bytes without its terminating chunk. */
export const truncatedChunked: FaultModule<'truncated-chunked'> = {
  mode: 'truncated-chunked',
  phase: 'body',
  parse: (p, times) => ({ mode: 'truncated-chunked', afterBytes: p.int('afterBytes'), times }),
  apply(fault, ctx, plan) {
    if (ctx.take(fault, ctx.isGet && plan.end - plan.start > fault.afterBytes)) {
      plan.chunked = true;
      plan.stops.push({ at: fault.afterBytes, how: 'fin' });
    }
    return undefined;
  },
};
