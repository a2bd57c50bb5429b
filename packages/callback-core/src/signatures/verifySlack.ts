import { HeaderAccess } from './headerAccess.js';
import { hmacDigest } from './hmacDigest.js';
import { matchSecret } from './matchSecret.js';
import { parsePrefixedDigest } from './parsePrefixedDigest.js';
import { type Rejection, reject } from './rejection.js';
import { activeSecrets, noMatchMessage } from './secretRing.js';
import { checkTolerance, DEFAULT_TOLERANCE_SECONDS, parseUnixSeconds } from './timestampTolerance.js';
import type { SlackSchemeConfig, Verified, VerifyRequest } from './types.js';

/**
 * Verifies a Slack request: `X-Slack-Signature: v0=<hex>` HMAC-SHA256 over `v0:<timestamp>:<raw body>`
 * with the signing secret as UTF-8, the timestamp from `X-Slack-Request-Timestamp`.
 */
export async function verifySlack(
  config: SlackSchemeConfig,
  request: VerifyRequest,
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const header = headers.required('x-slack-signature');
  if (!header.ok) return header;
  const timestampText = headers.required('x-slack-request-timestamp');
  if (!timestampText.ok) return timestampText;
  const seconds = parseUnixSeconds(timestampText.value);
  if (seconds === undefined) {
    return reject('malformed_header', 'X-Slack-Request-Timestamp must be Unix seconds (1 to 10 digits)');
  }
  const parsed = parsePrefixedDigest(header.value, 'v0=', 'hex', 'X-Slack-Signature');
  if (!parsed.ok) return parsed;
  const tooFar = checkTolerance(seconds * 1000, now, config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (tooFar !== undefined) return tooFar;

  const secrets = activeSecrets(config.secrets, now);
  const prefix = `v0:${timestampText.value}:`;
  const secret = matchSecret(secrets, [parsed.digest], (s) =>
    hmacDigest('sha256', s.value, prefix, request.body),
  );
  if (secret === undefined)
    return reject('bad_signature', noMatchMessage(secrets.length, config.secrets.length));
  return {
    ok: true,
    scheme: 'slack',
    timestamp: new Date(seconds * 1000),
    ...(secret.id !== undefined && { secretId: secret.id }),
  };
}
