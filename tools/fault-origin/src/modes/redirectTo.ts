import { FaultSpecError } from '../faultSpecError.js';
import type { FaultModule } from '../response/FaultModule.js';
import { DEFAULT_REDIRECT_STATUS } from './redirectStatus.js';

/** Redirects to an absolute URL (another origin's, for guard tests). */
export const redirectTo: FaultModule<'redirect-to'> = {
  mode: 'redirect-to',
  phase: 'answer',
  parse(p) {
    const location = p.str('location');
    if (!location) throw new FaultSpecError('fault "redirect-to" needs location');
    return { mode: 'redirect-to', location, status: p.optInt('status') };
  },
  apply(fault, ctx) {
    if (!ctx.take(fault, true)) return undefined;
    return { status: fault.status ?? DEFAULT_REDIRECT_STATUS, headers: { location: fault.location } };
  },
};
