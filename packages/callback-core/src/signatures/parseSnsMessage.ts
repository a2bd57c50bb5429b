import { type Rejection, reject } from './rejection.js';
import type { SnsMessageType } from './types.js';

/** The fields of an SNS HTTP(S) message that take part in verification. */
export interface SnsMessage {
  readonly Type: SnsMessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: string;
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly Subject?: string;
  readonly SubscribeURL?: string;
  readonly Token?: string;
}

const TYPES: readonly SnsMessageType[] = [
  'Notification',
  'SubscriptionConfirmation',
  'UnsubscribeConfirmation',
];
const REQUIRED = [
  'MessageId',
  'TopicArn',
  'Message',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
];
const CONFIRMATION_REQUIRED = ['SubscribeURL', 'Token'];

/** `fatal`: a body that is not valid UTF-8 is refused instead of silently gaining U+FFFD characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isType(value: unknown): value is SnsMessageType {
  return typeof value === 'string' && (TYPES as readonly string[]).includes(value);
}

/** Parses the raw body of an SNS HTTP(S) message. Never throws. */
export function parseSnsMessage(
  body: Uint8Array,
): { readonly ok: true; readonly message: SnsMessage } | Rejection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch {
    return reject('invalid_payload', 'SNS message body is not UTF-8 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject('invalid_payload', 'SNS message body is not a JSON object');
  }
  const fields = parsed as Record<string, unknown>;
  if (!isType(fields.Type))
    return reject('invalid_payload', `SNS message Type must be one of ${TYPES.join(', ')}`);
  const required = fields.Type === 'Notification' ? REQUIRED : [...REQUIRED, ...CONFIRMATION_REQUIRED];
  const missing = required.filter((name) => typeof fields[name] !== 'string');
  if (missing.length > 0)
    return reject('invalid_payload', `SNS message lacks string field(s) ${missing.join(', ')}`);
  if (fields.Subject !== undefined && typeof fields.Subject !== 'string') {
    return reject('invalid_payload', 'SNS message Subject must be a string');
  }
  return { ok: true, message: fields as unknown as SnsMessage };
}
