import { FaultSpecError } from '../faultSpecError.js';
import type { FaultModule } from '../response/FaultModule.js';

/** Declares the whole representation's sha256 (right or wrong). */
export const digest: FaultModule<'digest'> = {
  mode: 'digest',
  phase: 'headers',
  parse(p) {
    const header = p.str('header') ?? 'repr-digest';
    if (header !== 'repr-digest' && header !== 'x-amz-checksum-sha256') {
      throw new FaultSpecError(`fault "digest": header must be repr-digest or x-amz-checksum-sha256`);
    }
    return { mode: 'digest', header, wrong: p.bool('wrong') };
  },
  apply(fault, ctx, plan) {
    const value = Buffer.from(ctx.store.sha256(plan.resource));
    if (fault.wrong) value[0] = (value[0] ?? 0) ^ 0xff;
    if (fault.header === 'repr-digest') {
      plan.headers['repr-digest'] = `sha-256=:${value.toString('base64')}:`;
      ctx.record.faults.push('digest');
    } else if (plan.outcome.kind !== 'range') {
      // Like S3: a whole-object checksum only on whole-object responses.
      plan.headers['x-amz-checksum-sha256'] = value.toString('base64');
      ctx.record.faults.push('digest');
    }
    return undefined;
  },
};
