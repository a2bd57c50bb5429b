import { FaultSpecError } from './faultSpecError.js';

/** The `key=value` pairs of one fault's URL form, read with typed accessors. */
export class FaultParams {
  readonly #mode: string;
  readonly #values: Map<string, string>;
  constructor(mode: string, values: Map<string, string>) {
    this.#mode = mode;
    this.#values = values;
  }
  int(name: string, fallback?: number): number {
    const raw = this.#values.get(name);
    if (raw === undefined) {
      if (fallback !== undefined) return fallback;
      throw new FaultSpecError(`fault "${this.#mode}" needs ${name}`);
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value))
      throw new FaultSpecError(`fault "${this.#mode}": ${name}=${raw} is not an integer`);
    return value;
  }
  optInt(name: string): number | undefined {
    return this.#values.has(name) ? this.int(name) : undefined;
  }
  bool(name: string): boolean {
    const raw = this.#values.get(name);
    return raw === 'true' || raw === '1';
  }
  str(name: string): string | undefined {
    return this.#values.get(name);
  }
}
