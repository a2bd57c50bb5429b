import { UsageError } from './args.js';

/** One entry of an input list. */
export interface ListEntry {
  readonly url: string;
  /** Output file name or path (relative to the list's directory option); from the URL when absent. */
  readonly output: string | undefined;
  readonly sha256: string | undefined;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

function checkedUrl(url: string, line: number): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new UsageError(`List line ${line}: not an http(s) URL: ${url}`);
}

function checkedSha256(value: string | undefined, line: number): string | undefined {
  if (value === undefined) return undefined;
  if (!SHA256.test(value)) throw new UsageError(`List line ${line}: sha256 needs 64 hex digits.`);
  return value.toLowerCase();
}

function fromJson(text: string, line: number): ListEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`List line ${line}: not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { url?: unknown }).url !== 'string') {
    throw new UsageError(`List line ${line}: a JSON entry needs "url" (a string).`);
  }
  const v = value as { url: string; output?: unknown; sha256?: unknown };
  if (v.output !== undefined && typeof v.output !== 'string') {
    throw new UsageError(`List line ${line}: "output" must be a string.`);
  }
  if (v.sha256 !== undefined && typeof v.sha256 !== 'string') {
    throw new UsageError(`List line ${line}: "sha256" must be a string.`);
  }
  return { url: checkedUrl(v.url, line), output: v.output, sha256: checkedSha256(v.sha256, line) };
}

/**
 * Parses an input list: one entry per URL line, as `aria2c -i` reads it (a URL, then indented
 * `out=<name>` and `checksum=sha-256=<hex>` lines), or JSON lines (`{"url", "output"?,
 * "sha256"?}`), mixed freely. Blank lines and lines starting with `#` are skipped.
 */
export function parseInputList(text: string): ListEntry[] {
  const entries: Array<{ url: string; output: string | undefined; sha256: string | undefined }> = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    if (/^\s/.test(raw)) {
      const current = entries.at(-1);
      if (current === undefined) throw new UsageError(`List line ${line}: an option line before any URL.`);
      const option = raw.trim();
      const eq = option.indexOf('=');
      const key = eq < 0 ? option : option.slice(0, eq);
      const value = eq < 0 ? '' : option.slice(eq + 1);
      if (key === 'out') current.output = value;
      else if (key === 'checksum') {
        const m = /^sha-256=(.*)$/i.exec(value);
        if (!m) throw new UsageError(`List line ${line}: only checksum=sha-256=<hex> is understood.`);
        current.sha256 = checkedSha256(m[1], line);
      } else
        throw new UsageError(
          `List line ${line}: unknown option "${key}" (out= and checksum= are understood).`,
        );
      continue;
    }
    const text = raw.trim();
    entries.push(
      text.startsWith('{')
        ? { ...fromJson(text, line) }
        : { url: checkedUrl(text, line), output: undefined, sha256: undefined },
    );
  }
  return entries;
}
