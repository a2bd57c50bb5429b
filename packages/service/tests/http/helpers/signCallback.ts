/** Signs callback bodies with the third-party `standardwebhooks` library, as a provider would. */
import { Webhook } from 'standardwebhooks';

/** Headers of a Standard Webhooks callback for `body`. */
export function signCallback(
  secret: string,
  body: string,
  options: { readonly msgId?: string; readonly timestamp?: Date } = {},
): Record<string, string> {
  const msgId = options.msgId ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(msgId, timestamp, body),
  };
}
