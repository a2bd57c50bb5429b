/** Turns valibot issues into this package's {@link Issue} list with readable paths. */
import type * as v from 'valibot';
import type { Issue } from '../errors.js';

/** `a.b[2].c` from an issue path; `prefix` is prepended (joined with a dot). */
export function issuePath(issue: v.BaseIssue<unknown>, prefix = ''): string {
  let out = prefix;
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

const SECRET_VALUE_PATH = /^(signature\.secrets\[\d+\]\.value|requestAuth\[\d+\]\.(token|value|password))$/;

/**
 * Converts issues, never echoing a secret: valibot's default messages quote the received value,
 * which for a secret would leak it into logs.
 */
export function toIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ''): Issue[] {
  return issues.map((issue) => {
    const path = issuePath(issue, prefix);
    const message = SECRET_VALUE_PATH.test(path)
      ? issue.message.replace(/ but received .*$/s, '')
      : issue.message;
    return { path, message };
  });
}
