/** Thrown for a fault description that cannot be understood. */
export class FaultSpecError extends Error {
  readonly code = 'FAULT_SPEC_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}
