/** SNS endpoints: `sns.<region>.amazonaws.com`, and `.com.cn` for the China partition. */
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

function parseHttpsSnsUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  // A port, userinfo or anything but https would let a forged message point the fetcher elsewhere.
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '')
    return undefined;
  if (!SNS_HOST.test(url.hostname)) return undefined;
  return url;
}

/**
 * Checks a `SigningCertURL`: https, on an SNS host, path ending in `.pem`. The URL comes from the very
 * message it authenticates, so without this rule anyone could sign with their own certificate.
 */
export function parseSigningCertUrl(text: string): URL | undefined {
  const url = parseHttpsSnsUrl(text);
  return url?.pathname.endsWith('.pem') ? url : undefined;
}

/** Checks a `SubscribeURL` / `UnsubscribeURL`: https on an SNS host. */
export function parseSnsActionUrl(text: string): URL | undefined {
  return parseHttpsSnsUrl(text);
}
