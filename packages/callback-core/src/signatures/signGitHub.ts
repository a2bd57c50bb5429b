import { hmacDigest } from './hmacDigest.js';
import { bodyBytes, type SignableBody } from './signerInput.js';

/** Input of {@link signGitHub}. */
export interface GitHubSignInput {
  readonly body: SignableBody;
  readonly secret: string;
  /** Sent as `X-GitHub-Delivery` when given. */
  readonly deliveryId?: string;
}

/** Signs like GitHub: `X-Hub-Signature-256: sha256=<hex>`. */
export function signGitHub(input: GitHubSignInput): Record<string, string> {
  const digest = hmacDigest('sha256', input.secret, '', bodyBytes(input.body)).toString('hex');
  return {
    'x-hub-signature-256': `sha256=${digest}`,
    ...(input.deliveryId !== undefined && { 'x-github-delivery': input.deliveryId }),
  };
}
