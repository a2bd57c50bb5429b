import type { FaultModule } from '../response/FaultModule.js';
import { DEFAULT_REDIRECT_STATUS } from './redirectStatus.js';

/** Redirects to its own URL forever. */
export const redirectLoop: FaultModule<'redirect-loop'> = {
  mode: 'redirect-loop',
  phase: 'answer',
  parse: (p) => ({ mode: 'redirect-loop', status: p.optInt('status') }),
  apply(fault, ctx) {
    if (!ctx.take(fault, true)) return undefined;
    return { status: fault.status ?? DEFAULT_REDIRECT_STATUS, headers: { location: ctx.request.url ?? '/' } };
  },
};
