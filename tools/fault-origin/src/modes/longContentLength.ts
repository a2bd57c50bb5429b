import { FaultSpecError } from '../faultSpecError.js';
import type { FaultModule } from '../response/FaultModule.js';

/** Declares the full Content-Length, sends less, then closes gracefully (FIN). */
export const longContentLength: FaultModule<'long-content-length'> = {
  mode: 'long-content-length',
  phase: 'body',
  parse(p, times) {
    const missingBytes = p.optInt('missingBytes');
    const afterBytes = p.optInt('afterBytes');
    if ((missingBytes === undefined) === (afterBytes === undefined)) {
      throw new FaultSpecError(
        'fault "long-content-length" needs exactly one of missingBytes and afterBytes',
      );
    }
    return { mode: 'long-content-length', missingBytes, afterBytes, times };
  },
  apply(fault, ctx, plan) {
    const length = plan.end - plan.start;
    const at =
      fault.afterBytes !== undefined
        ? fault.afterBytes
        : Math.max(0, length - Math.max(1, fault.missingBytes ?? 1));
    if (ctx.take(fault, ctx.isGet && length > at)) plan.stops.push({ at, how: 'fin' });
    return undefined;
  },
};
