import { verify, X509Certificate } from 'node:crypto';
import { decodeBase64Strict } from './encoding.js';
import { HeaderAccess } from './headerAccess.js';
import { parseSnsMessage } from './parseSnsMessage.js';
import { type Rejection, reject } from './rejection.js';
import { snsCanonicalString } from './snsCanonicalString.js';
import { parseSigningCertUrl, parseSnsActionUrl } from './snsUrls.js';
import { checkTolerance } from './timestampTolerance.js';
import type { SnsSchemeConfig, Verified, VerifyOptions, VerifyRequest } from './types.js';

/** SNS keeps a message's original Timestamp across its delivery retries, which can span an hour. */
export const DEFAULT_SNS_TOLERANCE_SECONDS = 3600;

/** SNS timestamps: ISO 8601 UTC with optional fraction. */
const SNS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

const DIGEST_BY_VERSION: Readonly<Record<string, 'sha1' | 'sha256'>> = { '1': 'sha1', '2': 'sha256' };

async function loadCertificate(
  url: URL,
  options: VerifyOptions,
): Promise<{ readonly ok: true; readonly certificate: X509Certificate } | Rejection> {
  if (options.snsCertificateFetcher === undefined) {
    // Fail closed: without a way to get the certificate nothing can be verified.
    return reject('bad_signature', 'cannot verify SNS messages: no snsCertificateFetcher was configured');
  }
  try {
    return { ok: true, certificate: new X509Certificate(await options.snsCertificateFetcher(url)) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return reject('bad_signature', `SNS signing certificate ${url.href} is unavailable: ${detail}`);
  }
}

/**
 * Verifies an AWS SNS HTTP(S) message (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) against the
 * certificate at its `SigningCertURL`, which must be https on an SNS host. A `SubscriptionConfirmation`
 * is verified like any message and its `SubscribeURL` returned as `snsSubscribeUrl`: it is never visited.
 */
export async function verifySns(
  config: SnsSchemeConfig,
  request: VerifyRequest,
  options: VerifyOptions = {},
): Promise<Verified | Rejection> {
  const now = request.now ?? new Date();
  const headers = new HeaderAccess(request.headers, config.maxHeaderBytes);
  const parsed = parseSnsMessage(request.body);
  if (!parsed.ok) return parsed;
  const message = parsed.message;

  // SNS always sends the type header; a request without it did not come from SNS.
  const typeHeader = headers.required('x-amz-sns-message-type');
  if (!typeHeader.ok) return typeHeader;
  if (typeHeader.value !== message.Type) {
    return reject('malformed_header', 'x-amz-sns-message-type does not match the message Type');
  }
  const idHeader = headers.optional('x-amz-sns-message-id');
  if (!idHeader.ok) return idHeader;
  if (idHeader.value !== undefined && idHeader.value !== message.MessageId) {
    return reject('malformed_header', 'x-amz-sns-message-id does not match the message MessageId');
  }
  const topicHeader = headers.optional('x-amz-sns-topic-arn');
  if (!topicHeader.ok) return topicHeader;
  if (topicHeader.value !== undefined && topicHeader.value !== message.TopicArn) {
    return reject('malformed_header', 'x-amz-sns-topic-arn does not match the message TopicArn');
  }

  const digest = DIGEST_BY_VERSION[message.SignatureVersion];
  const allowedVersions: readonly string[] = config.signatureVersions ?? ['1', '2'];
  if (digest === undefined || !allowedVersions.includes(message.SignatureVersion)) {
    return reject('bad_signature', `SNS SignatureVersion ${message.SignatureVersion} is not accepted`);
  }
  const certUrl = parseSigningCertUrl(message.SigningCertURL);
  if (certUrl === undefined) {
    return reject(
      'bad_signature',
      'SigningCertURL must be an https .pem URL on an sns.<region>.amazonaws.com host',
    );
  }
  if (message.SubscribeURL !== undefined && parseSnsActionUrl(message.SubscribeURL) === undefined) {
    return reject(
      'invalid_payload',
      'SubscribeURL must be an https URL on an sns.<region>.amazonaws.com host',
    );
  }
  if (config.topicArns !== undefined && !config.topicArns.includes(message.TopicArn)) {
    return reject('unknown_provider', `SNS topic ${message.TopicArn} is not accepted by this endpoint`);
  }
  const signature = decodeBase64Strict(message.Signature);
  if (signature === undefined) return reject('bad_signature', 'SNS Signature is not base64');
  if (!SNS_TIMESTAMP.test(message.Timestamp))
    return reject('invalid_payload', 'SNS Timestamp is not ISO 8601 UTC');
  const signedAt = new Date(message.Timestamp);
  if (Number.isNaN(signedAt.getTime()))
    return reject('invalid_payload', 'SNS Timestamp is not a valid instant');
  const tooFar = checkTolerance(
    signedAt.getTime(),
    now,
    config.toleranceSeconds ?? DEFAULT_SNS_TOLERANCE_SECONDS,
  );
  if (tooFar !== undefined) return tooFar;

  const loaded = await loadCertificate(certUrl, options);
  if (!loaded.ok) return loaded;
  const { certificate } = loaded;
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    return reject('bad_signature', 'SNS signing certificate is outside its validity period');
  }
  let valid: boolean;
  try {
    valid = verify(digest, Buffer.from(snsCanonicalString(message)), certificate.publicKey, signature);
  } catch {
    // A certificate whose key cannot verify RSA signatures (e.g. not RSA at all).
    valid = false;
  }
  if (!valid) return reject('bad_signature', 'SNS signature does not match the message');
  return {
    ok: true,
    scheme: 'sns',
    eventId: message.MessageId,
    timestamp: signedAt,
    snsMessageType: message.Type,
    snsTopicArn: message.TopicArn,
    snsMessage: message.Message,
    ...(message.Type === 'SubscriptionConfirmation' &&
      message.SubscribeURL !== undefined && { snsSubscribeUrl: message.SubscribeURL }),
  };
}
