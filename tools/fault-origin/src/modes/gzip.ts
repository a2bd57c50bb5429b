import type { FaultModule } from '../response/FaultModule.js';

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** gzip-encodes the body (of the selected range) when the request allows it, or always with `force`. */
export const gzip: FaultModule<'gzip'> = {
  mode: 'gzip',
  phase: 'body',
  parse: (p, times) => ({ mode: 'gzip', force: p.bool('force'), times }),
  apply(fault, ctx, plan) {
    const allowed = fault.force === true || acceptsGzip(ctx.request.headers['accept-encoding']);
    if (ctx.take(fault, ctx.isGet && plan.end > plan.start && allowed)) plan.gzip = true;
    return undefined;
  },
};
