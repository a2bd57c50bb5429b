/** Builds the callback URL handed to a provider. */
import { InvalidBaseUrlError, InvalidDeliveryIdError } from '../errors.js';
import { isWellFormedDeliveryId } from './deliveryId.js';

/**
 * `<baseUrl>/callbacks/<id>`, keeping any path the base URL has (an API stage such as `/prod`).
 *
 * @param baseUrl - public http(s) origin (and optional path) of the callback API; no query,
 *   fragment or userinfo
 * @param id - from `mintDeliveryId`
 * @throws {@link InvalidBaseUrlError} for an unusable base URL
 * @throws {@link InvalidDeliveryIdError} when `id` is not well formed
 *
 * @example
 * ```ts
 * callbackUrlFor('https://api.example.com/prod', mintDeliveryId());
 * // → 'https://api.example.com/prod/callbacks/3q2-7w…'
 * ```
 */
export function callbackUrlFor(baseUrl: string | URL, id: string): string {
  if (!isWellFormedDeliveryId(id)) {
    throw new InvalidDeliveryIdError('A delivery id is 32 base64url characters, as mintDeliveryId returns.');
  }
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch (error) {
    throw new InvalidBaseUrlError('The callback base URL is not an absolute URL.', { cause: error });
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new InvalidBaseUrlError(`The callback base URL must be http(s), not ${base.protocol}`);
  }
  if (base.search !== '' || base.hash !== '' || base.username !== '' || base.password !== '') {
    throw new InvalidBaseUrlError(
      'The callback base URL must not have a query, fragment, user name or password.',
    );
  }
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${path}callbacks/${id}`, base).href;
}
