import type { FaultParams } from '../faultParams.js';
import type { Fault, FaultMode } from '../faults.js';
import type { Answer, FaultContext, FaultPhase, ResponsePlan } from './ResponsePlan.js';

/** The fault of one mode. */
export type FaultOf<M extends FaultMode> = Extract<Fault, { readonly mode: M }>;

/**
 * One fault mode: how it reads from a URL and what it does to a response. A new fault is one
 * of these (and its line in the `Fault` union).
 */
export interface FaultModule<M extends FaultMode> {
  readonly mode: M;
  readonly phase: FaultPhase;
  /** Reads the fault from its URL parameters (`times` already parsed). */
  parse(params: FaultParams, times: number | undefined): FaultOf<M>;
  /** Adjusts the plan; an `answer`-phase module may return a response to send instead. */
  apply(fault: FaultOf<M>, ctx: FaultContext, plan: ResponsePlan): Answer | undefined;
}
