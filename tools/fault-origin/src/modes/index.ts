import type { FaultMode } from '../faults.js';
import type { FaultModule } from '../response/FaultModule.js';
import { change } from './change.js';
import { digest } from './digest.js';
import { earlyStart } from './earlyStart.js';
import { gzip } from './gzip.js';
import { ignoreRange } from './ignoreRange.js';
import { lateEnd } from './lateEnd.js';
import { longContentLength } from './longContentLength.js';
import { none } from './none.js';
import { redirect } from './redirect.js';
import { redirectLoop } from './redirectLoop.js';
import { redirectTo } from './redirectTo.js';
import { reset } from './reset.js';
import { short206 } from './short206.js';
import { stall } from './stall.js';
import { status } from './status.js';
import { throttle } from './throttle.js';
import { truncatedChunked } from './truncatedChunked.js';
import { weakEtag } from './weakEtag.js';
import { wrongBytes } from './wrongBytes.js';
import { wrongRangeStart } from './wrongRangeStart.js';

/** Every fault mode's module; the type makes a mode without a module a compile error. */
export const FAULT_MODULES: { readonly [M in FaultMode]: FaultModule<M> } = {
  none,
  reset,
  stall,
  throttle,
  status,
  'ignore-range': ignoreRange,
  'wrong-range-start': wrongRangeStart,
  'short-206': short206,
  'early-start': earlyStart,
  'late-end': lateEnd,
  change,
  'long-content-length': longContentLength,
  'truncated-chunked': truncatedChunked,
  gzip,
  redirect,
  'redirect-loop': redirectLoop,
  'redirect-to': redirectTo,
  'weak-etag': weakEtag,
  'wrong-bytes': wrongBytes,
  digest,
};

/** The module of a fault's mode, typed for that fault. */
export function moduleOf<M extends FaultMode>(mode: M): FaultModule<M> {
  return FAULT_MODULES[mode] as FaultModule<M>;
}
