import { FaultParams } from './faultParams.js';
import { FaultSpecError } from './faultSpecError.js';
import type { Fault, FaultMode } from './faults.js';
import { FAULT_MODULES } from './modes/index.js';

function isMode(mode: string): mode is FaultMode {
  return Object.hasOwn(FAULT_MODULES, mode);
}

/** Parses one `mode:key=value,...` string (the inverse of `formatFault`). */
export function parseFault(text: string): Fault {
  const colon = text.indexOf(':');
  const mode = colon < 0 ? text : text.slice(0, colon);
  const values = new Map<string, string>();
  if (colon >= 0) {
    for (const pair of text.slice(colon + 1).split(',')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new FaultSpecError(`fault "${mode}": "${pair}" is not key=value`);
      values.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    }
  }
  if (!isMode(mode)) throw new FaultSpecError(`unknown fault mode "${mode}"`);
  const params = new FaultParams(mode, values);
  return FAULT_MODULES[mode].parse(params, params.optInt('times'));
}
