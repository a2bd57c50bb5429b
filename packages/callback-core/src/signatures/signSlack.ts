import { hmacDigest } from './hmacDigest.js';
import { bodyBytes, type SignableBody, unixSeconds } from './signerInput.js';

/** Input of {@link signSlack}. */
export interface SlackSignInput {
  readonly body: SignableBody;
  readonly secret: string;
  readonly timestamp: Date | number;
}

/** Signs like Slack: `X-Slack-Signature: v0=<hex>` over `v0:<ts>:<body>`. */
export function signSlack(input: SlackSignInput): Record<string, string> {
  const ts = String(unixSeconds(input.timestamp));
  const digest = hmacDigest('sha256', input.secret, `v0:${ts}:`, bodyBytes(input.body)).toString('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': ts };
}
