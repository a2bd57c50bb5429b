import { hmacDigest } from './hmacDigest.js';
import { bodyBytes, type SignableBody, unixSeconds } from './signerInput.js';
import type { GenericHmacSchemeConfig } from './types.js';
import { genericHmacKey } from './verifyGenericHmac.js';

/** Input of {@link signGenericHmac}. */
export interface GenericHmacSignInput {
  readonly body: SignableBody;
  /** The secret value, in the config's `secretEncoding`. */
  readonly secret: string;
  /** Required when the config signs `timestamp-body`. @default now */
  readonly timestamp?: Date | number;
  /** Sent in the config's `eventIdHeader` when both are given. */
  readonly eventId?: string;
}

/** Signs a request as a generic HMAC config describes; returns the headers to send. */
export function signGenericHmac(
  config: GenericHmacSchemeConfig,
  input: GenericHmacSignInput,
): Record<string, string> {
  const headers: Record<string, string> = {};
  let prefix = '';
  if (config.signedContent.kind === 'timestamp-body') {
    const ts = String(unixSeconds(input.timestamp ?? new Date()));
    headers[config.signedContent.timestampHeader.toLowerCase()] = ts;
    prefix = `${ts}${config.signedContent.separator}`;
  }
  const key = genericHmacKey(config, { value: input.secret });
  const digest = hmacDigest(config.algorithm, key, prefix, bodyBytes(input.body)).toString(config.encoding);
  headers[config.header.toLowerCase()] = `${config.prefix ?? ''}${digest}`;
  if (config.eventIdHeader !== undefined && input.eventId !== undefined) {
    headers[config.eventIdHeader.toLowerCase()] = input.eventId;
  }
  return headers;
}
