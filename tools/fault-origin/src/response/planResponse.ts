import type { Fault } from '../faults.js';
import { moduleOf } from '../modes/index.js';
import { ifRangeMatches, parseRange } from '../parseRange.js';
import type { Resource } from '../resourceStore.js';
import type { Answer, FaultContext, FaultPhase, ResponsePlan } from './ResponsePlan.js';

/** What to send: a short answer, or the resource as planned. */
export type PlanOutcome =
  | { readonly kind: 'answer'; readonly answer: Answer }
  | { readonly kind: 'resource'; readonly plan: ResponsePlan };

/** How the request's Range and If-Range apply to `resource` on a correct origin. */
export function rangeOutcome(ctx: Pick<FaultContext, 'request'>, resource: Resource) {
  const ifRange = ctx.request.headers['if-range'];
  return ifRangeMatches(
    typeof ifRange === 'string' ? ifRange : undefined,
    resource.etag,
    resource.lastModified,
  )
    ? parseRange(ctx.request.headers.range, resource.size)
    : ({ kind: 'none' } as const);
}

function runPhase(phase: FaultPhase, faults: ReadonlyArray<Fault>, ctx: FaultContext, plan: ResponsePlan) {
  for (const fault of faults) {
    const module = moduleOf(fault.mode);
    if (module.phase !== phase) continue;
    const answer = module.apply(fault as never, ctx, plan);
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/**
 * Builds the response to one request: a correct origin's answer, adjusted by each fault in
 * phase order (see {@link FaultPhase}). `resource` is undefined for an unknown name.
 */
export function planResponse(ctx: FaultContext, resource: Resource | undefined, method: string): PlanOutcome {
  const plan: ResponsePlan = {
    // Placeholder until the resource is known; only answer-phase modules run before that.
    resource: resource as Resource,
    outcome: { kind: 'none' },
    start: 0,
    end: 0,
    headers: {},
    chunked: false,
    gzip: false,
    stops: [],
    onStopped: [],
  };
  const early = runPhase('answer', ctx.faults, ctx, plan);
  if (early !== undefined) return { kind: 'answer', answer: early };
  if (resource === undefined) return { kind: 'answer', answer: { status: 404, headers: {} } };
  if (method !== 'GET' && method !== 'HEAD') {
    return { kind: 'answer', answer: { status: 405, headers: { allow: 'GET, HEAD' } } };
  }

  runPhase('version', ctx.faults, ctx, plan);
  const current = plan.resource;
  plan.outcome = rangeOutcome(ctx, current);
  runPhase('request-range', ctx.faults, ctx, plan);
  if (plan.outcome.kind === 'unsatisfiable') {
    return {
      kind: 'answer',
      answer: {
        status: 416,
        headers: { 'content-range': `bytes */${current.size}`, 'accept-ranges': 'bytes' },
      },
    };
  }
  plan.start = plan.outcome.kind === 'range' ? plan.outcome.range.start : 0;
  plan.end = plan.outcome.kind === 'range' ? plan.outcome.range.end : current.size;
  runPhase('served-range', ctx.faults, ctx, plan);

  Object.assign(plan.headers, {
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
    etag: current.etag,
    'last-modified': current.lastModified,
  });
  // Content-Range always tells the truth about the bytes that follow (faults move them honestly).
  if (plan.outcome.kind === 'range') {
    plan.headers['content-range'] = `bytes ${plan.start}-${plan.end - 1}/${current.size}`;
  }
  runPhase('headers', ctx.faults, ctx, plan);
  runPhase('body', ctx.faults, ctx, plan);
  if (plan.gzip) {
    plan.headers['content-encoding'] = 'gzip';
    plan.headers.vary = 'Accept-Encoding';
  } else if (!plan.chunked) {
    plan.headers['content-length'] = String(plan.end - plan.start);
  }
  plan.stops.sort((a, b) => a.at - b.at);
  return { kind: 'resource', plan };
}
