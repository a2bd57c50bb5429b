/** Canonical padded base64 (standard alphabet). Buffer's own decoder silently skips junk, so check first. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Decodes strict base64; `undefined` when the text is not canonical base64 or is empty. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (text.length === 0 || !BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** Decodes strict hex (either case); `undefined` when the text is not hex or is empty. */
export function decodeHexStrict(text: string): Buffer | undefined {
  if (text.length === 0 || !HEX.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}
