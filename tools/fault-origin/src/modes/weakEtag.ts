import type { FaultModule } from '../response/FaultModule.js';

/** Sends the ETag as weak, which never matches If-Range. */
export const weakEtag: FaultModule<'weak-etag'> = {
  mode: 'weak-etag',
  phase: 'headers',
  parse: () => ({ mode: 'weak-etag' }),
  apply(_fault, ctx, plan) {
    plan.headers.etag = `W/${plan.resource.etag}`;
    ctx.record.faults.push('weak-etag');
    return undefined;
  },
};
