import { Webhook } from 'standardwebhooks';

/** Headers and body of one Standard Webhooks-signed callback, ready to send. */
export interface SignedCallback {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Signs `body` as a provider would (with the `standardwebhooks` library, not our own verifier's
 * code), timestamped now: valid for the service's tolerance window (minutes), so sign just before use.
 */
export function signedCallback(secret: string, msgId: string, body: string): SignedCallback {
  const timestamp = new Date();
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, timestamp, body),
    },
  };
}
