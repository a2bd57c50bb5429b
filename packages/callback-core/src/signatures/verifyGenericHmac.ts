import { readEventIdHeader } from './eventIdHeader.js';
import { HeaderAccess } from './headerAccess.js';
import { hmacDigest } from './hmacDigest.js';
import { matchSecret } from './matchSecret.js';
import { parsePrefixedDigest } from './parsePrefixedDigest.js';
import { type Rejection, reject } from './rejection.js';
import { activeSecrets, noMatchMessage } from './secretRing.js';
import { checkTolerance, DEFAULT_TOLERANCE_SECONDS, parseUnixSeconds } from './timestampTolerance.js';
import type { GenericHmacSchemeConfig, SigningSecret, Verified, VerifyRequest } from './types.js';

/** Key bytes of a secret per the config's `secretEncoding`. */
export function genericHmacKey(config: GenericHmacSchemeConfig, secret: SigningSecret): Buffer {
  return Buffer.from(secret.value, config.secretEncoding ?? 'utf8');
}

/**
 * Verifies a generic HMAC request as described by the config: one `<prefix><digest>` in `config.header`,
 * over the raw body or over `<timestamp><separator><raw body>`.
 */
export async function verifyGenericHmac(
  config: GenericHmacSchemeConfig,
  request: VerifyRequest,
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const header = headers.required(config.header);
  if (!header.ok) return header;
  const eventId =
    config.eventIdHeader === undefined ? undefined : readEventIdHeader(headers, config.eventIdHeader);
  if (eventId !== undefined && !eventId.ok) return eventId;

  let prefix = '';
  let timestamp: Date | undefined;
  if (config.signedContent.kind === 'timestamp-body') {
    const { timestampHeader, separator } = config.signedContent;
    const timestampText = headers.required(timestampHeader);
    if (!timestampText.ok) return timestampText;
    const seconds = parseUnixSeconds(timestampText.value);
    if (seconds === undefined) {
      return reject('malformed_header', `${timestampHeader} must be Unix seconds (1 to 10 digits)`);
    }
    const tooFar = checkTolerance(seconds * 1000, now, config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
    if (tooFar !== undefined) return tooFar;
    prefix = `${timestampText.value}${separator}`;
    timestamp = new Date(seconds * 1000);
  }
  const parsed = parsePrefixedDigest(header.value, config.prefix ?? '', config.encoding, config.header);
  if (!parsed.ok) return parsed;

  const secrets = activeSecrets(config.secrets, now);
  const secret = matchSecret(secrets, [parsed.digest], (s) =>
    hmacDigest(config.algorithm, genericHmacKey(config, s), prefix, request.body),
  );
  if (secret === undefined)
    return reject('bad_signature', noMatchMessage(secrets.length, config.secrets.length));
  return {
    ok: true,
    scheme: 'hmac',
    ...(eventId?.value !== undefined && { eventId: eventId.value }),
    ...(timestamp !== undefined && { timestamp }),
    ...(secret.id !== undefined && { secretId: secret.id }),
  };
}
