/** Nesting depth of JSON text, counted from its bytes without parsing it. */

/** Deepest nesting of arrays and objects accepted in a callback body, manifest or list-API answer. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Follows `[`/`{` nesting across chunks (strings and escapes skipped) and reports when it goes
 * deeper than `maxDepth`. Fed as bytes arrive, it refuses a hostile document (16 MB of `[`) at
 * its 65th byte instead of after a parse that builds millions of nested arrays and stalls the
 * process. It does not validate JSON: the parser that follows does.
 */
export class JsonDepthScanner {
  readonly maxDepth: number;
  #depth = 0;
  #inString = false;
  #escaped = false;

  constructor(maxDepth: number = MAX_JSON_DEPTH) {
    this.maxDepth = maxDepth;
  }

  /** Scans the next bytes; false once the nesting went deeper than `maxDepth`. */
  feed(bytes: Uint8Array): boolean {
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    const max = this.maxDepth;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
        depth++;
        if (depth > max) {
          this.#depth = depth;
          return false;
        }
      } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
    }
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
    return true;
  }
}
