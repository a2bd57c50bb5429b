import type { Fault } from '../faults.js';
import { withFaults } from '../faults.js';
import type { FaultModule } from '../response/FaultModule.js';
import { DEFAULT_REDIRECT_STATUS } from './redirectStatus.js';

/** A chain of `hops` redirects to the same path, ending at the resource. */
export const redirect: FaultModule<'redirect'> = {
  mode: 'redirect',
  phase: 'answer',
  parse: (p) => ({ mode: 'redirect', hops: p.int('hops'), status: p.optInt('status') }),
  apply(fault, ctx) {
    if (fault.hops <= 0 || !ctx.take(fault, true)) return undefined;
    const others = ctx.faults.filter((other) => other !== fault);
    const next: Fault[] = fault.hops > 1 ? [{ ...fault, hops: fault.hops - 1 }, ...others] : others;
    const location = withFaults(ctx.url.pathname, next.length > 0 ? next : [{ mode: 'none' }]);
    return { status: fault.status ?? DEFAULT_REDIRECT_STATUS, headers: { location } };
  },
};
