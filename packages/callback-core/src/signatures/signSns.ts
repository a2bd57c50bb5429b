import { type KeyObject, sign } from 'node:crypto';
import { snsCanonicalString } from './snsCanonicalString.js';
import type { SnsMessageType } from './types.js';

/** The unsigned fields of an SNS message. */
export interface SnsUnsignedMessage {
  readonly Type: SnsMessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly Subject?: string;
  readonly SubscribeURL?: string;
  readonly Token?: string;
  readonly UnsubscribeURL?: string;
}

/** Signing parameters of {@link signSns}. */
export interface SnsSignInput {
  readonly privateKey: KeyObject;
  readonly signingCertUrl: string;
  /** @default '2' */
  readonly signatureVersion?: '1' | '2';
}

/** Signs an SNS message as SNS does, returning the full JSON-ready message. For tests and demos. */
export function signSns(message: SnsUnsignedMessage, input: SnsSignInput): Record<string, string> {
  const version = input.signatureVersion ?? '2';
  const signature = sign(
    version === '1' ? 'sha1' : 'sha256',
    Buffer.from(snsCanonicalString(message)),
    input.privateKey,
  );
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(message)) {
    if (typeof value === 'string') fields[name] = value;
  }
  return {
    ...fields,
    SignatureVersion: version,
    Signature: signature.toString('base64'),
    SigningCertURL: input.signingCertUrl,
  };
}
