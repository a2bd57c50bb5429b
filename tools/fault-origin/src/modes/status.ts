import { FaultSpecError } from '../faultSpecError.js';
import type { FaultModule } from '../response/FaultModule.js';

/** Timers may fire a hair early against the wall clock; an arrival this close counts as on time. */
const RETRY_AFTER_TOLERANCE_MS = 50;

/** Retry-After header value for `seconds` from now, and the moment it names (ms since epoch). */
function retryAfter(seconds: number, format: 'seconds' | 'date' | undefined): { header: string; at: number } {
  if (format === 'date') {
    // HTTP-dates have whole seconds: round up so the date is never earlier than asked.
    const at = Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000;
    return { header: new Date(at).toUTCString(), at };
  }
  return { header: String(seconds), at: Date.now() + seconds * 1000 };
}

/** An error status with an empty body, optionally with Retry-After (and enforcing it). */
export const status: FaultModule<'status'> = {
  mode: 'status',
  phase: 'answer',
  parse(p, times) {
    const format = p.str('retryAfterFormat');
    if (format !== undefined && format !== 'seconds' && format !== 'date') {
      throw new FaultSpecError(`fault "status": retryAfterFormat must be seconds or date`);
    }
    return {
      mode: 'status',
      status: p.int('status'),
      retryAfter: p.optInt('retryAfter'),
      retryAfterFormat: format,
      enforce: p.bool('enforce'),
      times,
    };
  },
  apply(fault, ctx) {
    const state = ctx.state(fault);
    if (
      fault.enforce &&
      state.notBefore !== undefined &&
      Date.now() < state.notBefore - RETRY_AFTER_TOLERANCE_MS
    ) {
      ctx.record.faults.push('status-early');
      const left = Math.max(1, Math.ceil((state.notBefore - Date.now()) / 1000));
      return {
        status: fault.status,
        headers: { 'retry-after': retryAfter(left, fault.retryAfterFormat).header },
      };
    }
    if (!ctx.take(fault, true)) return undefined;
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) {
      const announced = retryAfter(fault.retryAfter, fault.retryAfterFormat);
      headers['retry-after'] = announced.header;
      state.notBefore = announced.at;
    }
    return { status: fault.status, headers };
  },
};
