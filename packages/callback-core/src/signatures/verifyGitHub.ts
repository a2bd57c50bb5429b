import { readEventIdHeader } from './eventIdHeader.js';
import { HeaderAccess } from './headerAccess.js';
import { hmacDigest } from './hmacDigest.js';
import { matchSecret } from './matchSecret.js';
import { parsePrefixedDigest } from './parsePrefixedDigest.js';
import { type Rejection, reject } from './rejection.js';
import { activeSecrets, noMatchMessage } from './secretRing.js';
import type { GitHubSchemeConfig, Verified, VerifyRequest } from './types.js';

/**
 * Verifies a GitHub webhook: `X-Hub-Signature-256: sha256=<hex>` HMAC-SHA256 of the raw body, secret as
 * UTF-8. GitHub signs no timestamp, so there is no staleness check: replays are caught by dedupe on the
 * `X-GitHub-Delivery` id (reported as `eventId`; that header is not signed).
 */
export async function verifyGitHub(
  config: GitHubSchemeConfig,
  request: VerifyRequest,
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const header = headers.required('x-hub-signature-256');
  if (!header.ok) return header;
  const delivery = readEventIdHeader(headers, 'x-github-delivery');
  if (!delivery.ok) return delivery;
  const parsed = parsePrefixedDigest(header.value, 'sha256=', 'hex', 'X-Hub-Signature-256');
  if (!parsed.ok) return parsed;

  const secrets = activeSecrets(config.secrets, now);
  const secret = matchSecret(secrets, [parsed.digest], (s) =>
    hmacDigest('sha256', s.value, '', request.body),
  );
  if (secret === undefined)
    return reject('bad_signature', noMatchMessage(secrets.length, config.secrets.length));
  return {
    ok: true,
    scheme: 'github',
    ...(delivery.value !== undefined && { eventId: delivery.value }),
    ...(secret.id !== undefined && { secretId: secret.id }),
  };
}
