import type { FaultModule } from '../response/FaultModule.js';

/** No fault: present only to override a per-path configuration. */
export const none: FaultModule<'none'> = {
  mode: 'none',
  phase: 'body',
  parse: () => ({ mode: 'none' }),
  apply: () => undefined,
};
