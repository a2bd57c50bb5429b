/** Polls a delivery and draws its progress until it is finished. */

/** What the demo reads of `GET /deliveries/{id}`. */
export interface DeliverySnapshot {
  readonly id: string;
  readonly status: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly progress: {
    readonly files: number;
    readonly completed: number;
    readonly failed: number;
    readonly bytes: number;
    readonly totalBytes: number | null;
  };
}

/** What the demo reads of a file in `GET /deliveries/{id}/files`. */
export interface FileSnapshot {
  readonly name: string;
  readonly status: string;
  readonly attempts: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** Every file of the delivery in `status`, page by page (`GET /deliveries/{id}/files?status=…`). */
export async function filesWithStatus(url: string, id: string, status: string): Promise<FileSnapshot[]> {
  const files: FileSnapshot[] = [];
  let cursor: string | null = null;
  do {
    const query = `status=${status}&limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const res = await fetch(`${url}/deliveries/${id}/files?${query}`);
    if (!res.ok) throw new Error(`GET /deliveries/${id}/files answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { items: FileSnapshot[]; nextCursor: string | null };
    files.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return files;
}

const TERMINAL = new Set(['completed', 'partially_failed', 'failed', 'callback_timed_out']);

function progressLine(d: DeliverySnapshot): string {
  const total = d.progress.totalBytes;
  const ratio = total === null || total === 0 ? 0 : Math.min(1, d.progress.bytes / total);
  const width = 30;
  const filled = Math.round(ratio * width);
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  return (
    `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)} %  ` +
    `${d.progress.completed}/${d.progress.files} files  ${mib(d.progress.bytes)}${total === null ? '' : `/${mib(total)}`} MiB  ${d.status}`
  );
}

/**
 * Follows `GET <url>/deliveries/<id>` every `intervalMs` until the delivery is terminal or
 * `timeoutMs` passes; draws one updating line on a terminal, a line per change otherwise.
 */
export async function followDelivery(
  url: string,
  id: string,
  options: {
    readonly intervalMs?: number;
    readonly timeoutMs?: number;
    readonly out?: NodeJS.WriteStream;
  } = {},
): Promise<DeliverySnapshot> {
  const out = options.out ?? process.stdout;
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  let last = '';
  for (;;) {
    const res = await fetch(`${url}/deliveries/${id}`);
    if (!res.ok) throw new Error(`GET /deliveries/${id} answered ${res.status}: ${await res.text()}`);
    const snapshot = (await res.json()) as DeliverySnapshot;
    const line = progressLine(snapshot);
    if (line !== last) {
      out.write(out.isTTY ? `\r${line}\u001b[K` : `${line}\n`);
      last = line;
    }
    if (TERMINAL.has(snapshot.status)) {
      if (out.isTTY) out.write('\n');
      return snapshot;
    }
    if (Date.now() > deadline) {
      if (out.isTTY) out.write('\n');
      throw new Error(`delivery ${id} did not finish in time (status ${snapshot.status})`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
