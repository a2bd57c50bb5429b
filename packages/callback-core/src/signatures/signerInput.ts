/** A body to sign: bytes as they will be sent, or text (sent as UTF-8). */
export type SignableBody = Uint8Array | string;

/** The bytes that will be sent for a {@link SignableBody}. */
export function bodyBytes(body: SignableBody): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Unix seconds of an instant (signers accept a Date or seconds). */
export function unixSeconds(at: Date | number): number {
  return typeof at === 'number' ? at : Math.floor(at.getTime() / 1000);
}
