import type { SignedCallback } from './signedCallback.js';

/** What `POST /deliveries` answers. */
export interface Registered {
  readonly id: string;
  readonly callbackUrl: string;
}

/** The delivery view of `GET /deliveries/{id}`, only the fields the benchmarks read. */
export interface DeliveryStatus {
  readonly status: string;
  readonly counts: { readonly files: number; readonly completed: number; readonly failed: number };
}

/** One file of `GET /deliveries/{id}/files`, only the fields the benchmarks read. */
export interface FileStatus {
  readonly name: string;
  readonly status: string;
  readonly sha256: string | null;
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

/** Names of the delivery's files that did not complete, page by page (`GET /deliveries/{id}/files`). */
export async function unfinishedFiles(serviceUrl: string, id: string, atMost = 20): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const query = `status=pending,downloading,failed&limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const res = await fetch(`${serviceUrl}/deliveries/${id}/files?${query}`);
    if (res.status !== 200) throw new Error(`GET /deliveries/${id}/files answered ${res.status}`);
    const page = (await res.json()) as { items: FileStatus[]; nextCursor: string | null };
    names.push(...page.items.map((file) => file.name));
    cursor = page.nextCursor;
  } while (cursor !== null && names.length < atMost);
  return names.slice(0, atMost);
}
