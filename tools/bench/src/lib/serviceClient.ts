import type { SignedCallback } from './signedCallback.js';

/** What `POST /deliveries` answers. */
export interface Registered {
  readonly id: string;
  readonly callbackUrl: string;
}

/** The delivery view of `GET /deliveries/{id}`, only the fields the benchmarks read. */
export interface DeliveryStatus {
  readonly status: string;
  readonly files: ReadonlyArray<{
    readonly name: string;
    readonly status: string;
    readonly sha256: string | null;
  }>;
}

const TERMINAL = new Set(['completed', 'partially_failed', 'failed', 'callback_timed_out']);

/** Registers a delivery for `provider`; throws unless the service answers 201. */
export async function registerDelivery(serviceUrl: string, provider: string): Promise<Registered> {
  const res = await fetch(`${serviceUrl}/deliveries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider }),
  });
  if (res.status !== 201) throw new Error(`POST /deliveries answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Registered;
}

/** POSTs a signed callback; returns the HTTP status. */
export async function sendCallback(callbackUrl: string, callback: SignedCallback): Promise<number> {
  const res = await fetch(callbackUrl, { method: 'POST', headers: callback.headers, body: callback.body });
  await res.arrayBuffer();
  return res.status;
}

/** Polls `GET /deliveries/{id}` every `intervalMs` until the delivery is terminal. */
export async function waitUntilSettled(
  serviceUrl: string,
  id: string,
  intervalMs = 25,
  timeoutMs = 600_000,
): Promise<DeliveryStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${serviceUrl}/deliveries/${id}`);
    if (res.status !== 200) throw new Error(`GET /deliveries/${id} answered ${res.status}`);
    const view = (await res.json()) as DeliveryStatus;
    if (TERMINAL.has(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`delivery ${id} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
